#!/usr/bin/env bash
# Restart and memory benchmark: for each backlog size, `leadsync run` starts
# on a queue that already holds that many pending records (distinct keys).
# Prints the time from exec to the first request the sandbox receives, and
# the daemon's peak RSS (VmHWM) after DISPATCH seconds of delivering with the
# limit lifted. The smallest backlog is the baseline: with nothing at start
# scanning the whole queue, both figures stay flat as the backlog grows.
# Usage: bench/restart.sh [BUILD_DIR]   (env: SIZES="10000 100000 1000000" DISPATCH=15)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$root/build}/daemon/leadsync"
sizes="${SIZES:-10000 100000 1000000}"
dispatch_s="${DISPATCH:-15}"
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"

start_sandbox --rate-limit 100000/1
write_bench_config "http://127.0.0.1:$port" normal 127.0.0.1:0 \
  "  rate_limit: { requests: 100000, per: 1s }
  max_in_flight: 16"

echo "restart and memory with a backlog; $(nproc) cores, $(uname -sr)"
printf "%-12s %22s %26s\n" "pending" "start to first request" "peak RSS after ${dispatch_s}s"
for n in $sizes; do
  rm -f "$work"/queue.db*
  backlog "$n"
  curl -sf -X POST "http://127.0.0.1:$port/sandbox/reset" >/dev/null || true
  # One process starts the daemon and polls the sandbox over one connection,
  # so the figure is not the cost of starting a poller.
  python3 - "$bin" "$work/leadsync.yaml" "$port" "$dispatch_s" "$n" <<'PY'
import http.client, json, subprocess, sys, time
binary, config, port, dispatch_s, pending = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
conn = http.client.HTTPConnection("127.0.0.1", port)
def calls():
    conn.request("GET", "/sandbox/state")
    return json.loads(conn.getresponse().read())["calls"]
base = calls()
start = time.monotonic()
daemon = subprocess.Popen([binary, "run", "-c", config], stderr=subprocess.DEVNULL)
while calls() == base:
    if time.monotonic() - start > 60 or daemon.poll() is not None:
        sys.exit("no request within 60 s")
    time.sleep(0.002)
first = time.monotonic() - start
time.sleep(dispatch_s)
with open(f"/proc/{daemon.pid}/status") as status:
    hwm = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
daemon.terminate()
daemon.wait()
print(f"{pending:<12} {first:20.3f} s {hwm / 1024:22.1f} MiB")
PY
done
