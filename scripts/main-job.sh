#!/usr/bin/env bash
# The main job, end to end with defaults: fetch data → train → export ONNX (verified against
# TorchSharp) → score the validation images through ML.NET → pictures.
#
# Default: MNIST with the mnist-plus preset (the post's patch model, with an EMA codebook, k-means
# initialisation and dead-code restarts) for 3 epochs: validation MSE about 0.009, every digit
# recognisable. From the environment:
#   PRESET=pokemon-plus scripts/main-job.sh   Pokémon sprites, same codebook options, 30 epochs
#   PRESET=mnist scripts/main-job.sh          the reference post's own recipe; its codebook collapses
#                                             to 2 codes in a short run and every reconstruction is
#                                             a grey square (PRESET=pokemon: the same for sprites)
#   EPOCHS=10 scripts/main-job.sh             another epoch count (default: 3 MNIST, 30 Pokémon)
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET="${PRESET:-mnist-plus}"
# Epochs per data set: enough for recognisable pictures in a few minutes on a 2-core CPU.
case "$PRESET" in
  mnist*) images=data/mnist-validation-png; epochs=3 ;;
  pokemon*) images=data/pokemon; epochs=30 ;;
  *) echo "main-job.sh: PRESET=$PRESET: unknown preset (expected mnist-plus, pokemon-plus, mnist or pokemon)" >&2; exit 2 ;;
esac
EPOCHS="${EPOCHS:-$epochs}"
OUT="models/$PRESET"
# libtorch's OpenMP threads spin while waiting unless told otherwise; PASSIVE measured no slower (docs/BENCHMARKS.md, levers).
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

dotnet build VqVaeMl.sln -c Release -v quiet -nologo
bin() { echo "src/$1/bin/Release/net10.0/$2.dll"; }
train()  { dotnet "$(bin Trainer vqvae-train)" "$@"; }
export_onnx() { dotnet "$(bin Exporter/vqvae-export vqvae-export)" "$@"; }
score()  { dotnet "$(bin MlNetConsumer/vqvae-score vqvae-score)" "$@"; }

train fetch-data --data-dir data
train train --preset "$PRESET" --epochs "$EPOCHS" --out "$OUT" --force
export_onnx --model "$OUT" --verify --force
score score --model "$OUT" --images "$images" --out "$OUT/scored" --force

echo
echo "Done. Look at:"
for f in learning-curve.png reconstructions.png codebook.png onnx/encoder.onnx onnx/quantizer.onnx onnx/decoder.onnx \
         scored/codes.csv scored/summary.json scored/reconstruction-grid.png; do
  [ -e "$OUT/$f" ] && echo "  $OUT/$f"
done
