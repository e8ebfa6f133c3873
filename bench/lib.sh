# Shared by the bench scripts (sourced, not run): a scratch directory cleaned
# up on exit with every process started here, the sandbox, the daemon's
# config and a pending backlog. Expects $bin (the leadsync binary).
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

# $work/leadsync.yaml: a spool source "bench" at $work/spool, the queue at
# $work/queue.db. `leadsquared_lines` go under `leadsquared:` after the keys.
write_bench_config() {  # api_host sync metrics_listen [leadsquared_lines]
  mkdir -p "$work/spool"
  cat >"$work/leadsync.yaml" <<YAML
leadsquared:
  api_host: $1
  access_key: sandbox-access-key
  secret_key: sandbox-secret-key
${4:-}
queue:
  path: $work/queue.db
  sync: $2
  max_pending: 100000000
sources:
  - name: bench
    type: spool
    path: $work/spool
metrics:
  listen: $3
log:
  level: warn
YAML
}

# N leads with distinct keys, enqueued before the daemon starts.
backlog() {  # records
  awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
    printf "{\"EmailAddress\":\"lead%d@bench.example\",\"FirstName\":\"v%d\",\"mx_Seq\":%d}\n", i, i, i }' \
    >"$work/backlog.jsonl"
  "$bin" enqueue -c "$work/leadsync.yaml" --source bench "$work/backlog.jsonl" >/dev/null 2>&1
  rm -f "$work/backlog.jsonl"
}
