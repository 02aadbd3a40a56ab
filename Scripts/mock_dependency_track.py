#!/usr/bin/env python3
"""A Dependency-Track stand-in for the connector benchmark: one project whose findings endpoint
returns N synthetic findings in one response (Dependency-Track does not page findings).
Usage: mock_dependency_track.py PORT N"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

PORT, TOTAL = int(sys.argv[1]), int(sys.argv[2])
PROJECT = "0b000000-0000-4000-8000-000000000001"
SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNASSIGNED"]


def finding(i):
    component = f"0c000000-0000-4000-8000-{i:012d}"
    vulnerability = f"0e000000-0000-4000-8000-{i:012d}"
    return {
        "component": {"uuid": component, "name": f"package-{i % 5000}", "group": "org.bench", "version": f"1.{i % 17}.0",
                      "purl": f"pkg:maven/org.bench/package-{i % 5000}@1.{i % 17}.0", "project": PROJECT},
        "vulnerability": {"uuid": vulnerability, "vulnId": f"CVE-2026-{i:05d}", "source": "NVD", "severity": SEVERITIES[i % 5],
                          "description": f"Synthetic vulnerability {i} in a benchmark package.", "cvssV3BaseScore": 5.5,
                          "cweId": 79 + i % 7, "aliases": [{"cveId": f"CVE-2026-{i:05d}", "ghsaId": f"GHSA-bench-{i:05d}"}]},
        "analysis": {"isSuppressed": False, "state": "EXPLOITABLE" if i % 10 == 0 else "NOT_SET"},
        "attribution": {"analyzerIdentity": "INTERNAL_ANALYZER", "attributedOn": "2026-10-01 10:00:00.000"},
        "matrix": f"{PROJECT}:{component}:{vulnerability}",
    }


BODY = json.dumps([finding(i) for i in range(TOTAL)]).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_body(self, status, body, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = urlparse(self.path).path
        if path == "/api/v1/project":
            project = [{"uuid": PROJECT, "name": "bench-app", "version": "1.0", "active": True, "tags": []}]
            return self.send_body(200, json.dumps(project).encode(), [("X-Total-Count", "1")])
        if path == f"/api/v1/finding/project/{PROJECT}":
            return self.send_body(200, BODY, [("X-Total-Count", str(TOTAL))])
        return self.send_body(404, b'{"error":"not found"}')


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
