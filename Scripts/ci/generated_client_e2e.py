#!/usr/bin/env python3
"""Drive a running Bulwark with DefectDojo's OpenAPI-generated Python client (PyPI:
defectdojo-api-generated): create a product type, product and engagement, import a scan,
list findings with a filter, and close one. Any error, or a response the client cannot
deserialise into its models, fails the run.

    python3 Scripts/ci/generated_client_e2e.py http://127.0.0.1:8080 <api-token>
"""
import datetime
import json
import sys
import uuid

from defectdojo_api_generated import DefectDojo
from defectdojo_api_generated.models import (
    EngagementRequest,
    FindingCloseRequest,
    ProductRequest,
    ProductTypeRequest,
)


def report() -> bytes:
    """A small Generic Findings Import report: two High and one Low finding."""
    findings = [
        {"title": f"SQL injection in /search ({n})", "severity": severity, "description": "User input reaches a query.",
         "file_path": f"src/search{n}.py", "line": 10 + n, "cwe": 89, "date": "2024-05-01"}
        for n, severity in ((1, "High"), (2, "High"), (3, "Low"))
    ]
    return json.dumps({"findings": findings}).encode()


def main() -> int:
    base_url, token = sys.argv[1], sys.argv[2]
    dd = DefectDojo(base_url=base_url, token=token)
    suffix = uuid.uuid4().hex[:8]

    product_type = dd.product_types_api.create(ProductTypeRequest(name=f"Client e2e {suffix}", description="made by the generated client"))
    product = dd.products_api.create(ProductRequest(name=f"Client app {suffix}", description="made by the generated client",
                                                    prod_type=product_type.id))
    today = datetime.date.today()
    engagement = dd.engagements_api.create(EngagementRequest(
        name="CI", product=product.id, target_start=today, target_end=today + datetime.timedelta(days=7), status="In Progress"))
    print(f"product type {product_type.id}, product {product.id}, engagement {engagement.id}")

    imported = dd.import_scan_api.create(
        scan_type="Generic Findings Import", engagement=engagement.id, file=("report.json", report()),
        minimum_severity="Info", active=True, verified=False, close_old_findings=False)
    print(f"imported into test {imported.test}: {imported.statistics}")

    high = dd.findings_api.list(test=imported.test, severity="High", limit=10)
    assert high.count == 2, f"expected 2 High findings, got {high.count}"
    assert all(f.severity == "High" and f.test == imported.test for f in high.results), high.results
    everything = dd.findings_api.list(test=imported.test, limit=10)
    assert everything.count == 3, f"expected 3 findings in the test, got {everything.count}"

    target = high.results[0]
    closed = dd.findings_api.close_create(target.id, FindingCloseRequest(is_mitigated=True, note="fixed in CI"))
    assert closed.is_mitigated, closed
    after = dd.findings_api.retrieve(target.id)
    assert after.active is False and after.is_mitigated is True, (after.active, after.is_mitigated)
    active_high = dd.findings_api.list(test=imported.test, severity="High", active=True, limit=10)
    assert active_high.count == 1, f"expected 1 active High finding after closing one, got {active_high.count}"
    print(f"closed finding {target.id}; {active_high.count} active High finding left")
    return 0


if __name__ == "__main__":
    sys.exit(main())
