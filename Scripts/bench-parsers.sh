#!/usr/bin/env bash
# Streams synthetic 50 MB XML reports (Dependency-Check, Checkmarx in both modes) through the
# registered parsers in a release build of the parser lab and prints, per report: size, findings,
# seconds, MB/s and the process's peak resident memory. A benchmark, not a test: the figures are
# printed, not asserted. The first release build of the lab takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
BULWARK_PARSER_BENCH=1 Scripts/parser-lab.sh -c release -Xswiftc -enable-testing --filter LargeReportBenchmark 2>&1 \
    | grep -E "BENCH|error|failed" || true
