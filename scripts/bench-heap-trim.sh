#!/usr/bin/env bash
# Training memory with and without returning the C heap's free pages after each epoch
# (src/VqVae/Training/NativeHeap.cs), side by side: the same Pokémon run twice, VQVAE_HEAP_TRIM=1
# then 0. For each epoch it prints the peak RSS within that epoch (VmHWM, reset after each epoch line
# through /proc/PID/clear_refs), the RSS read just after that line (the next epoch may have begun),
# then the growth of the peak from epoch 2 to the last.
#   EPOCHS=10 scripts/bench-heap-trim.sh
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS="${EPOCHS:-10}"
dotnet build src/Trainer -c Release -v quiet -nologo
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
kb() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$2/status"; }

for trim in 1 0; do
  VQVAE_HEAP_TRIM=$trim dotnet src/Trainer/bin/Release/net10.0/vqvae-train.dll train --preset pokemon \
    --epochs "$EPOCHS" --threads 2 --out "$work/run" --force > "$work/out" 2>&1 &
  pid=$!
  seen=0; peaks=()
  while kill -0 "$pid" 2>/dev/null; do
    # The trainer's epoch lines start with the epoch number and the train loss.
    lines=$(grep -cE '^ +[0-9]+ +[0-9.]+ ' "$work/out" || true)
    if [ "$lines" -gt "$seen" ]; then
      seen=$lines
      peak=$(kb VmHWM "$pid" || true); now=$(kb VmRSS "$pid" || true)
      [ -n "$peak" ] || break
      echo 5 > "/proc/$pid/clear_refs"
      peaks+=("$peak")
      echo "VQVAE_HEAP_TRIM=$trim epoch $seen: peak $((peak / 1024)) MB, $((now / 1024)) MB just after its line"
    fi
    sleep 0.2
  done
  wait "$pid"
  n=${#peaks[@]}
  awk -v a="${peaks[1]}" -v b="${peaks[n - 1]}" -v t="$trim" -v n="$n" \
    'BEGIN { printf "VQVAE_HEAP_TRIM=%s: peak RSS epoch 2 %d MB, epoch %d %d MB, growth %+.1f%%\n", t, a / 1024, n, b / 1024, (b / a - 1) * 100 }'
done
