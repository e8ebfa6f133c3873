#!/usr/bin/env bash
# Ingest benchmark: one JSONL file of SIZE_MB (default 100) MB, ingested by
# `leadsync enqueue` and by a spool source of `leadsync run`, each with its
# wall time, records/s and peak RSS, next to baselines measured on the same
# file in the same run:
#   - `wc -l`: reading the file, the floor;
#   - a plain Python program with sqlite3: parse each line, upsert key +
#     record text, WAL, synchronous=NORMAL, 10 000 rows a transaction (the
#     same durable work per record as the queue with sync: normal).
# The daemon's api_host is a closed port: records stay pending, so the
# figure is ingest alone. Peak RSS comes from /usr/bin/time (GNU time), and
# for the daemon from VmHWM in /proc/PID/status.
# Usage: bench/ingest.sh [BUILD_DIR]   (env: SIZE_MB=100 SYNC=normal|full)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$root/build}/daemon/leadsync"
size_mb="${SIZE_MB:-100}"
sync="${SYNC:-normal}"
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
[[ -x /usr/bin/time ]] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 1; }

now() { date +%s.%N; }
# Runs a command under GNU time; sets $seconds (wall), $cpu (user + system
# seconds: the fair figure on a busy machine) and $rss_kb (peak RSS).
timed() {
  local start
  start="$(now)"
  /usr/bin/time -f "%M %U %S" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
  seconds="$(echo "$(now) - $start" | bc -l)"
  read -r rss_kb user sys <"$work/time"
  cpu="$(echo "$user + $sys" | bc -l)"
}
row() {  # label seconds cpu_seconds rss_kb
  awk -v l="$1" -v s="$2" -v c="$3" -v k="$4" -v n="$records" \
    'BEGIN { printf "%-36s %8.3f s %10.0f rec/s %8.2f CPU s %10.0f rec/CPU-s %8.1f MiB\n", l, s, (s > 0 ? n / s : 0), c, (c > 0 ? n / c : 0), k / 1024 }'
}

python3 - "$work/leads.jsonl" "$size_mb" <<'PY'
import json, sys
path, limit = sys.argv[1], int(sys.argv[2]) * 1000 * 1000
size = i = 0
with open(path, "w") as out:
    while size < limit:
        line = json.dumps({"EmailAddress": f"lead{i}@bench.example", "FirstName": f"First{i}", "LastName": "Last",
                           "Company": f"Acme {i % 1000}", "mx_City": "Pune", "mx_Seq": i}) + "\n"
        out.write(line)
        size += len(line)
        i += 1
PY
records="$(wc -l <"$work/leads.jsonl")"
bytes="$(stat -c %s "$work/leads.jsonl")"

fresh_queue() { rm -f "$work"/queue.db*; }
ingested() { "$bin" queue -c "$work/leadsync.yaml" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["sources"].get("bench", {}).get("ingested", 0))'; }

echo "ingest of one ${size_mb} MB JSONL file, sync: $sync: $records records, $bytes bytes; $(nproc) cores, $(uname -sr)"
printf "%-36s %10s %16s %12s %18s %12s\n" "" "wall" "records/s" "CPU" "records/CPU-s" "peak RSS"

timed wc -l "$work/leads.jsonl"
row "wc -l (read the file)" "$seconds" "$cpu" "$rss_kb"

cat >"$work/plain.py" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[2])
db.execute("pragma journal_mode=wal")
db.execute("pragma synchronous=" + sys.argv[3])
db.execute("create table records(key text primary key, record text)")
upsert = "insert into records(key, record) values(?, ?) on conflict(key) do update set record = excluded.record"
batch = []
with open(sys.argv[1]) as lines:
    for line in lines:
        lead = json.loads(line)
        batch.append(("emailaddress:" + lead["EmailAddress"].strip().lower(), line))
        if len(batch) == 10000:
            db.executemany(upsert, batch)
            db.commit()
            batch = []
db.executemany(upsert, batch)
db.commit()
PY
rm -f "$work/plain.db"*
timed python3 "$work/plain.py" "$work/leads.jsonl" "$work/plain.db" "$sync"
row "python3 + sqlite3 (plain upsert)" "$seconds" "$cpu" "$rss_kb"

write_bench_config http://127.0.0.1:1 "$sync" 127.0.0.1:0
fresh_queue
timed "$bin" enqueue -c "$work/leadsync.yaml" --source bench "$work/leads.jsonl"
row "leadsync enqueue" "$seconds" "$cpu" "$rss_kb"

fresh_queue
"$bin" run -c "$work/leadsync.yaml" 2>"$work/daemon.err" &
daemon_pid=$!
pids+=("$daemon_pid")
until [[ -d "$work/spool/done" ]]; do sleep 0.1; done
cp "$work/leads.jsonl" "$work/spool/.leads.jsonl"
start="$(now)"
cpu0="$(awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$daemon_pid/stat")"
mv "$work/spool/.leads.jsonl" "$work/spool/leads.jsonl"
until [[ -f "$work/spool/done/leads.jsonl" ]]; do sleep 0.05; done
end="$(now)"
rss_kb="$(awk '/^VmHWM:/ { print $2 }' "/proc/$daemon_pid/status")"  # the daemon's peak RSS so far
cpu="$(awk -v hz="$(getconf CLK_TCK)" -v c0="$cpu0" '{ print ($14 + $15) / hz - c0 }' "/proc/$daemon_pid/stat")"
kill -TERM "$daemon_pid"
wait "$daemon_pid" || true
[[ "$(ingested)" == "$records" ]] || { echo "spool ingested $(ingested) of $records" >&2; exit 1; }
row "leadsync run, spool file" "$(echo "$end - $start" | bc -l)" "$cpu" "$rss_kb"
