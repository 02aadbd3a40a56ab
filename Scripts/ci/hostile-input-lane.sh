#!/usr/bin/env bash
# The hostile-input lane: runs the built server on a fresh SQLite file and sends it a bounded,
# seeded set of hostile requests (Scripts/ci/hostile_inputs.py): deep and huge JSON, huge query
# strings, invalid UTF-8, SQL metacharacters in every documented filter, malformed multipart,
# path traversal in file names, XML entity bombs, zip bombs, password floods, raw garbage.
# It asserts that every answer is a 4xx (or a 2xx where the input is merely odd), that the server
# process at the end is the one started, that it still answers, and that its memory stayed bounded.
# Usage: Scripts/ci/hostile-input-lane.sh [path/to/bulwark]   (default: the debug build)
# Environment: BULWARK_CI_HOSTILE_PORT (18096), BULWARK_HOSTILE_SEED (20261205), BULWARK_HOSTILE_MAX_RSS_MB (1024).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-.build/debug/bulwark}
PORT=${BULWARK_CI_HOSTILE_PORT:-18096}
BASE="http://127.0.0.1:$PORT"

WORK=$(mktemp -d)
DD_ADMIN_PASSWORD=ci-admin-pass BULWARK_BCRYPT_COST=4 BULWARK_MAX_UPLOAD_MB=20 DATABASE_URL="sqlite://$WORK/bulwark.sqlite" \
    "$BIN" serve --hostname 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 60); do curl -sf "$BASE/health" >/dev/null && break; sleep 1; done
curl -sf "$BASE/health" >/dev/null || { cat "$WORK/server.log"; echo "server did not start"; exit 1; }

if ! python3 Scripts/ci/hostile_inputs.py "$BASE" "$SERVER" ci-admin-pass; then
    tail -50 "$WORK/server.log"
    exit 1
fi
if grep -q "Fatal error" "$WORK/server.log"; then tail -50 "$WORK/server.log"; echo "the server crashed"; exit 1; fi
