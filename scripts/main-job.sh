#!/usr/bin/env bash
# The main job, end to end with defaults: fetch data → train (short MNIST run) → export ONNX (verified
# against TorchSharp) → score the validation images through ML.NET → pictures.
#   EPOCHS=10 PRESET=mnist scripts/main-job.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET="${PRESET:-mnist}"
EPOCHS="${EPOCHS:-3}"
OUT="models/$PRESET"
# libtorch's OpenMP threads spin while waiting unless told otherwise (3× slower steps on 2 cores).
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

dotnet build VqVaeMl.sln -c Release -v quiet -nologo
bin() { echo "src/$1/bin/Release/net10.0/$2.dll"; }
train()  { dotnet "$(bin Trainer vqvae-train)" "$@"; }
export_onnx() { dotnet "$(bin Exporter/vqvae-export vqvae-export)" "$@"; }
score()  { dotnet "$(bin MlNetConsumer/vqvae-score vqvae-score)" "$@"; }

train fetch-data --data-dir data
train train --preset "$PRESET" --epochs "$EPOCHS" --out "$OUT" --force
export_onnx --model "$OUT" --verify --force
case "$PRESET" in
  mnist*) images=data/mnist-validation-png ;;
  pokemon*) images=data/pokemon ;;
esac
score score --model "$OUT" --images "$images" --out "$OUT/scored" --force

echo
echo "Done. Look at:"
for f in learning-curve.png reconstructions.png codebook.png onnx/encoder.onnx onnx/quantizer.onnx onnx/decoder.onnx \
         scored/codes.csv scored/summary.json scored/reconstruction-grid.png; do
  [ -e "$OUT/$f" ] && echo "  $OUT/$f"
done
