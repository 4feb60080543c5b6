#!/usr/bin/env bash
# Runs every test of the solution; says how many were skipped (none should be), then ends with one
# plain line: "Tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
# libtorch's OpenMP threads spin while waiting unless told otherwise; PASSIVE measured no slower (docs/BENCHMARKS.md, levers).
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
log=$(mktemp)
dotnet test VqVaeMl.sln -c Release 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# One summary line per test assembly: "Passed!  - Failed:     0, Passed:    12, Skipped: ...".
sum() { grep -E '^(Passed|Failed)! +-' "$log" | grep -oE "$1: +[0-9]+" | awk '{ n += $2 } END { print n + 0 }'; }
passed=$(sum Passed)
failed=$(sum Failed)
skipped=$(sum Skipped)
rm -f "$log"
echo "Tests skipped: $skipped"
echo "Tests: $passed passed, $failed failed"
exit "$status"
