#!/usr/bin/env bash
# Training from data larger than memory, measured side by side: builds vqvae-train of the last commit
# before the image cache (BASELINE; its data sit in memory as float32) into a temporary folder, then
# runs the bench's data-cache mode, which trains both builds on generated folders of 64×64 RGB PNGs
# and on the small presets. Extra arguments go to the bench (--quick, --write docs/BENCHMARKS.md).
#   scripts/bench-data-cache.sh --threads 2 --write docs/BENCHMARKS.md
set -euo pipefail
cd "$(dirname "$0")/.."
BASELINE="${BASELINE:-dad718c}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
baseline=$(mktemp -d)
trap 'rm -rf "$baseline"' EXIT
git archive "$BASELINE" | tar -x -C "$baseline"
dotnet build "$baseline/src/Trainer" -c Release -v quiet -nologo
dotnet build bench/VqVae.Bench -c Release -v quiet -nologo
dotnet bench/VqVae.Bench/bin/Release/net10.0/vqvae-bench.dll --data-cache \
  --baseline-trainer "$baseline/src/Trainer/bin/Release/net10.0/vqvae-train.dll" "$@"
