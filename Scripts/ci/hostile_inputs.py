"""Hostile requests against a running Bulwark; see hostile-input-lane.sh.

Every case sends a request and checks the status class. A case passes when the answer is below
500 (and within the expected set where one is given) and the server's process is still the one
started. The run ends with a plain 'N passed, N failed' line.
"""
import io
import json
import os
import random
import socket
import sys
import urllib.parse
import zipfile

import requests

BASE, PID, PASSWORD = sys.argv[1], int(sys.argv[2]), sys.argv[3]
SEED = int(os.environ.get("BULWARK_HOSTILE_SEED", "20261205"))
MAX_RSS_MB = int(os.environ.get("BULWARK_HOSTILE_MAX_RSS_MB", "1024"))
rng = random.Random(SEED)
passed, failed = 0, 0
peak_rss_mb = 0


def rss_mb():
    with open(f"/proc/{PID}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return 0


def alive():
    try:
        os.kill(PID, 0)
        return True
    except OSError:
        return False


def check(name, send, allowed=None):
    """Runs one case; `allowed` is a set of acceptable statuses (default: any below 500)."""
    global passed, failed, peak_rss_mb
    try:
        status = send()
    except requests.exceptions.ConnectionError as error:
        status = f"connection error: {error.__class__.__name__}"
    ok = isinstance(status, int) and status < 500 and (allowed is None or status in allowed) and alive()
    peak_rss_mb = max(peak_rss_mb, rss_mb() if alive() else 0)
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name}: {status}", flush=True)


session = requests.Session()
token = session.post(f"{BASE}/api/v2/api-token-auth/", data={"username": "admin", "password": PASSWORD}).json()["token"]
auth = {"Authorization": f"Token {token}"}


def post_json(path, body, headers=None):
    return lambda: requests.post(BASE + path, data=body, headers={"Content-Type": "application/json", **(headers or {})}, timeout=60).status_code


def get(path, headers=None):
    return lambda: requests.get(BASE + path, headers=headers or auth, timeout=60).status_code


# 1. Deep and huge JSON, anonymous and authenticated.
for depth in (100, 10_000, 60_000, 200_000):
    deep_array = "[" * depth + "]" * depth
    deep_object = '{"a":' * depth + "1" + "}" * depth
    check(f"deep array {depth} to api-token-auth", post_json("/api/v2/api-token-auth/", deep_array), {400, 413})
    check(f"deep object {depth} to product_types", post_json("/api/v2/product_types/", deep_object, auth), {400, 413})
check("20 MB JSON string", post_json("/api/v2/product_types/", '{"name": "' + "x" * 20_000_000 + '"}', auth), {400, 413})
check("JSON of invalid UTF-8", lambda: requests.post(f"{BASE}/api/v2/product_types/", data=b'{"name": "\xff\xfe"}',
                                                     headers={**auth, "Content-Type": "application/json"}).status_code)

# 2. Query strings: long values, many parameters, invalid UTF-8, SQL metacharacters in every documented filter.
check("60 KB filter value", get("/api/v2/findings/?title__contains=" + "a" * 60_000), {400})
check("5,000 parameters", get("/api/v2/findings/?" + "&".join(f"p{i}=1" for i in range(5_000))), {400})
check("percent-encoded invalid UTF-8", get("/api/v2/findings/?title=%FF%FE%C0%AF"))
check("LIKE metacharacters", get("/api/v2/findings/?title__icontains=" + urllib.parse.quote("%_%_%_\\" * 1000)))
schema = requests.get(f"{BASE}/api/v2/oa3/schema/?format=json").json()
hostile_values = ["'", '"', "%", "_", "\\", "';--", ") OR 1=1 --", "1; DROP TABLE findings", "\x00", "%00", "\u202e", "1e309",
                  "-1", "99999999999999999999999", "2024-13-45", "true' OR 'a'='a", "*", "[]", "{}", "NaN"]
list_paths = [path for path, item in schema["paths"].items() if "get" in item and "{" not in path]
parameter_cases = 0
for path in list_paths:
    for parameter in item_params if (item_params := schema["paths"][path]["get"].get("parameters", [])) else []:
        if parameter.get("in") != "query":
            continue
        value = rng.choice(hostile_values)
        query = urllib.parse.urlencode({parameter["name"]: value})
        check(f"{path}?{parameter['name']}={value!r}", get(f"{path}?{query}"), None)
        parameter_cases += 1
print(f"sent hostile values to {parameter_cases} documented query parameters", flush=True)

# 3. Multipart: malformed bodies, too many parts, huge fields, traversal in file names.
boundary = "hostileboundary"


def multipart(parts, boundary=boundary):
    chunks = []
    for name, filename, data in parts:
        disposition = f'Content-Disposition: form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        chunks += [f"--{boundary}\r\n{disposition}\r\n\r\n".encode(), data, b"\r\n"]
    return b"".join(chunks + [f"--{boundary}--\r\n".encode()])


def raw_post_status(path, body, content_type):
    """Sends a whole request on a socket, ignoring a send cut short by the server's early answer
    (a refused upload closes the connection), then reads the status line."""
    port = int(urllib.parse.urlparse(BASE).port)
    with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
        head = (f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Token {token}\r\n"
                f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n").encode()
        try:
            connection.sendall(head + body)
        except OSError:
            pass
        try:
            status_line = connection.recv(1024).split(b"\r\n", 1)[0].decode(errors="replace")
        except OSError as error:
            return f"no answer: {error.__class__.__name__}"
    return int(status_line.split()[1]) if status_line.startswith("HTTP/") else status_line


def post_multipart(body, boundary=boundary, path="/api/v2/import-scan/"):
    return lambda: requests.post(BASE + path, data=body, headers={**auth, "Content-Type": f"multipart/form-data; boundary={boundary}"},
                                 timeout=120).status_code


generic = json.dumps({"findings": [{"title": "x", "severity": "High", "description": "d"}]}).encode()
check("multipart without boundary", lambda: requests.post(f"{BASE}/api/v2/import-scan/", data=b"--x\r\n",
                                                          headers={**auth, "Content-Type": "multipart/form-data"}).status_code, {400})
check("truncated multipart", post_multipart(multipart([("scan_type", None, b"Generic Findings Import")])[:-20]), {400})
check("garbage multipart", post_multipart(bytes(rng.getrandbits(8) for _ in range(100_000))), {400})
# Eight 1 MB text fields pass the 4 MB cap on form text (600 of them, as an attacker sent, are refused the same way).
check("8 text fields of 1 MB", lambda: raw_post_status("/api/v2/import-scan/", multipart([(f"f{i}", None, b"x" * 1_048_576) for i in range(8)]),
                                                     f"multipart/form-data; boundary={boundary}"), {400, 413})
check("5,000 tiny parts", post_multipart(multipart([("tags", None, b"t")] * 5_000)), {400})
for filename in ("../../../../etc/passwd", "..\\..\\windows\\win.ini", "/dev/zero", "a\x00b.json", "%2e%2e%2f" * 20):
    body = multipart([("scan_type", None, b"Generic Findings Import"), ("product_type_name", None, b"PT"), ("product_name", None, b"P"),
                      ("engagement_name", None, b"E"), ("auto_create_context", None, b"true"), ("file", filename, generic)])
    check(f"file name {filename!r}", post_multipart(body), {201, 400})
def declared_upload():
    """Headers declaring 200 MB and the first 64 KB of the body: the 413 must come at once, before
    the rest is sent (requests would rewrite Content-Length, so this goes over a plain socket)."""
    port = int(urllib.parse.urlparse(BASE).port)
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall((f"POST /api/v2/import-scan/ HTTP/1.1\r\nHost: x\r\nAuthorization: Token {token}\r\n"
                            f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {200 * 1_048_576}\r\n\r\n"
                            f"--{boundary}\r\n").encode() + b"x" * 65_536)
        answer = connection.recv(65_536)
    status_line = answer.split(b"\r\n", 1)[0].decode(errors="replace")
    if b"connection: close" not in answer.lower():
        return "the refusal does not say Connection: close"
    return int(status_line.split()[1]) if status_line.startswith("HTTP/") else status_line


check("declared 200 MB upload", declared_upload, {413})

# 4. Reports: XML entity bombs and external entities, zip bombs, mutated JSON.
bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">' + b"".join(
    f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9)) + b']><OWASPZAPReport>&j;</OWASPZAPReport>'
xxe = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><OWASPZAPReport>&x;</OWASPZAPReport>'
context = [("product_type_name", None, b"PT"), ("product_name", None, b"P"), ("engagement_name", None, b"E"), ("auto_create_context", None, b"true")]
for name, report in (("entity bomb", bomb), ("external entity", xxe)):
    check(f"ZAP {name}", post_multipart(multipart([("scan_type", None, b"ZAP Scan"), *context, ("file", "zap.xml", report)])), {400})
zipped = io.BytesIO()
with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
    archive.writestr("security.csv", b"\0" * 50_000_000)
for scan_type in (b"Blackduck Hub Scan", b"Fortify Scan"):
    check(f"zip bomb as {scan_type.decode()}", post_multipart(multipart([("scan_type", None, scan_type), *context, ("file", "bomb.zip", zipped.getvalue())])), {400})
for round_number in range(40):
    mutated = bytearray(generic * rng.randint(1, 3))
    for _ in range(rng.randint(1, 8)):
        mutated[rng.randrange(len(mutated))] = rng.choice(b'{}[]",:\\\x00\xff')
    check(f"mutated Generic report {round_number}", post_multipart(multipart([("scan_type", None, b"Generic Findings Import"), *context,
                                                                              ("file", "r.json", bytes(mutated))])), {201, 400})

# 5. Password floods: throttled, and token requests keep working meanwhile.
statuses = [requests.post(f"{BASE}/api/v2/api-token-auth/", data={"username": "admin", "password": f"wrong{i}"}).status_code for i in range(50)]
check("50 wrong passwords end in 429", lambda: statuses[-1], {429})
check("token requests unaffected", get("/api/v2/users/"), {200})
check("Basic auth flood throttled", lambda: [requests.get(f"{BASE}/api/v2/users/", auth=("ghost", "x")).status_code for _ in range(30)][-1], {429})

# 6. Raw garbage on the socket: bad bytes, bad methods, oversized headers. The connection may be
#    refused or closed by the HTTP parser; the server must keep serving.
for raw in (b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n", b"BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n", b"GET / HTTP/1.1\r\n" + b"X: " + b"a" * 200_000 + b"\r\n\r\n",
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(200), b"GET " + b"/a" * 50_000 + b" HTTP/1.1\r\n\r\n"):
    def send_raw(raw=raw):
        with socket.create_connection(("127.0.0.1", int(urllib.parse.urlparse(BASE).port)), timeout=10) as connection:
            connection.sendall(raw)
            try:
                connection.recv(1024)
            except (socket.timeout, ConnectionResetError):
                pass
        return requests.get(f"{BASE}/health").status_code
    check(f"raw {raw[:20]!r}", send_raw, {200})

check("still healthy", lambda: requests.get(f"{BASE}/health").status_code, {200})
print(f"peak server RSS during the lane: {peak_rss_mb} MB (bound {MAX_RSS_MB} MB)")
if peak_rss_mb > MAX_RSS_MB:
    failed += 1
    print("FAIL memory bound")
print(f"hostile: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
