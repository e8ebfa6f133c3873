#!/usr/bin/env bash
# Dispatch benchmark: leadsync run against leadsync sandbox with a backlog.
# Prints one line per case: records/s, utilization, 429s, calls per record.
#   utilization = delivered / (seconds × requests × batch_size / per)
# measured between two samples in steady state (after WARMUP s, over MEASURE s),
# counted on arrival at the sandbox, so request latency cancels out.
# Usage: bench/dispatch.sh [BUILD_DIR]   (env: MEASURE=60 WARMUP=10)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$root/build}/daemon/leadsync"
measure="${MEASURE:-60}"
warmup="${WARMUP:-10}"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

start_sandbox() {  # args... ; sets $port
  "$bin" sandbox --listen 127.0.0.1:0 --seed 1 "$@" >"$work/sandbox.out" 2>"$work/sandbox.err" &
  pids+=($!)
  for _ in $(seq 100); do
    port="$(sed -n 's/^sandbox listening on 127.0.0.1://p' "$work/sandbox.out")"
    [[ -n "$port" ]] && return 0
    sleep 0.1
  done
  echo "sandbox did not start" >&2; exit 1
}

write_config() {  # requests per_seconds
  mkdir -p "$work/spool"
  cat >"$work/leadsync.yaml" <<YAML
leadsquared:
  api_host: http://127.0.0.1:$port
  access_key: sandbox-access-key
  secret_key: sandbox-secret-key
  rate_limit: { requests: $1, per: ${2}s }
  linger: 500ms
  max_in_flight: 8
queue:
  path: $work/queue.db
  sync: normal
sources:
  - name: bench
    type: spool
    path: $work/spool
metrics:
  listen: 127.0.0.1:0
log:
  level: warn
YAML
}

backlog() {  # records key_count
  jq -nc --argjson n "$1" --argjson k "$2" \
    'range($n) | {EmailAddress: "lead\(. % $k)@bench.example", FirstName: "v\(.)", mx_Seq: .}' >"$work/backlog.jsonl"
  "$bin" enqueue -c "$work/leadsync.yaml" --source bench "$work/backlog.jsonl" 2>/dev/null
}

state() { curl -sf "http://127.0.0.1:$port/sandbox/state"; }
delivered() { state | jq '[.records_per_call[]] | add // 0'; }

reset() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
  rm -rf "${work:?}"/*
}

# case_name server_limit server_per config_requests config_per latency jitter records [warmup]
limit_case() {
  local name="$1" sreq="$2" sper="$3" creq="$4" cper="$5" latency="$6" jitter="$7" records="$8"
  local settle="${9:-$warmup}"
  start_sandbox --rate-limit "$sreq/$sper" --latency "$latency" --latency-jitter "$jitter"
  write_config "$creq" "$cper"
  backlog "$records" "$records"
  "$bin" run -c "$work/leadsync.yaml" 2>"$work/daemon.err" &
  pids+=($!)
  sleep "$settle"
  local d1 d2 s
  d1="$(delivered)"
  sleep "$measure"
  d2="$(delivered)"
  s="$(state)"
  local calls throttled
  calls="$(jq '.calls' <<<"$s")"
  throttled="$(jq '.by_status["429"] // 0' <<<"$s")"
  awk -v name="$name" -v d="$((d2 - d1))" -v t="$measure" -v r="$sreq" -v p="$sper" -v calls="$calls" \
      -v all="$(jq '[.records_per_call[]] | add // 0' <<<"$s")" -v thr="$throttled" 'BEGIN {
    printf "%-34s %8.1f records/s  utilization %.3f  429s %d  calls/record %.3f\n",
           name, d / t, d / (t * r * 25 / p), thr, calls / (all > 0 ? all : 1) }'
  reset
}

# 1000 updates to 100 keys arrive in 10 rounds over about a second, while
# the first calls are in flight (2 s each).
hot_keys_case() {
  start_sandbox --latency 2000
  write_config 25 5
  "$bin" run -c "$work/leadsync.yaml" 2>"$work/daemon.err" &
  pids+=($!)
  for round in $(seq 0 9); do
    jq -nc --argjson r "$round" 'range(100) | {EmailAddress: "hot\(.)@bench.example", mx_Round: $r}' \
      >"$work/round.jsonl"
    "$bin" enqueue -c "$work/leadsync.yaml" --source bench "$work/round.jsonl" 2>/dev/null
    sleep 0.1
  done
  for _ in $(seq 120); do
    [[ "$("$bin" queue -c "$work/leadsync.yaml" stats --json | jq '.pending + .in_flight')" == 0 ]] && break
    sleep 0.5
  done
  local s
  s="$(state)"
  printf "%-34s 1000 updates to 100 keys: %d calls, %d records sent, 429s %d\n" "hot keys, 2 s latency" \
    "$(jq '.calls' <<<"$s")" "$(jq '[.records_per_call[]] | add // 0' <<<"$s")" "$(jq '.by_status["429"] // 0' <<<"$s")"
  reset
}

[[ -n "${ONLY_HOT:-}" ]] && { hot_keys_case; exit 0; }
echo "leadsync dispatch benchmark: warmup ${warmup}s, measured over ${measure}s per case"
limit_case "25/5s, latency 300±100 ms" 25 5 25 5 200 200 40000
limit_case "25/5s, latency 1 s" 25 5 25 5 1000 0 40000
limit_case "config 25/5s, server 10/5s" 10 5 25 5 300 0 40000 60
hot_keys_case
