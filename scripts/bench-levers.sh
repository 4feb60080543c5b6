#!/usr/bin/env bash
# Two native settings measured side by side: each pair runs the same short Pokémon training with the
# setting on and off, alternately (A B A B …), so a drift in the machine's speed hits both alike.
# Prints each run's training images/s (the trainer's own metrics.csv: training steps only), the
# medians and the median of the per-pair ratios.
#   PAIRS=5 scripts/bench-levers.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PAIRS="${PAIRS:-3}"
dotnet build src/Trainer -c Release -v quiet -nologo
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() { # NAME VALUE → images/s of epoch 2 (epoch 1 is the warm-up)
  env "$1=$2" dotnet src/Trainer/bin/Release/net10.0/vqvae-train.dll train --preset pokemon --epochs 2 \
    --max-steps-per-epoch 3 --threads 2 --out "$work/run" --force >/dev/null
  awk -F, 'NR == 3 { print $11 }' "$work/run/metrics.csv"
}

for lever in "THP_MEM_ALLOC_ENABLE 1 0" "OMP_WAIT_POLICY PASSIVE ACTIVE"; do
  set -- $lever
  on=(); off=(); ratios=()
  for i in $(seq "$PAIRS"); do
    a=$(run "$1" "$2"); b=$(run "$1" "$3")
    on+=("$a"); off+=("$b"); ratios+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')")
    echo "$1: pair $i: $2 $a img/s, $3 $b img/s"
  done
  median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
  echo "$1: median $2 $(median "${on[@]}") img/s, $3 $(median "${off[@]}") img/s, median ratio $(median "${ratios[@]}")×"
done
