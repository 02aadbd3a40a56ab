#!/usr/bin/env python3
"""Writes a synthetic "Generic Findings Import" JSON report for Bulwark's import benchmark.

  gen_generic_report.py N SEED OUT [OVERLAP BASE_SEED]

Findings are distinct by title, file_path, line and unique_id_from_tool. With OVERLAP (0..1)
and BASE_SEED, the first round(OVERLAP*N) findings equal those BASE_SEED produces at the same
indexes, which models a reimport where most findings are unchanged.
"""
import json
import random
import sys

SEVERITIES = ["Critical", "High", "Medium", "Low", "Info"]
CWES = [79, 89, 22, 78, 352, 434, 502, 611, 798, 918]


def finding(seed: int, index: int) -> dict:
    rng = random.Random(seed * 1_000_003 + index)
    cwe = rng.choice(CWES)
    return {
        "title": f"Issue {seed}-{index}: CWE-{cwe} in module {rng.randrange(500)}",
        "severity": rng.choice(SEVERITIES),
        "description": f"Synthetic finding {seed}-{index}. Untrusted input reaches a sensitive operation. " * 2,
        "mitigation": "Validate and encode untrusted input.",
        "cwe": cwe,
        "file_path": f"src/pkg{rng.randrange(40)}/file{index}.py",
        "line": rng.randrange(1, 2000),
        "unique_id_from_tool": f"bench-{seed}-{index}",
        "vulnerability_ids": [f"CVE-2025-{seed % 90 + 10}{index:05d}"],
        "component_name": f"lib{rng.randrange(300)}",
        "component_version": f"1.{rng.randrange(30)}.{rng.randrange(10)}",
        "active": True,
        "verified": False,
    }


def main() -> None:
    if len(sys.argv) not in (4, 6):
        sys.exit(__doc__)
    count, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    overlap, base = (float(sys.argv[4]), int(sys.argv[5])) if len(sys.argv) == 6 else (0.0, seed)
    shared = round(overlap * count)
    findings = [finding(base, i) if i < shared else finding(seed, i) for i in range(count)]
    with open(out, "w") as handle:
        json.dump({"name": "Bench scanner", "type": "Bench", "findings": findings}, handle)


if __name__ == "__main__":
    main()
