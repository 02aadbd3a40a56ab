#!/usr/bin/env bash
# Import benchmark (issue: import/reimport speed). Against a release build on SQLite, through the
# HTTP API: import 10,000 Generic findings, reimport 10,000 with 90 % overlap, import 100,000
# (with the server's peak RSS). Prints the figures.
#   Scripts/bench-import.sh
# Environment: BENCH_PORT (18091), BULWARK_SCRATCH (.build-release), BENCH_DATABASE_URL for PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${BENCH_PORT:-18091}
source Scripts/bench-common.sh
export BULWARK_MAX_UPLOAD_MB=500

python3 Scripts/gen_generic_report.py 10000 1 "$WORK/r10k.json"
python3 Scripts/gen_generic_report.py 10000 2 "$WORK/r10k-overlap.json" 0.9 1
python3 Scripts/gen_generic_report.py 100000 3 "$WORK/r100k.json"

start_server
H="Authorization: Token $TOKEN"

run() {  # label, endpoint, file, extra curl args…
    local label=$1 endpoint=$2 file=$3; shift 3
    local out
    # -H "Expect:": send the body at once, as Python clients (dd-import, requests) do; see README.
    out=$(curl -s -o "$WORK/response.json" -w "%{http_code} %{time_total}" -X POST -H "$H" -H "Expect:" -F "scan_type=Generic Findings Import" \
          -F "file=@$file" "$@" "http://127.0.0.1:$PORT/api/v2/$endpoint/")
    local summary
    summary=$(python3 Scripts/import_summary.py "$WORK/response.json")
    printf "%-44s HTTP %s  %6.2f s  %s\n" "$label" "${out% *}" "${out#* }" "$summary"
}

echo "release build, ${DATABASE_URL%%:*}, through POST /api/v2/…"
run "import 10,000 findings" import-scan "$WORK/r10k.json" -F auto_create_context=true -F product_type_name=Bench \
    -F product_name=Bench -F engagement_name=CI
run "reimport 10,000 findings, 90 % overlap" reimport-scan "$WORK/r10k-overlap.json" -F product_name=Bench -F engagement_name=CI
run "reimport the same file again" reimport-scan "$WORK/r10k-overlap.json" -F product_name=Bench -F engagement_name=CI
run "import 100,000 findings" import-scan "$WORK/r100k.json" -F auto_create_context=true -F product_type_name=Bench \
    -F product_name=Bench100k -F engagement_name=CI
echo "server peak RSS: $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/$SERVER/status)"
