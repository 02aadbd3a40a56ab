#!/usr/bin/env bash
# Page benchmark (issue: the web interface; goal: every page under 50 ms on the server with
# 100,000 findings). Seeds the findings, signs in through /login, then runs wrk on one connection
# per page and prints requests/s, p50 and p99. Release build, SQLite on loopback.
#   Scripts/bench-pages.sh [FINDINGS=100000] [PRODUCTS=50]
# Environment: BENCH_PORT (18091), BENCH_DURATION (5s), BULWARK_SCRATCH (.build-release),
#              BENCH_DATABASE_URL to run against PostgreSQL instead of a fresh SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."
FINDINGS=${1:-100000}
PRODUCTS=${2:-50}
PORT=${BENCH_PORT:-18091}
DURATION=${BENCH_DURATION:-5s}

if ! command -v wrk >/dev/null; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; fi
source Scripts/bench-common.sh
"$BIN" seed --findings "$FINDINGS" --products "$PRODUCTS"
start_server
BASE="http://127.0.0.1:$PORT"

# Sign in like a browser and keep the session cookie.
curl -fs -c "$WORK/jar" -o /dev/null -d username=admin -d "password=$DD_ADMIN_PASSWORD" -d next=/ "$BASE/login"
SESSION=$(awk '$6 == "sessionid" {print $7}' "$WORK/jar")
[ -n "$SESSION" ] || { echo "login failed"; exit 1; }
api() { curl -fs -H "Authorization: Token $TOKEN" "$BASE$1"; }
first_id() { python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["id"])'; }
FINDING=$(api "/api/v2/findings/?limit=1&offset=5000" | first_id)
PRODUCT=$(api "/api/v2/products/?limit=1" | first_id)
ENGAGEMENT=$(api "/api/v2/engagements/?limit=1" | first_id)
TEST=$(api "/api/v2/tests/?limit=1" | first_id)

echo "findings: $FINDINGS across $PRODUCTS products; database: ${DATABASE_URL%%:*}; $DURATION per page, 1 connection"
printf "%-52s %8s %9s %9s %s\n" "page" "req/s" "p50" "p99" "status"
for path in "/" "/finding" "/finding?severity=High&status=active" "/finding?q=seed&o=-date" "/finding?sla=breached" \
            "/finding?page=200" "/finding/$FINDING" "/finding/$FINDING/edit" "/product" "/product/$PRODUCT" "/product/type" \
            "/engagement/$ENGAGEMENT" "/test/$TEST" "/engagement/$ENGAGEMENT/import_scan_results" "/imports" "/profile" "/api/key-v2"; do
    status=$(curl -s -o /dev/null -w "%{http_code}" -H "Cookie: sessionid=$SESSION" "$BASE$path")
    out=$(wrk -t1 -c1 -d"$DURATION" --latency -H "Cookie: sessionid=$SESSION" "$BASE$path")
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    printf "%-52s %8s %9s %9s %s\n" "$path" "$rps" "$p50" "$p99" "$status"
done
