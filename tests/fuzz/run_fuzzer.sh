#!/usr/bin/env bash
# run_fuzzer.sh FUZZER CORPUS ARTIFACT_PREFIX SECONDS [libFuzzer options...]:
# fuzzes for SECONDS from the seed corpus CORPUS, which it only reads (new
# inputs go to a scratch directory removed on exit). Fails on any crash,
# leak, sanitizer report or input slower than 10 s, saved as
# ARTIFACT_PREFIX<kind>-<hash>.
set -euo pipefail
fuzzer="$1" corpus="$2" prefix="$3" seconds="$4"
shift 4
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
"$fuzzer" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
  -print_final_stats=1 -artifact_prefix="$prefix" "$@" "$scratch" "$corpus"
