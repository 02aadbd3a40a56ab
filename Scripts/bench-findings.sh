#!/usr/bin/env bash
# Findings-list benchmark (issue: fast and lean findings list). Prints requests/s and latency
# percentiles for the two list URLs at 1 and 8 connections, against a release build on SQLite.
#   Scripts/bench-findings.sh [FINDINGS=100000] [PRODUCTS=50]
# Environment: BENCH_PORT (18090), BENCH_DURATION (10s), BULWARK_SCRATCH (.build-release),
#              BENCH_DATABASE_URL to run against PostgreSQL instead of a fresh SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."
FINDINGS=${1:-100000}
PRODUCTS=${2:-50}
PORT=${BENCH_PORT:-18090}
DURATION=${BENCH_DURATION:-10s}

if ! command -v wrk >/dev/null; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; fi
source Scripts/bench-common.sh
"$BIN" seed --findings "$FINDINGS" --products "$PRODUCTS"
start_server

echo "findings: $FINDINGS across $PRODUCTS products; database: ${DATABASE_URL%%:*}; $DURATION per run"
printf "%-58s %5s %10s %9s %9s\n" "url" "conns" "req/s" "p50" "p99"
for path in "/api/v2/findings/?limit=100" "/api/v2/findings/?severity=High&active=true&limit=100"; do
    for conns in 1 8; do
        threads=$(( conns < 2 ? 1 : 2 ))
        out=$(wrk -t"$threads" -c"$conns" -d"$DURATION" --latency -H "Authorization: Token $TOKEN" "http://127.0.0.1:$PORT$path")
        rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
        p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
        p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
        errors=$(echo "$out" | grep -E "Non-2xx|Socket errors" || true)
        printf "%-58s %5s %10s %9s %9s %s\n" "$path" "$conns" "$rps" "$p50" "$p99" "$errors"
    done
done
