#!/usr/bin/env bash
# XML scanner benchmark (issue "Parsers, wave 2"): generates about 50 MB each of a Tenable .nessus,
# a Burp XML issue export (base64 request/response pairs) and an Acunetix XML report, and parses
# each with a release build of BulwarkCore + BulwarkParsers (no server), printing the finding count,
# wall time and peak resident memory. Usage: Scripts/bench-xml-scanners.sh [megabytes]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MEGABYTES=${1:-50}
BIN=$("$ROOT/Scripts/parser-bench/build.sh")
REPORTS="$ROOT/.build-parserbench/reports"
mkdir -p "$REPORTS"
python3 "$ROOT/Scripts/parser-bench/gen_dast_reports.py" "$REPORTS" $((MEGABYTES * 1024 * 1024))
"$BIN" "Tenable Scan" "$REPORTS/large.nessus"
"$BIN" "Burp Scan" "$REPORTS/large_burp.xml"
"$BIN" "Acunetix Scan" "$REPORTS/large_acunetix.xml"
