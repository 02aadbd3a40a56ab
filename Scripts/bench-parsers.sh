#!/usr/bin/env bash
# Parser benchmark: generates large synthetic reports (about 50 MB of XML each: a Veracode
# detailed report and a Fortify FPR whose audit.fvdl is streamed from the zip) and parses them
# with a release build of BulwarkCore + BulwarkParsers only (no server), printing the finding
# count, wall time and peak resident memory. Streaming keeps peak memory far below the size of
# a document tree. Usage: Scripts/bench-parsers.sh [megabytes]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MEGABYTES=${1:-50}
BIN=$("$ROOT/Scripts/parser-bench/build.sh")
BENCH="$ROOT/.build-parserbench"
mkdir -p "$BENCH/reports"
python3 "$ROOT/Scripts/parser-bench/gen_reports.py" "$BENCH/reports" $((MEGABYTES * 1024 * 1024))
"$BIN" "Veracode Scan" "$BENCH/reports/veracode_large.xml"
"$BIN" "Fortify Scan" "$BENCH/reports/fortify_large.fpr"
"$BIN" "Fortify Scan v2" "$BENCH/reports/fortify_large.fpr"
# The Dependency-Check and Checkmarx benchmarks run as a test of the parser lab in release mode.
BULWARK_PARSER_BENCH=1 "$ROOT/Scripts/parser-lab.sh" -c release -Xswiftc -enable-testing --filter LargeReportBenchmark 2>&1 \
    | grep -E "BENCH|error|failed" || true
