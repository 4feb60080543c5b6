#!/usr/bin/env bash
# Training throughput of two builds side by side (docs/BENCHMARKS.md, "training without the adversarial loss"):
#   scripts/bench-train-builds.sh BEFORE_COMMIT AFTER_COMMIT [PAIRS] [-- TRAIN OPTIONS...]
# Builds vqvae-train at both commits, then trains one epoch of the mnist preset (or the options given after
# --) with each, alternating, after a warm-up run each, --threads 2. Prints each run's training images/s
# (metrics.csv's images_per_second: the epoch's training steps, not validation), the medians and the
# median of the pairs' ratios (after / before).
set -euo pipefail
cd "$(dirname "$0")/.."
before="${1:?usage: scripts/bench-train-builds.sh BEFORE_COMMIT AFTER_COMMIT [PAIRS] [-- TRAIN OPTIONS...]}"
after="${2:?usage: scripts/bench-train-builds.sh BEFORE_COMMIT AFTER_COMMIT [PAIRS] [-- TRAIN OPTIONS...]}"
pairs=5
shift 2
if [ $# -gt 0 ] && [ "$1" != -- ]; then pairs="$1"; shift; fi
[ $# -gt 0 ] && [ "$1" = -- ] && shift
options=("$@")
[ ${#options[@]} -gt 0 ] || options=(--preset mnist)
[ -d data/mnist ] || { echo "bench-train-builds.sh: data/mnist: missing (vqvae-train fetch-data writes it)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'for b in before after; do git worktree remove --force "$work/$b" >/dev/null 2>&1 || true; done; rm -rf "$work"' EXIT
for b in before after; do
  commit=$before; [ $b = after ] && commit=$after
  git worktree add -q --detach "$work/$b" "$commit"
  dotnet build "$work/$b/src/Trainer" -c Release -v quiet -nologo >/dev/null
done

run() {  # run NAME LABEL: one epoch; appends its training images/s to $work/NAME.rates
  rm -rf "$work/out-$1"
  dotnet "$work/$1/src/Trainer/bin/Release/net10.0/vqvae-train.dll" train "${options[@]}" --data data/mnist --epochs 1 --seed 42 \
    --threads 2 --out "$work/out-$1" >/dev/null
  local rate
  rate=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "images_per_second") c = i } NR == 2 { print $c }' "$work/out-$1/metrics.csv")
  [ "$2" = warm-up ] || echo "$rate" >> "$work/$1.rates"
  printf '%-8s %-7s %s images/s\n' "$2" "$1" "$rate"
}
run before warm-up
run after warm-up
for pair in $(seq "$pairs"); do
  run before "pair $pair"
  run after "pair $pair"
done

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
for name in before after; do printf '%-7s median %s images/s\n' "$name" "$(median < "$work/$name.rates")"; done
paste -d' ' "$work/before.rates" "$work/after.rates" | awk '{ print $2 / $1 }' | median | xargs printf 'median of the pairs'"'"' ratios (after / before): %.3f\n'
