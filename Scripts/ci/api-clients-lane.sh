#!/usr/bin/env bash
# The API-documentation lane: runs the built server on a fresh SQLite file, then
#   1. validates /api/v2/oa3/schema/ (YAML and JSON) with openapi-spec-validator,
#   2. drives it with DefectDojo's generated Python client (defectdojo-api-generated),
#   3. fuzzes every documented operation with schemathesis: no 500, no response that
#      contradicts the schema, no undocumented status code.
# Usage: Scripts/ci/api-clients-lane.sh [path/to/bulwark]   (default: the debug build)
# Environment: BULWARK_CI_API_PORT (18095), BULWARK_FUZZ_EXAMPLES (8), BULWARK_FUZZ_SEED (20261123).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-.build/debug/bulwark}
PORT=${BULWARK_CI_API_PORT:-18095}
EXAMPLES=${BULWARK_FUZZ_EXAMPLES:-8}
SEED=${BULWARK_FUZZ_SEED:-20261123}
BASE="http://127.0.0.1:$PORT"

python3 -m pip install -q --disable-pip-version-check \
    "openapi-spec-validator==0.9.0" "defectdojo-api-generated==2.57.2.post1" "schemathesis==4.32.5" pyyaml

WORK=$(mktemp -d)
DD_ADMIN_PASSWORD=ci-admin-pass BULWARK_BCRYPT_COST=4 DATABASE_URL="sqlite://$WORK/bulwark.sqlite" \
    "$BIN" serve --hostname 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 60); do curl -sf "$BASE/health" >/dev/null && break; sleep 1; done
curl -sf "$BASE/health" >/dev/null || { cat "$WORK/server.log"; echo "server did not start"; exit 1; }

echo "-- schema: openapi-spec-validator"
curl -sf "$BASE/api/v2/oa3/schema/" -o "$WORK/schema.yaml"
curl -sf "$BASE/api/v2/oa3/schema/?format=json" -o "$WORK/schema.json"
openapi-spec-validator "$WORK/schema.yaml" "$WORK/schema.json"
python3 - "$WORK/schema.yaml" "$WORK/schema.json" <<'EOF'
import json, sys, yaml
from_yaml, from_json = yaml.safe_load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert from_yaml == from_json, "the YAML and JSON schemas differ"
print(f"{len(from_json['paths'])} paths, {len(from_json['components']['schemas'])} components; YAML and JSON agree")
EOF

TOKEN=$(curl -sf -X POST -d username=admin -d password=ci-admin-pass "$BASE/api/v2/api-token-auth/" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')

echo "-- generated client: defectdojo-api-generated"
python3 Scripts/ci/generated_client_e2e.py "$BASE" "$TOKEN"

echo "-- fuzzing: schemathesis, $EXAMPLES examples per operation, seed $SEED"
# Operations that would end the run's own authentication are left out: rotating or deleting the
# admin's token or account, and editing users (is_active=false on the admin).
st run "$BASE/api/v2/oa3/schema/?format=json" -H "Authorization: Token $TOKEN" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples "$EXAMPLES" --phases examples,coverage,fuzzing --seed "$SEED" --workers 2 \
    --exclude-operation-id users_reset_api_token_create --exclude-operation-id users_destroy \
    --exclude-operation-id api_tokens_destroy --exclude-operation-id api_tokens_revoke_create \
    --exclude-operation-id users_update --exclude-operation-id users_partial_update

if grep -q "Fatal error" "$WORK/server.log"; then cat "$WORK/server.log"; echo "the server crashed"; exit 1; fi
kill -0 $SERVER 2>/dev/null || { echo "the server is not running any more"; exit 1; }
echo "-- API clients lane passed"
