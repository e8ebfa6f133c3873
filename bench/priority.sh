#!/usr/bin/env bash
# Priority benchmark: a signup overtaking a backfill. `leadsync run` against
# `leadsync sandbox --rate-limit 5/5` (config 5/5s): BACKFILL records enqueued
# at priority low, then, every 10 s, a one-record signup file renamed into a
# spool source of priority high. Prints the signups' latency from the rename
# to the sandbox holding the lead (polled every 20 ms), median and worst,
# next to the target (one call slot + linger: about 1.5 s at 5/5 s), and the
# share of the limit's capacity used meanwhile (records delivered / 25 a
# second), next to its target (0.95).
#
# Usage: bench/priority.sh [BUILD_DIR]
#   env: BACKFILL=100000 MEASURE=120 (seconds of signups) WARMUP=10
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$root/build}/daemon/leadsync"
backfill="${BACKFILL:-100000}"
measure="${MEASURE:-120}"
warmup="${WARMUP:-10}"
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"

write_config() {
  mkdir -p "$work/signup" "$work/incoming"
  cat >"$work/leadsync.yaml" <<YAML
leadsquared:
  api_host: http://127.0.0.1:$port
  access_key: sandbox-access-key
  secret_key: sandbox-secret-key
  rate_limit: { requests: 5, per: 5s }
queue:
  path: $work/queue.db
  sync: normal
  max_pending: 100000000
sources:
  - name: signup
    type: spool
    path: $work/signup
    priority: high
metrics:
  listen: 127.0.0.1:0
log:
  level: warn
YAML
}

delivered() { curl -sf "http://127.0.0.1:$port/sandbox/state" | jq '[.records_per_call[]] | add // 0'; }
accepted() { curl -sf -o /dev/null "http://127.0.0.1:$port/sandbox/leads?key=$1"; }
now() { date +%s.%N; }

start_sandbox --rate-limit 5/5 --latency 100 --latency-jitter 100
write_config
awk -v n="$backfill" 'BEGIN { for (i = 0; i < n; i++)
  printf "{\"EmailAddress\":\"backfill%d@bench.example\",\"FirstName\":\"v%d\"}\n", i, i }' >"$work/backfill.jsonl"
"$bin" enqueue -c "$work/leadsync.yaml" --priority low "$work/backfill.jsonl" >/dev/null 2>&1
rm -f "$work/backfill.jsonl"
"$bin" run -c "$work/leadsync.yaml" 2>"$work/daemon.err" &
pids+=($!)
sleep "$warmup"

latencies=()
d1="$(delivered)"; t1="$(now)"
for ((k = 0; k * 10 < measure; k++)); do
  email="signup$k@bench.example"
  printf 'EmailAddress,FirstName\n%s,Signup%d\n' "$email" "$k" >"$work/incoming/s$k.csv"
  start="$(now)"
  mv "$work/incoming/s$k.csv" "$work/signup/s$k.csv"
  until accepted "$email"; do sleep 0.02; done
  latencies+=("$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')")
  sleep "$(awk -v a="$start" -v b="$(now)" 'BEGIN { r = 10 - (b - a); print (r > 0 ? r : 0) }')"
done
d2="$(delivered)"; t2="$(now)"

printf '%s\n' "${latencies[@]}" | sort -n | awk -v d="$((d2 - d1))" -v t1="$t1" -v t2="$t2" -v n="$backfill" '
  { v[NR] = $1 }
  END {
    median = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "priority: %d low backfill under 5/5 s, %d high signups 10 s apart\n", n, NR
    printf "  signup latency, rename to accepted: median %.2f s, worst %.2f s   (target: worst <= ~1.5 s)\n", median, v[NR]
    printf "  capacity used: %.3f of 25 records/s over %.0f s   (target: >= 0.95)\n", d / ((t2 - t1) * 25), t2 - t1
  }'
