#!/usr/bin/env bash
# The real-browser lane of the web interface: Debian's chromium and chromium-driver, selenium from
# PyPI. It starts the built server on a fresh SQLite file, then (Scripts/ci/browser_e2e.py) logs in,
# imports a report through the engagement's form, filters the findings list, closes a finding,
# bulk-verifies two, opens the key page, copies the key and uses it against the API, and logs out.
# Every page visited is checked for labels, landmarks and language (a small axe-like rule set).
# Screenshots of the dashboard, the findings list and a finding go to .build/screenshots/.
# Usage: Scripts/ci/browser-lane.sh [path/to/bulwark]   (default: the debug build)
# Environment: BULWARK_CI_BROWSER_PORT (18097).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-.build/debug/bulwark}
PORT=${BULWARK_CI_BROWSER_PORT:-18097}
BASE="http://127.0.0.1:$PORT"

if ! command -v chromedriver >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check "selenium==4.27.1"

WORK=$(mktemp -d)
DD_ADMIN_PASSWORD=ci-admin-pass BULWARK_BCRYPT_COST=4 DATABASE_URL="sqlite://$WORK/bulwark.sqlite" \
    "$BIN" serve --hostname 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 60); do curl -sf "$BASE/health" >/dev/null && break; sleep 1; done
curl -sf "$BASE/health" >/dev/null || { cat "$WORK/server.log"; echo "server did not start"; exit 1; }

mkdir -p .build/screenshots
python3 Scripts/ci/browser_e2e.py "$BASE" admin ci-admin-pass .build/screenshots "$WORK" || { tail -50 "$WORK/server.log"; exit 1; }
