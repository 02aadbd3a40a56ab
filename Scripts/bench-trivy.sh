#!/usr/bin/env bash
# Trivy parser benchmark: generates a synthetic Trivy schema-2 JSON report (about 50 MB by default)
# and parses it with the release parser benchmark (Scripts/parser-bench), printing the finding
# count, wall time and peak resident memory. The goal is under 2 s for 50 MB.
# Usage: Scripts/bench-trivy.sh [megabytes]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MEGABYTES=${1:-50}
BIN=$("$ROOT/Scripts/parser-bench/build.sh")
REPORTS="$ROOT/.build-parserbench/reports"
mkdir -p "$REPORTS"
python3 "$ROOT/Scripts/parser-bench/gen_trivy.py" "$REPORTS" $((MEGABYTES * 1024 * 1024))
"$BIN" "Trivy Scan" "$REPORTS/trivy_large.json"
