#!/usr/bin/env bash
# Every benchmark, one after the other, each figure printed next to its
# baseline measured in the same run (see BENCHMARKS.md for the targets and
# the figures of the last published run).
#   ingest:   1M JSONL leads into the queue, sync normal and full, against a
#             plain Python + SQLite program doing the same upserts;
#   restart:  start to first request and peak RSS, 10k to 1M pending;
#   dispatch: CPU per 100k records and records/s with the limit lifted, and
#             the rate-limit cases against the sandbox's server habits.
# Usage: bench/run.sh [BUILD_DIR]   (a Release build: scripts/build build -DCMAKE_BUILD_TYPE=Release)
#   env: QUICK=1 for shorter rate-limit cases (MEASURE=30 WARMUP=10)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
echo "== machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== ingest"
SIZE_MB="${SIZE_MB:-130}" SYNC=normal "$here/ingest.sh" "$build"
SIZE_MB="${SIZE_MB:-130}" SYNC=full "$here/ingest.sh" "$build"
echo "== restart and memory"
"$here/restart.sh" "$build"
echo "== dispatch"
if [[ -n "${QUICK:-}" ]]; then export MEASURE="${MEASURE:-30}" WARMUP="${WARMUP:-10}"; fi
ONLY=sweep "$here/dispatch.sh" "$build"
ONLY=limits "$here/dispatch.sh" "$build"
ONLY=hot "$here/dispatch.sh" "$build"
ONLY=windows "$here/dispatch.sh" "$build"
echo "== priority"
"$here/priority.sh" "$build"
