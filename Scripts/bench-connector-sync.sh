#!/usr/bin/env bash
# Connector sync benchmark: a Dependency-Track stand-in on loopback serves FINDINGS findings
# (default 50,000) for one project, in one response as Dependency-Track does; a release Bulwark on a fresh SQLite database creates, discovers, maps and syncs a
# connector (?wait=true), then syncs again with nothing changed. Prints the two sync times, the
# counters, and the server's peak RSS (VmHWM).
#   Scripts/bench-connector-sync.sh [FINDINGS]
set -euo pipefail
cd "$(dirname "$0")/.."
FINDINGS=${1:-50000}
PORT=${BENCH_PORT:-8097}
MOCK_PORT=${BENCH_MOCK_PORT:-8098}
export BULWARK_JOBS=off
source Scripts/bench-common.sh
python3 Scripts/mock_dependency_track.py "$MOCK_PORT" "$FINDINGS" &
MOCK=$!
start_server
trap 'kill $SERVER $MOCK 2>/dev/null || true; rm -rf "$WORK"' EXIT
API="http://127.0.0.1:$PORT/api/v2"
call() { curl -fsS -H "Authorization: Token $TOKEN" -H 'Content-Type: application/json' "$@"; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d$1)"; }

CONNECTOR=$(call -d "{\"tool\":\"dependency_track\",\"label\":\"bench\",\"location\":\"http://127.0.0.1:$MOCK_PORT\",\"secret\":\"bench-key\"}" \
            "$API/connectors/" | field "['id']")
call -X POST "$API/connectors/$CONNECTOR/discover/?wait=true" >/dev/null
TYPE=$(call -d '{"name":"Bench"}' "$API/product_types/" | field "['id']")
PRODUCT=$(call -d "{\"name\":\"Bench App\",\"description\":\"bench\",\"prod_type\":$TYPE}" "$API/products/" | field "['id']")
RECORD=$(call "$API/connector_records/?connector=$CONNECTOR" | field "['results'][0]['id']")
call -X PATCH -d "{\"product\":$PRODUCT}" "$API/connector_records/$RECORD/" >/dev/null

for run in first second; do
    START=$(date +%s.%N)
    RESULT=$(call -X POST "$API/connectors/$CONNECTOR/sync/?wait=true")
    END=$(date +%s.%N)
    echo "$run sync: $(python3 -c "print(f'{$END - $START:.2f} s')")  $(echo "$RESULT" | python3 -c '
import json,sys; d=json.load(sys.stdin)
print(d["status"], "new", d["findings_new"], "updated", d["findings_updated"], "closed", d["findings_closed"], "reopened", d["findings_reopened"])')"
done
COUNT=$(call "$API/findings/?test__engagement__product=$PRODUCT&limit=1" | field "['count']")
echo "findings stored: $COUNT (expected $FINDINGS)"
echo "peak RSS of the server: $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/$SERVER/status)"
