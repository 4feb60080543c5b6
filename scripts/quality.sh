#!/usr/bin/env bash
# The runs behind docs/QUALITY.md: the reference post's recipe against the codebook options and the conv model,
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
  # The quantizers on the conv model (docs/QUALITY.md, "Quantizers on the convolutional model");
  # mnist-conv and pokemon-conv are their VQ-plus rows.
  [mnist-conv-rotation]="--preset mnist-plus --arch conv --ste rotation-trick"
  [mnist-conv-fsq]="--preset mnist-plus --arch conv --quantizer fsq --levels 8,4,4"
  # Other FSQ level sets near 128 codes (docs/QUALITY.md, "Which FSQ levels").
  [mnist-conv-fsq-5-5-5]="--preset mnist-plus --arch conv --quantizer fsq --levels 5,5,5"
  [mnist-conv-fsq-4-4-4-2]="--preset mnist-plus --arch conv --quantizer fsq --levels 4,4,4,2"
  [mnist-conv-rvq2]="--preset mnist-plus --arch conv --quantizer rvq --depth 2"
  [mnist-conv-rvq4]="--preset mnist-plus --arch conv --quantizer rvq --depth 4"
  [pokemon-conv-rotation]="--preset pokemon-plus --arch conv --ste rotation-trick"
  [pokemon-conv-fsq]="--preset pokemon-plus --arch conv --quantizer fsq --levels 8,4,4"
  [pokemon-conv-fsq-5-5-5]="--preset pokemon-plus --arch conv --quantizer fsq --levels 5,5,5"
  [pokemon-conv-rvq2]="--preset pokemon-plus --arch conv --quantizer rvq --depth 2"
  [pokemon-conv-rvq4]="--preset pokemon-plus --arch conv --quantizer rvq --depth 4"
  # The adversarial loss (docs/QUALITY.md, "The adversarial loss"): against mnist-conv and pokemon-conv. The
  # discriminator starts after about 30 % of the run (MNIST: 36 steps per epoch × 10 epochs; Pokémon: 5 × 100),
  # as taming-transformers starts it once the reconstructions have formed.
  [mnist-conv-adv]="--preset mnist-plus --arch conv --adversarial --disc-start 100"
  [pokemon-conv-adv]="--preset pokemon-plus --arch conv --adversarial --disc-start 150"
  # The same with a quarter of the adaptive weight, and with the discriminator trained alone for 100 steps first.
  [mnist-conv-adv-w02]="--preset mnist-plus --arch conv --adversarial --disc-start 100 --disc-weight 0.2"
  [mnist-conv-adv-warmup]="--preset mnist-plus --arch conv --adversarial --disc-start 50 --disc-warmup 100"
  [pokemon-conv-adv-w02]="--preset pokemon-plus --arch conv --adversarial --disc-start 150 --disc-weight 0.2"
)
names=("$@")
all=0
[ ${#names[@]} -gt 0 ] || all=1
[ $all = 0 ] || names=(mnist-post mnist-ema mnist-kmeans mnist-deadcode mnist-plus mnist-conv pokemon-post pokemon-plus pokemon-conv
                       mnist-conv-rotation mnist-conv-fsq mnist-conv-fsq-5-5-5 mnist-conv-fsq-4-4-4-2 mnist-conv-rvq2 mnist-conv-rvq4
                       pokemon-conv-rotation pokemon-conv-fsq pokemon-conv-fsq-5-5-5 pokemon-conv-rvq2 pokemon-conv-rvq4
                       mnist-conv-adv pokemon-conv-adv mnist-conv-adv-w02 mnist-conv-adv-warmup pokemon-conv-adv-w02)
for name in "${names[@]}"; do  # every name checked before hours of training start
  [ -n "${runs[$name]+set}" ] || { echo "quality.sh: $name: unknown run (expected one of: ${!runs[*]})" >&2; exit 2; }
done
# MNIST runs measure a Fréchet distance in the digit classifier's features (docs/QUALITY.md): train it once.
if printf '%s\n' "${names[@]}" | grep -q '^mnist' && [ ! -f models/digit-classifier/classifier.bin ]; then
  train classifier train --threads "$THREADS"
fi
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
