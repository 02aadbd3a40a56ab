#!/usr/bin/env bash
# The moto lane: the AWS Security Hub connector against moto_server (pinned 5.2.5), a Security Hub
# implementation nobody here wrote, with request authentication on from the first request
# (INITIAL_NO_AUTH_ACTION_COUNT=0). Scripts/ci/moto_security_hub_setup.py creates an IAM user and
# its key and loads findings with BatchImportFindings; then the connector's moto test runs with the
# server's URL and the key in its environment (wrong keys -> invalid_secret, right keys -> findings).
# Needs the tests already built (swift build --build-tests).
# Usage: Scripts/ci/moto-lane.sh
# Environment: BULWARK_CI_MOTO_PORT (18097); BULWARK_MOTO_PACKAGE (.: the package whose built tests run,
# e.g. .build-connectorlab after Scripts/connector-lab.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${BULWARK_CI_MOTO_PORT:-18097}
ENDPOINT="http://127.0.0.1:$PORT"

python3 -m pip install -q --disable-pip-version-check "moto[server]==5.2.5" boto3

WORK=$(mktemp -d)
INITIAL_NO_AUTH_ACTION_COUNT=0 python3 -m moto.server -H 127.0.0.1 -p "$PORT" >"$WORK/moto.log" 2>&1 &
MOTO=$!
trap 'kill $MOTO 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 60); do curl -sf "$ENDPOINT/moto-api/" >/dev/null && break; sleep 1; done
curl -sf "$ENDPOINT/moto-api/" >/dev/null || { cat "$WORK/moto.log"; echo "moto_server did not start"; exit 1; }

python3 Scripts/ci/moto_security_hub_setup.py "$ENDPOINT" >"$WORK/keys.env"
set -a
# shellcheck disable=SC1091
source "$WORK/keys.env"
set +a
export BULWARK_MOTO_URL="$ENDPOINT"
if ! (cd "${BULWARK_MOTO_PACKAGE:-.}" && swift test --skip-build --filter AWSSecurityHubMotoTests); then
    tail -40 "$WORK/moto.log"
    exit 1
fi
