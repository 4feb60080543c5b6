#!/usr/bin/env bash
# Proves on a real Slurm cluster — one node, started on this machine — that a folder scored as a job
# array of shards plus a merge job (score-array.sbatch, merge.sbatch) gives what one unsharded
# `vqvae-score score` of the folder writes: codes.csv and metrics.csv byte for byte, every
# reconstruction identical, the same reconstruction grid.
#
# Runs as root on Debian 12: installs slurm-wlm and munge if missing, then starts munged, slurmctld
# and slurmd with a configuration written into a temporary folder (nothing under /etc is used or
# changed), and stops them again whatever happens. Ends with one line: PASS: … or FAIL: ….
#
#   scripts/slurm/prove-on-local-cluster.sh        # IMAGES=300 SHARDS=4 TIMEOUT=900 by default
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
images_count=${IMAGES:-300}
shards=${SHARDS:-4}
timeout=${TIMEOUT:-900}
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}

verdict=""
fail() { verdict="FAIL: $*"; exit 1; }
say() { echo "== $*"; }

# --- Slurm and munge from Debian ---------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || fail "run as root: the script installs packages and starts Slurm's daemons"
missing=0
for cmd in munged munge slurmctld slurmd sbatch squeue scontrol scancel sinfo; do
  command -v "$cmd" >/dev/null || missing=1
done
if [ "$missing" -eq 1 ]; then
  say "installing slurm-wlm and munge"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi
command -v dotnet >/dev/null || fail "the .NET 10 SDK is not on PATH"

# --- everything this run writes, and the daemons it starts ---------------------------------------
tmp=$(mktemp -d /tmp/vqvae-slurm-proof.XXXXXX)
# munged refuses a socket in a folder that not everyone can traverse.
chmod 755 "$tmp"
mkdir -p "$tmp/munge" "$tmp/state" "$tmp/log" "$tmp/spool"
pids=()
jobs_submitted=()

cleanup() {
  local status=$?
  set +e
  if [ ${#jobs_submitted[@]} -gt 0 ] && [ -n "${SLURM_CONF:-}" ]; then
    scancel "${jobs_submitted[@]}" 2>/dev/null
    for _ in $(seq 1 20); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.5; done
  fi
  # The daemons in reverse order of start: slurmd, slurmctld, munged.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[$i]}" 2>/dev/null; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null
  done
  if [ "$status" -ne 0 ] && [ -n "${KEEP:-}" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
  [ -n "$verdict" ] || verdict=$([ "$status" -eq 0 ] && echo "PASS" || echo "FAIL: '${failed_command:-?}' exited with $status")
  echo "$verdict"
}
failed_command=""
trap 'failed_command=$BASH_COMMAND' ERR
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the CLIs, the data, a tiny model --------------------------------------------------------------
say "building"
dotnet build "$repo/VqVaeMl.sln" -c Release -v quiet -nologo >"$tmp/log/build.log" 2>&1 \
  || { tail -30 "$tmp/log/build.log"; fail "the build failed"; }
train=(dotnet "$repo/src/Trainer/bin/Release/net10.0/vqvae-train.dll")
export_=(dotnet "$repo/src/Exporter/vqvae-export/bin/Release/net10.0/vqvae-export.dll")
score_dll="$repo/src/MlNetConsumer/vqvae-score/bin/Release/net10.0/vqvae-score.dll"
[ -f "$score_dll" ] || fail "$score_dll not built"
# The jobs run one command, as a cluster's would run the installed tool.
cat >"$tmp/vqvae-score" <<EOF
#!/bin/sh
exec dotnet "$score_dll" "\$@"
EOF
chmod +x "$tmp/vqvae-score"
export VQVAE_SCORE="$tmp/vqvae-score"

say "fetching MNIST (validation digits as PNGs)"
"${train[@]}" fetch-data --dataset mnist --data-dir "$repo/data" >"$tmp/log/fetch.log" 2>&1 \
  || { tail -5 "$tmp/log/fetch.log"; fail "fetch-data failed"; }
# The first digits, one sub-folder per label, so the merge meets nested paths too.
mkdir -p "$tmp/images"
# (The list is read whole: `head` in a pipeline would end `sort` with SIGPIPE, a failure under pipefail.)
mapfile -t digits < <(find "$repo/data/mnist-validation-png" -name '*.png' | LC_ALL=C sort)
for f in "${digits[@]:0:$images_count}"; do
  name=$(basename "$f"); label=${name##*-}; label=${label%.png}
  mkdir -p "$tmp/images/$label"
  cp "$f" "$tmp/images/$label/$name"
done
found=$(find "$tmp/images" -name '*.png' | wc -l)
[ "$found" -eq "$images_count" ] || fail "expected $images_count validation digits, found $found"

# mnist-plus: its k-means start spreads the codes from the first batch, so the codes compared below vary.
say "training a tiny model (1 epoch of 20 steps; the point is the scoring, not the quality)"
"${train[@]}" train --preset mnist-plus --epochs 1 --max-steps-per-epoch 20 --threads 1 \
  --data "$repo/data/mnist" --out "$tmp/model" --cache-dir "$tmp/cache" >"$tmp/log/train.log" 2>&1 \
  || { tail -20 "$tmp/log/train.log"; fail "training failed"; }
"${export_[@]}" --model "$tmp/model" >"$tmp/log/export.log" 2>&1 \
  || { tail -20 "$tmp/log/export.log"; fail "export failed"; }

# --- a one-node Slurm cluster on this machine -----------------------------------------------------
say "starting munged, slurmctld, slurmd"
host=$(hostname -s)
free_port() {  # the first port from $1 that nothing on this machine listens on
  local p=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
  echo "$p"
}
ctld_port=$(free_port 16817)
slurmd_port=$(free_port $((ctld_port + 1)))
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 600 "$tmp/munge/munge.key"
munged --foreground --key-file="$tmp/munge/munge.key" --socket="$tmp/munge/munge.socket" \
  --pid-file="$tmp/munge/munged.pid" --log-file="$tmp/munge/munged.log" --seed-file="$tmp/munge/munged.seed" \
  >"$tmp/log/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 20); do [ -S "$tmp/munge/munge.socket" ] && break; sleep 0.5; done
munge -S "$tmp/munge/munge.socket" -n | unmunge -S "$tmp/munge/munge.socket" >/dev/null 2>&1 \
  || { cat "$tmp/log/munged.out" "$tmp/munge/munged.log" 2>/dev/null | tail -5; fail "Slurm cannot start: munged does not answer"; }

mkdir -p "$tmp/spool/$host"
# Plugins that need neither systemd nor cgroups: processes tracked through /proc, no task binding,
# no accounting. cons_tres with CR_Core lets the array's one-CPU tasks share the node.
cat >"$tmp/slurm.conf" <<EOF
ClusterName=vqvae-proof
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool/%n
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
MinJobAge=3600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=proof Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$tmp/slurm.conf"
slurmctld -D -f "$SLURM_CONF" >"$tmp/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$tmp/log/slurmd.out" 2>&1 &
pids+=($!)
state=""
for _ in $(seq 1 60); do
  state=$(sinfo -h -N -o %T 2>/dev/null || true)
  [ "$state" = "idle" ] && break
  sleep 1
done
if [ "$state" != "idle" ]; then
  tail -n 15 "$tmp/log/slurmctld.log" "$tmp/log/slurmd.log" "$tmp/log/slurmctld.out" "$tmp/log/slurmd.out" 2>/dev/null
  fail "Slurm cannot start: node $host is '${state:-not registered}' after 60 s (logs above)"
fi
echo "slurm $(sinfo -V | awk '{print $2}'): node $host idle, $(nproc) CPUs, ports $ctld_port/$slurmd_port"

# --- the reference: one unsharded run ---------------------------------------------------------------
say "scoring $images_count images in one run"
"$VQVAE_SCORE" score --model "$tmp/model" --images "$tmp/images" --out "$tmp/single" --threads 1 \
  >"$tmp/log/single.log" 2>&1 || { cat "$tmp/log/single.log"; fail "the single run failed"; }
cat "$tmp/log/single.log"

# --- the two commands a cluster user types -----------------------------------------------------------
say "submitting a $shards-task array and its merge job"
cd "$tmp"
array=$(sbatch --parsable --array=0-$((shards - 1)) --output="$tmp/log/score-%A_%a.log" \
  "$repo/scripts/slurm/score-array.sbatch" "$tmp/model" "$tmp/images" "$tmp/run")
array=${array%%;*}
jobs_submitted+=("$array")
merge=$(sbatch --parsable --dependency=afterok:"$array" --output="$tmp/log/merge-%j.log" \
  "$repo/scripts/slurm/merge.sbatch" "$tmp/run")
merge=${merge%%;*}
jobs_submitted+=("$merge")
cd "$repo"
echo "array job $array (tasks 0-$((shards - 1))), merge job $merge (afterok:$array)"

job_states() { scontrol show job "$1" -o 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 || true; }
start=$SECONDS
while :; do
  merge_state=$(job_states "$merge")
  case "$merge_state" in
    COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|PREEMPTED|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE) break ;;
  esac
  [ $((SECONDS - start)) -lt "$timeout" ] || { squeue; fail "the jobs did not finish within $timeout s"; }
  sleep 2
done
echo "done in $((SECONDS - start)) s: array tasks $(job_states "$array" | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')merge $merge_state"
for log in "$tmp"/log/score-*.log "$tmp"/log/merge-*.log; do echo "--- $(basename "$log")"; cat "$log"; done
bad_tasks=$(job_states "$array" | grep -vc '^COMPLETED$' || true)
[ "$bad_tasks" -eq 0 ] || fail "$bad_tasks array task(s) did not complete"
[ "$merge_state" = "COMPLETED" ] || fail "the merge job ended $merge_state"

# --- the proof: the merged folder is the single run's ---------------------------------------------
say "comparing the merged output with the single run"
merged="$tmp/run/merged"
for f in codes.csv metrics.csv reconstruction-grid.png; do
  cmp "$tmp/single/$f" "$merged/$f" || fail "$f differs between the single run and the merged shards"
done
list() { (cd "$1" && find . -type f | LC_ALL=C sort); }
diff <(list "$tmp/single/reconstructions") <(list "$merged/reconstructions") >/dev/null \
  || fail "the merged reconstructions/ holds other files than the single run's"
compared=0
while read -r f; do
  cmp -s "$tmp/single/reconstructions/$f" "$merged/reconstructions/$f" || fail "reconstructions/$f differs"
  compared=$((compared + 1))
done < <(list "$tmp/single/reconstructions")
rows=$(($(wc -l <"$merged/codes.csv") - 1))
[ "$rows" -eq "$images_count" ] || fail "codes.csv has $rows rows for $images_count images"
codes_in_use=$(tail -n +2 "$merged/codes.csv" | cut -d, -f4- | tr ',' '\n' | sort -u | wc -l)
per_shard=$(for d in "$tmp"/run/shards/*/; do echo $(($(wc -l <"$d/codes.csv") - 1)); done | paste -sd+)
verdict="PASS: Slurm $shards-task array + merge job = one unsharded run: codes.csv and metrics.csv byte-identical ($rows rows, $codes_in_use distinct codes; shards $per_shard), $compared reconstructions identical, same grid"
