#!/usr/bin/env bash
# `vqvae-score score` of an earlier build against this checkout's, on the same files, whole processes,
# alternating, after one warm-up run each (docs/BENCHMARKS.md, "score before and after"):
#   scripts/bench-score-builds.sh BEFORE_COMMIT [PAIRS]
# Each build exports the main job's model (models/mnist-plus, from scripts/main-job.sh) with its own
# exporter, then scores 4,985 MNIST PNGs (the 997 validation digits five times) with --threads 2 into a
# fresh output folder. Inputs and outputs go under $BENCH_TMP (default /dev/shm, a tmpfs: the figures are
# the program's work, not the disk's); set BENCH_TMP to a disk folder to include the file system.
# Prints each run's wall, user and system seconds, then the medians and the median of the pairs' ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
before="${1:?usage: scripts/bench-score-builds.sh BEFORE_COMMIT [PAIRS]}"
pairs="${2:-5}"
[ -d models/mnist-plus/best ] || { echo "bench-score-builds.sh: models/mnist-plus: no trained model (run scripts/main-job.sh first)" >&2; exit 2; }
[ -d data/mnist-validation-png ] || { echo "bench-score-builds.sh: data/mnist-validation-png: missing (scripts/main-job.sh writes it)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench-score-builds.sh: /usr/bin/time: missing (Debian package 'time')" >&2; exit 2; }

work="$(mktemp -d "${BENCH_TMP:-/dev/shm}/vqvae-score-builds.XXXXXX")"
tree="$(mktemp -d)"
trap 'git worktree remove --force "$tree/before" >/dev/null 2>&1 || true; rm -rf "$work" "$tree"' EXIT
git worktree add -q --detach "$tree/before" "$before"

build() {  # build ROOT NAME: the exporter and the scorer of the checkout at ROOT, and the model exported by it
  dotnet build "$1/src/Exporter/vqvae-export" -c Release -v quiet -nologo >/dev/null
  dotnet build "$1/src/MlNetConsumer/vqvae-score" -c Release -v quiet -nologo >/dev/null
  dotnet "$1/src/Exporter/vqvae-export/bin/Release/net10.0/vqvae-export.dll" --model models/mnist-plus --out "$work/$2-onnx" >/dev/null
}
build "$tree/before" before
build . after

for copy in 1 2 3 4 5; do
  mkdir -p "$work/images/$copy" && cp data/mnist-validation-png/*.png "$work/images/$copy/"
done

run() {  # run ROOT NAME LABEL: one timed score into a fresh folder; appends "wall user sys" to $work/NAME.times
  local out="$work/out-$2"
  rm -rf "$out"
  /usr/bin/time -f "%e %U %S" -o "$work/last.time" dotnet "$1/src/MlNetConsumer/vqvae-score/bin/Release/net10.0/vqvae-score.dll" \
    score --model "$work/$2-onnx" --images "$work/images" --out "$out" --threads 2 >/dev/null
  [ "$3" = warm-up ] || cat "$work/last.time" >> "$work/$2.times"
  printf '%-8s %-7s wall %s s, user %s s, sys %s s\n' "$3" "$2" $(cat "$work/last.time")
}
run "$tree/before" before warm-up
run . after warm-up
for pair in $(seq "$pairs"); do
  run "$tree/before" before "pair $pair"
  run . after "pair $pair"
done

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
for name in before after; do
  printf '%-7s median wall %s s, user %s s, sys %s s\n' "$name" \
    "$(cut -d' ' -f1 "$work/$name.times" | median)" "$(cut -d' ' -f2 "$work/$name.times" | median)" "$(cut -d' ' -f3 "$work/$name.times" | median)"
done
paste -d' ' "$work/before.times" "$work/after.times" | awk '{ print $1 / $4 }' | median | xargs printf 'median of the pairs'"'"' wall ratios (before / after): %.2f×\n'
