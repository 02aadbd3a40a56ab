#!/usr/bin/env bash
# Tenable export benchmark: a Tenable.io stand-in on loopback (Scripts/mock_tenable_io.py) serves an
# export of FINDINGS findings (default 50,000) in chunks of CHUNK (default 5,000); the connector's
# benchmark test, built in release in the connector lab, discovers the scan and reads the whole
# export (start, poll, download and map every chunk, one at a time) and prints the time and the
# process's peak RSS (VmHWM). Goal: under 10 s and under 500 MB for 50,000 findings.
#   Scripts/bench-tenable-export.sh [FINDINGS] [CHUNK]
set -euo pipefail
cd "$(dirname "$0")/.."
FINDINGS=${1:-50000}
CHUNK=${2:-5000}
MOCK_PORT=${BENCH_MOCK_PORT:-8099}
python3 Scripts/mock_tenable_io.py "$MOCK_PORT" "$FINDINGS" "$CHUNK" &
MOCK=$!
trap 'kill $MOCK 2>/dev/null || true' EXIT
for _ in $(seq 1 30); do curl -sf "http://127.0.0.1:$MOCK_PORT/scans" >/dev/null && break; sleep 0.2; done
BULWARK_BENCH_TENABLE_URL="http://127.0.0.1:$MOCK_PORT" BULWARK_BENCH_TENABLE_FINDINGS="$FINDINGS" \
    Scripts/connector-lab.sh -c release --filter TenableExportBenchmark 2>&1 | grep -E "tenable export:|passed|failed|error:" 
