# Shared by the benchmark scripts (sourced, not run): builds the release binary, prepares a fresh
# database in a temporary folder and sets BIN, WORK, DATABASE_URL and the admin's credentials.
# After any seeding, call start_server to run Bulwark on $PORT and set SERVER and TOKEN.
SCRATCH=${BULWARK_SCRATCH:-.build-release}
swift build -c release --product bulwark --scratch-path "$SCRATCH" >/dev/null
BIN="$SCRATCH/release/bulwark"
WORK=$(mktemp -d)
export DATABASE_URL=${BENCH_DATABASE_URL:-sqlite://$WORK/bench.sqlite}
export DD_ADMIN_PASSWORD="Bench-Passw0rd!" BULWARK_BCRYPT_COST=4 LOG_LEVEL=warning

start_server() {
    "$BIN" serve --port "$PORT" > "$WORK/server.log" 2>&1 &
    SERVER=$!
    trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done
    TOKEN=$(curl -fs -X POST -d username=admin -d "password=$DD_ADMIN_PASSWORD" "http://127.0.0.1:$PORT/api/v2/api-token-auth/" \
            | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
}
