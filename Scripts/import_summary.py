#!/usr/bin/env python3
"""Prints one line from an import-scan/reimport-scan response: the delta counts, or the findings total."""
import json
import sys

try:
    body = json.load(open(sys.argv[1]))
except (OSError, ValueError):
    print(open(sys.argv[1]).read()[:300])
    sys.exit(0)
statistics = body.get("statistics", {})
delta = statistics.get("delta")
if delta:
    print("delta " + ", ".join(f"{name} {block['total']['total']}" for name, block in delta.items()))
else:
    print(f"findings {statistics.get('after', {}).get('total', {}).get('total')}; duplicates {statistics.get('after', {}).get('total', {}).get('duplicate')}")
