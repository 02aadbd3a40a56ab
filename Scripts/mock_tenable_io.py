#!/usr/bin/env python3
"""A Tenable.io stand-in for the export benchmark: one scan, and a vulnerability export of N
synthetic findings in chunks of C (generated per request, so the mock stays small). The first
status poll reports the export PROCESSING with half the chunks available, later polls FINISHED.
Usage: mock_tenable_io.py PORT N C"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

PORT, TOTAL, CHUNK = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
CHUNKS = (TOTAL + CHUNK - 1) // CHUNK
EXPORT = "0e000000-0000-4000-8000-00000000e001"
SCHEDULE = "template-bench-0000-4000-8000-000000000001"
SEVERITIES = ["critical", "high", "medium", "low", "info"]
STATES = ["OPEN", "OPEN", "REOPENED", "FIXED"]
polls = 0


def item(i):
    host = i // 40
    return {
        "asset": {"uuid": f"0a000000-0000-4000-8000-{host:012d}", "hostname": f"host-{host}", "fqdn": f"host-{host}.bench.example",
                  "ipv4": f"10.{host // 65536 % 256}.{host // 256 % 256}.{host % 256}", "operating_system": ["Linux"]},
        "plugin": {"id": 100000 + i % 40, "name": f"Synthetic plugin {i % 40}", "family": "Bench",
                   "synopsis": "A synthetic vulnerability for the export benchmark.",
                   "description": "The remote host is affected by a synthetic vulnerability used to measure the connector.",
                   "solution": "Apply the vendor update.", "see_also": ["https://bench.example/advisory"],
                   "cve": [f"CVE-2026-{i % 40:05d}"], "cvss3_base_score": 7.5, "risk_factor": "High"},
        "port": {"port": 443, "protocol": "TCP", "service": "www"},
        "scan": {"schedule_uuid": SCHEDULE, "uuid": "0b000000-0000-4000-8000-000000000001", "started_at": "2026-11-18T02:00:00.000Z"},
        "severity": SEVERITIES[i % 5], "severity_id": 4 - i % 5, "severity_modification_type": "ACCEPTED" if i % 50 == 0 else "NONE",
        "state": STATES[i % 4], "first_found": "2026-09-09T02:11:00.000Z", "last_found": "2026-11-18T02:40:00.000Z",
        "last_fixed": "2026-11-17T01:06:00.000Z" if i % 4 == 3 else None,
        "output": f"Synthetic plugin output for finding {i}.",
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, value, status=200):
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        global polls
        path = urlparse(self.path).path
        if path == "/scans":
            self.send_json({"folders": [{"id": 3, "type": "main"}], "scans": [
                {"id": 1, "uuid": SCHEDULE, "schedule_uuid": SCHEDULE, "name": "Bench scan", "folder_id": 3,
                 "last_modification_date": 1763446800}]})
        elif path == f"/vulns/export/{EXPORT}/status":
            polls += 1
            ready = CHUNKS if polls > 1 else max(1, CHUNKS // 2)
            self.send_json({"status": "FINISHED" if polls > 1 else "PROCESSING", "chunks_available": list(range(1, ready + 1)),
                            "chunks_failed": [], "chunks_cancelled": []})
        elif path.startswith(f"/vulns/export/{EXPORT}/chunks/"):
            number = int(path.rsplit("/", 1)[1])
            start = (number - 1) * CHUNK
            self.send_json([item(i) for i in range(start, min(TOTAL, start + CHUNK))])
        else:
            self.send_json({"error": "not found"}, 404)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        if urlparse(self.path).path == "/vulns/export":
            self.send_json({"export_uuid": EXPORT})
        else:
            self.send_json({"error": "not found"}, 404)


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
