#!/usr/bin/env bash
# The runs behind docs/QUALITY.md: the seed's recipe against the codebook options and the conv model,
# same data, same seed, same epoch budget. Each run is a plain `vqvae-train train`; the table is
# `vqvae-train report`. Runs are independent: pass their names to run a subset, e.g.
#   scripts/quality.sh mnist-post mnist-plus
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${OUT:-models/quality}"
THREADS="${THREADS:-2}"
dotnet build src/Trainer -c Release -v quiet -nologo
train() { dotnet src/Trainer/bin/Release/net10.0/vqvae-train.dll "$@"; }

declare -A runs=(
  [mnist-post]="--preset mnist"
  [mnist-ema]="--preset mnist --codebook-update ema"
  [mnist-kmeans]="--preset mnist --kmeans-init"
  [mnist-deadcode]="--preset mnist --dead-code-threshold 0.5"
  [mnist-plus]="--preset mnist-plus"
  [mnist-conv]="--preset mnist-plus --arch conv"
  [pokemon-post]="--preset pokemon"
  [pokemon-plus]="--preset pokemon-plus"
  [pokemon-conv]="--preset pokemon-plus --arch conv"
)
names=("$@")
all=0
[ ${#names[@]} -gt 0 ] || all=1
[ $all = 0 ] || names=(mnist-post mnist-ema mnist-kmeans mnist-deadcode mnist-plus mnist-conv pokemon-post pokemon-plus pokemon-conv)
for name in "${names[@]}"; do
  epochs=10; [[ $name == pokemon* ]] && epochs=100
  # shellcheck disable=SC2086
  train train ${runs[$name]} --epochs "$epochs" --seed 42 --threads "$THREADS" --out "$OUT/$name" --force
done
if [ $all = 1 ]; then  # the patch model's floor: k-means of the data's patches (minutes each)
  train patch-floor --preset mnist
  train patch-floor --preset pokemon
fi
train report $(for n in "${names[@]}"; do echo "$OUT/$n"; done)
