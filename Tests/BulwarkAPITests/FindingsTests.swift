import BulwarkServices
import BulwarkStorage
import BulwarkTesting
import Foundation
import Testing

@Suite("findings/: fields, status rules, filters and actions")
struct FindingsTests {
    static let findingFields = [
        "id", "tags", "request_response", "accepted_risks", "push_to_jira", "age", "sla_days_remaining", "finding_meta", "related_fields",
        "jira_creation", "jira_change", "display_status", "finding_groups", "vulnerability_ids", "reporter", "endpoints", "title", "date",
        "sla_start_date", "sla_expiration_date", "cwe", "epss_score", "epss_percentile", "known_exploited", "ransomware_used", "kev_date",
        "cvssv3", "cvssv3_score", "cvssv4", "cvssv4_score", "url", "severity", "description", "mitigation", "impact", "steps_to_reproduce",
        "severity_justification", "references", "fix_available", "fix_version", "active", "verified", "false_p", "duplicate",
        "out_of_scope", "risk_accepted", "under_review", "under_defect_review", "is_mitigated", "mitigated", "mitigated_by",
        "last_status_update", "review_requested_by", "defect_review_requested_by", "reviewers", "thread_id", "numerical_severity",
        "last_reviewed", "last_reviewed_by", "param", "payload", "hash_code", "line", "file_path", "component_name", "component_version",
        "static_finding", "dynamic_finding", "scanner_confidence", "unique_id_from_tool", "vuln_id_from_tool", "sast_source_object",
        "sast_sink_object", "sast_source_line", "sast_source_file_path", "nb_occurences", "publish_date", "service",
        "planned_remediation_date", "planned_remediation_version", "effort_for_fixing", "created", "updated", "test", "duplicate_finding",
        "sonarqube_issue", "notes", "files", "found_by",
    ]

    @Test("SLA fields follow the product's SLA configuration and the system setting; status and age do not depend on them")
    func slaConfigurationDrivesSLAFields() async throws {
        try await withTestServer { server in
            // Given: a product on a configuration that enforces 3 days for High and nothing for Critical
            let chain = try await server.makeChain()
            let created = try await server.request(.POST, "/api/v2/sla_configurations/", json: #"{"name":"Custom","high":3,"enforce_critical":false}"#)
            let configuration = try #require(created.json["id"]?.intValue)
            _ = try await server.request(.PATCH, "/api/v2/products/\(chain.product)/", json: #"{"sla_configuration":\#(configuration)}"#)
            let high = try await server.makeFinding(chain, severity: "High")
            let critical = try await server.makeFinding(chain, severity: "Critical")
            // When
            let listed = try await server.request(.GET, "/api/v2/findings/?o=id")
            let byID = Dictionary(uniqueKeysWithValues: (listed.json["results"]?.items ?? []).compactMap { item in item["id"]?.intValue.map { ($0, item) } })
            // Then
            #expect(byID[high]?["sla_days_remaining"] == .int(3))
            #expect(byID[critical]?["sla_days_remaining"] == .null)
            #expect(byID[critical]?["sla_expiration_date"] == .null)
            #expect(byID[critical]?["display_status"] == .string("Active"))
            #expect(byID[critical]?["age"] == .int(0))
            // When SLAs are switched off system-wide
            _ = try await server.request(.PATCH, "/api/v2/system_settings/1/", json: #"{"enable_finding_sla": false}"#)
            let off = try await server.request(.GET, "/api/v2/findings/\(high)/")
            // Then
            #expect(off.json["sla_days_remaining"] == .null)
            #expect(off.json["sla_expiration_date"] == .null)
            #expect(off.json["display_status"] == .string("Active"))
        }
    }

    @Test("A created finding has DefectDojo's fields in order and its computed values filled")
    func createdFinding() async throws {
        try await withTestServer { server in
            // Given
            let chain = try await server.makeChain()
            // When
            let id = try await server.makeFinding(chain, severity: "Critical", extra: #", "vulnerability_ids": [{"vulnerability_id": "CVE-2024-1"}, {"vulnerability_id": "GHSA-x"}], "tags": ["Web"], "cvssv3": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H""#)
            let finding = try await server.request(.GET, "/api/v2/findings/\(id)/")
            // Then
            #expect(finding.json.keys == Self.findingFields + ["prefetch"])
            #expect(finding.json["numerical_severity"] == .string("S0"))
            #expect(finding.json["display_status"] == .string("Active"))
            #expect(finding.json["age"] == .int(0))
            #expect(finding.json["sla_days_remaining"] == .int(7))
            let today = DateFormatting.day(Date())
            #expect(finding.json["date"] == .string(today))
            let expected = DateFormatting.day(DateFormatting.adding(days: 7, to: try #require(DateFormatting.parseDay(today))))
            #expect(finding.json["sla_expiration_date"] == .string(expected))
            #expect(finding.json["cvssv3_score"] == .double(9.8))
            #expect(finding.json["vulnerability_ids"]?.items.compactMap { $0["vulnerability_id"]?.stringValue } == ["CVE-2024-1", "GHSA-x"])
            #expect(finding.json["tags"] == .array([.string("web")]))
            #expect(finding.json["reporter"] == .int(1))
            #expect(finding.json["found_by"] == .array([.int(chain.testType)]))
            #expect(finding.json["thread_id"] == .int(0))
            #expect(finding.json["dynamic_finding"] == .bool(true))
            #expect(finding.json["request_response"] == .object([("req_resp", .array([]))]))
        }
    }

    @Test("Finding validation gives DefectDojo's messages", arguments: [
        (#""severity": "Urgent""#, "severity", "Severity must be one of the following: ['Info', 'Low', 'Medium', 'High', 'Critical']"),
        (#""cvssv3": "CVSS:2.0/AV:N""#, "cvssv3", "No valid CVSS3 vectors found by cvss.parse_cvss_from_text()"),
        (#""cvssv3": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H""#, "cvssv3", "No valid CVSS3 vectors found by cvss.parse_cvss_from_text()"),
        (#""epss_score": 1.5"#, "epss_score", "Ensure this value is less than or equal to 1."),
        (#""duplicate": true"#, "non_field_errors", "Duplicate findings cannot be verified or active"),
        (#""false_p": true, "verified": true"#, "non_field_errors", "False positive findings cannot be verified."),
        (#""risk_accepted": true"#, "non_field_errors", "Active findings cannot be risk accepted."),
        (#""cwe": "abc""#, "cwe", "A valid integer is required."),
        (#""date": "31/12/2024""#, "date", "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."),
        (#""vulnerability_ids": "CVE-1""#, "vulnerability_ids", "Expected a list of items but got type \"str\"."),
    ])
    func validation(extra: String, field: String, message: String) async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let response = try await server.request(.POST, "/api/v2/findings/", json: """
                {"test": \(chain.test), "found_by": [\(chain.testType)], "title": "T", "severity": "High", "description": "d",
                 "active": true, "verified": false, \(extra)}
                """.replacingOccurrences(of: #""verified": false, "false_p": true, "verified": true"#, with: #""false_p": true, "verified": true"#))
            #expect(response.status == .badRequest, "\(response.body)")
            #expect(response.json[field]?.items.contains(.string(message)) == true, "\(response.body)")
        }
    }

    @Test("Required fields on POST: test, found_by, title, severity, description, active, verified")
    func requiredFields() async throws {
        try await withTestServer { server in
            let response = try await server.request(.POST, "/api/v2/findings/", json: "{}")
            #expect(response.status == .badRequest)
            for field in ["test", "found_by", "title", "severity", "description", "active", "verified"] {
                #expect(response.json[field] == .array([.string("This field is required.")]), "\(field)")
            }
        }
    }

    @Test("close/ mitigates: inactive, is_mitigated, mitigated stamp, mitigated_by, note added")
    func close() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let id = try await server.makeFinding(chain)
            let closed = try await server.request(.POST, "/api/v2/findings/\(id)/close/", json: #"{"note": "fixed in 2.0"}"#)
            #expect(closed.status == .ok)
            #expect(closed.json["is_mitigated"] == .bool(true))
            let finding = try await server.request(.GET, "/api/v2/findings/\(id)/")
            #expect(finding.json["active"] == .bool(false))
            #expect(finding.json["is_mitigated"] == .bool(true))
            #expect(finding.json["mitigated"]?.stringValue != nil)
            #expect(finding.json["mitigated_by"] == .int(1))
            #expect(finding.json["display_status"] == .string("Inactive, Mitigated"))
            #expect(finding.json["notes"]?.items.first?["entry"] == .string("fixed in 2.0"))
            let falsePositive = try await server.makeFinding(chain, title: "Noise")
            _ = try await server.request(.POST, "/api/v2/findings/\(falsePositive)/close/", json: #"{"false_p": true}"#)
            let fp = try await server.request(.GET, "/api/v2/findings/\(falsePositive)/")
            #expect(fp.json["display_status"] == .string("Inactive, Mitigated, False Positive"))
        }
    }

    @Test("PATCH status changes follow DefectDojo's rules")
    func patchStatus() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let id = try await server.makeFinding(chain)
            let verified = try await server.request(.PATCH, "/api/v2/findings/\(id)/", json: #"{"verified": true}"#)
            #expect(verified.json["display_status"] == .string("Active, Verified"))
            let fpWhileVerified = try await server.request(.PATCH, "/api/v2/findings/\(id)/", json: #"{"false_p": true}"#)
            #expect(fpWhileVerified.status == .badRequest)
            let mitigated = try await server.request(.PATCH, "/api/v2/findings/\(id)/", json: #"{"is_mitigated": true, "active": false}"#)
            #expect(mitigated.json["mitigated"]?.stringValue != nil)
            #expect(mitigated.json["mitigated_by"] == .int(1))
            let stamp = try await server.request(.PATCH, "/api/v2/findings/\(id)/", json: #"{"mitigated": "2020-01-01T00:00:00Z"}"#)
            #expect(stamp.status == .badRequest)
            let severity = try await server.request(.PATCH, "/api/v2/findings/\(id)/", json: #"{"severity": "Low", "numerical_severity": "S0"}"#)
            #expect(severity.json["numerical_severity"] == .string("S3"))
            let moveTest = try await server.request(.PATCH, "/api/v2/findings/\(id)/", json: #"{"test": 999}"#)
            #expect(moveTest.json["test"] == .int(chain.test))
        }
    }

    @Test("Simple risk acceptance via PATCH makes the finding inactive and risk accepted")
    func simpleRiskAcceptance() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let id = try await server.makeFinding(chain)
            let response = try await server.request(.PATCH, "/api/v2/findings/\(id)/", json: #"{"active": false, "risk_accepted": true}"#)
            #expect(response.status == .ok, "\(response.body)")
            #expect(response.json["display_status"] == .string("Inactive, Risk Accepted"))
        }
    }

    @Test("Findings filters: severity lists, booleans, product, tags, vulnerability ids, text, dates, ordering")
    func filters() async throws {
        try await withTestServer { server in
            // Given
            let shop = try await server.makeChain(name: "Shop")
            let blog = try await server.makeChain(name: "Blog")
            try await server.makeFinding(shop, title: "XSS", severity: "High", extra: #", "tags": ["web"], "cwe": 79"#)
            try await server.makeFinding(shop, title: "SQLi", severity: "Critical", extra: #", "vulnerability_ids": [{"vulnerability_id": "CVE-1"}], "cwe": 89"#)
            try await server.makeFinding(blog, title: "Info leak", severity: "Low", extra: #", "verified": true, "file_path": "src/App.swift""#)
            func titles(_ query: String) async throws -> [String] {
                let response = try await server.request(.GET, "/api/v2/findings/?\(query)")
                #expect(response.status == .ok, "\(query): \(response.body)")
                return response.json["results"]?.items.compactMap { $0["title"]?.stringValue } ?? []
            }
            // Then (default order: numerical_severity ascending, i.e. Critical first)
            #expect(try await titles("") == ["SQLi", "XSS", "Info leak"])
            #expect(try await titles("severity=High,Critical") == ["SQLi", "XSS"])
            #expect(try await titles("severity=High&active=true") == ["XSS"])
            #expect(try await titles("verified=true") == ["Info leak"])
            #expect(try await titles("test__engagement__product=\(blog.product)") == ["Info leak"])
            #expect(try await titles("test__engagement__product__prod_type=\(shop.productType)").count == 2)
            #expect(try await titles("test=\(shop.test)").count == 2)
            #expect(try await titles("tags=web") == ["XSS"])
            #expect(try await titles("test__engagement__product__tags=none").isEmpty)
            #expect(try await titles("vulnerability_id=CVE-1") == ["SQLi"])
            #expect(try await titles("cwe=79,89").count == 2)
            #expect(try await titles("title=sq") == ["SQLi"])
            #expect(try await titles("file_path=app.swift") == ["Info leak"])
            #expect(try await titles("product_name=shop").count == 2)
            #expect(try await titles("product_name_contains=lo") == ["Info leak"])
            #expect(try await titles("numerical_severity=S3") == ["Info leak"])
            #expect(try await titles("date=1").count == 3)
            #expect(try await titles("discovered_before=2000-01-01").isEmpty)
            #expect(try await titles("o=title") == ["Info leak", "SQLi", "XSS"])
            #expect(try await titles("o=-test__engagement__product__name,title") == ["SQLi", "XSS", "Info leak"])
            #expect(try await titles("title__icontains=X&cwe__gt=50") == ["XSS"])
            let bad = try await server.request(.GET, "/api/v2/findings/?o=hash")
            #expect(bad.status == .badRequest)
        }
    }

    @Test("Tags, metadata, verify and duplicate actions")
    func actions() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let id = try await server.makeFinding(chain)
            let added = try await server.request(.POST, "/api/v2/findings/\(id)/tags/", json: #"{"tags": ["PCI", "ext"]}"#)
            #expect(added.json == .object([("tags", .array([.string("pci"), .string("ext")]))]))
            #expect(try await server.request(.PATCH, "/api/v2/findings/\(id)/remove_tags/", json: #"{"tags": ["pci"]}"#).status == .noContent)
            #expect(try await server.request(.GET, "/api/v2/findings/\(id)/tags/").json["tags"] == .array([.string("ext")]))
            #expect(try await server.request(.PATCH, "/api/v2/findings/\(id)/remove_tags/", json: #"{"tags": ["nope"]}"#).status == .badRequest)
            #expect(try await server.request(.POST, "/api/v2/findings/\(id)/metadata/", json: #"{"name": "team", "value": "red"}"#).status == .ok)
            #expect(try await server.request(.POST, "/api/v2/findings/\(id)/metadata/", json: #"{"name": "team", "value": "red"}"#).status == .badRequest)
            #expect(try await server.request(.PUT, "/api/v2/findings/\(id)/metadata/", json: #"{"name": "team", "value": "blue"}"#).status == .ok)
            let finding = try await server.request(.GET, "/api/v2/findings/\(id)/")
            #expect(finding.json["finding_meta"] == .array([.object([("name", .string("team")), ("value", .string("blue"))])]))
            #expect(try await server.request(.DELETE, "/api/v2/findings/\(id)/metadata/?name=team").status == .noContent)
            let verified = try await server.request(.POST, "/api/v2/findings/\(id)/verify/")
            #expect(verified.json["verified"] == .bool(true))
            // A duplicate pointing at the original forms a cluster.
            let copy = try await server.makeFinding(chain, title: "Copy")
            try await server.sql.raw("UPDATE findings SET duplicate = \(bind: true), active = \(bind: false), duplicate_finding_id = \(bind: id) WHERE id = \(bind: copy)").run()
            let cluster = try await server.request(.GET, "/api/v2/findings/\(id)/duplicate/")
            #expect(cluster.json.items.compactMap { $0["id"]?.intValue } == [copy])
            #expect(try await server.request(.POST, "/api/v2/findings/\(copy)/duplicate/reset/").status == .noContent)
            let reset = try await server.request(.GET, "/api/v2/findings/\(copy)/")
            #expect(reset.json["duplicate"] == .bool(false))
            #expect(reset.json["active"] == .bool(true))
            #expect(try await server.request(.POST, "/api/v2/findings/\(copy)/duplicate/reset/").status == .badRequest)
        }
    }

    @Test("Notes on findings: add, list, remove; only the author or a superuser removes")
    func notes() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let id = try await server.makeFinding(chain)
            let added = try await server.request(.POST, "/api/v2/findings/\(id)/notes/", json: #"{"entry": "triaged"}"#)
            #expect(added.status == .created)
            let noteID = try #require(added.json["id"]?.intValue)
            let list = try await server.request(.GET, "/api/v2/findings/\(id)/notes/")
            #expect(list.json["finding_id"] == .int(id))
            #expect(list.json["notes"]?.items.count == 1)
            #expect(try await server.request(.PATCH, "/api/v2/findings/\(id)/remove_note/", json: #"{"note_id": \#(noteID)}"#).status == .noContent)
            #expect(try await server.request(.GET, "/api/v2/findings/\(id)/notes/").json["notes"]?.items.isEmpty == true)
        }
    }

    @Test("Risk acceptances make findings inactive; deleting or expiring one reactivates them")
    func riskAcceptance() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let first = try await server.makeFinding(chain, title: "A")
            let second = try await server.makeFinding(chain, title: "B")
            let created = try await server.request(.POST, "/api/v2/risk_acceptance/", json: """
                {"name": "Accept for now", "owner": 1, "accepted_findings": [\(first), \(second)], "expiration_date": "2000-01-01T00:00:00Z"}
                """)
            #expect(created.status == .created, "\(created.body)")
            #expect(created.json["path"] == .string("No proof has been supplied"))
            let raID = try #require(created.json["id"]?.intValue)
            let accepted = try await server.request(.GET, "/api/v2/findings/\(first)/")
            #expect(accepted.json["risk_accepted"] == .bool(true))
            #expect(accepted.json["active"] == .bool(false))
            #expect(accepted.json["accepted_risks"]?.items.first?["id"] == .int(raID))
            // Removing a finding from the acceptance reactivates it.
            let patched = try await server.request(.PATCH, "/api/v2/risk_acceptance/\(raID)/", json: #"{"accepted_findings": [\#(first)]}"#)
            #expect(patched.status == .ok)
            #expect(try await server.request(.GET, "/api/v2/findings/\(second)/").json["active"] == .bool(true))
            #expect(try await server.request(.DELETE, "/api/v2/risk_acceptance/\(raID)/").status == .noContent)
            let released = try await server.request(.GET, "/api/v2/findings/\(first)/")
            #expect(released.json["risk_accepted"] == .bool(false))
            #expect(released.json["active"] == .bool(true))
        }
    }

    @Test("A product's findings_count and findings_list hold its active findings")
    func productFindingCounts() async throws {
        try await withTestServer { server in
            // Given
            let chain = try await server.makeChain()
            let open = try await server.makeFinding(chain, title: "Open")
            let closed = try await server.makeFinding(chain, title: "Closed")
            // When
            _ = try await server.request(.POST, "/api/v2/findings/\(closed)/close/", json: "{}")
            // Then
            let product = try await server.request(.GET, "/api/v2/products/\(chain.product)/")
            #expect(product.json["findings_count"] == .int(1))
            #expect(product.json["findings_list"] == .array([.int(open)]))
        }
    }

    @Test("Non-members cannot see findings; readers cannot change them")
    func rbac() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let id = try await server.makeFinding(chain)
            let outsider = try await server.makeUser("outsider")
            let reader = try await server.makeUser("reader")
            try await server.sql.raw("INSERT INTO product_members (product_id, user_id, role_id) VALUES (\(bind: chain.product), \(bind: reader.id), 5)").run()
            #expect(try await server.request(.GET, "/api/v2/findings/", token: outsider.token).json["count"] == .int(0))
            #expect(try await server.request(.GET, "/api/v2/findings/\(id)/", token: outsider.token).status == .notFound)
            #expect(try await server.request(.POST, "/api/v2/findings/\(id)/close/", token: outsider.token).status == .notFound)
            #expect(try await server.request(.GET, "/api/v2/findings/\(id)/", token: reader.token).status == .ok)
            #expect(try await server.request(.POST, "/api/v2/findings/\(id)/close/", token: reader.token).status == .forbidden)
            #expect(try await server.request(.PATCH, "/api/v2/findings/\(id)/", token: reader.token, json: #"{"title": "x"}"#).status == .forbidden)
        }
    }

    @Test("Deleting a product removes its findings, their tags and notes")
    func cascade() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let id = try await server.makeFinding(chain, extra: #", "tags": ["gone"]"#)
            _ = try await server.request(.POST, "/api/v2/findings/\(id)/notes/", json: #"{"entry": "bye"}"#)
            let preview = try await server.request(.GET, "/api/v2/products/\(chain.product)/delete_preview/")
            #expect(preview.json["results"]?.items.contains { $0["model"] == .string("Finding") } == true)
            #expect(try await server.request(.DELETE, "/api/v2/products/\(chain.product)/").status == .noContent)
            for table in ["findings", "tags", "notes", "note_links", "tests", "engagements"] {
                let row = try await server.sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()
                #expect(try row?.decode(column: "n", as: Int.self) == 0, "\(table)")
            }
        }
    }
}

@Suite("Risk acceptance expiry")
struct RiskAcceptanceExpiryTests {
    @Test("An expired acceptance with reactivate_expired reactivates its findings and restarts the SLA when asked; it is handled once")
    func expiry() async throws {
        try await withTestServer { server in
            // Given
            let chain = try await server.makeChain()
            let finding = try await server.makeFinding(chain)
            let created = try await server.request(.POST, "/api/v2/risk_acceptance/", json: """
                {"name": "Temporary", "owner": 1, "accepted_findings": [\(finding)], "expiration_date": "2001-01-01T00:00:00Z", "restart_sla_expired": true}
                """)
            #expect(created.status == .created)
            #expect(try await server.request(.GET, "/api/v2/findings/\(finding)/").json["active"] == .bool(false))
            // When
            let handled = try await RiskAcceptances.expire(db: try server.sql, now: Date())
            let again = try await RiskAcceptances.expire(db: try server.sql, now: Date())
            // Then
            #expect(handled == 1)
            #expect(again == 0)
            let reactivated = try await server.request(.GET, "/api/v2/findings/\(finding)/")
            #expect(reactivated.json["active"] == .bool(true))
            #expect(reactivated.json["risk_accepted"] == .bool(false))
            #expect(reactivated.json["sla_start_date"] == .string(DateFormatting.day(Date())))
            let acceptance = try await server.request(.GET, "/api/v2/risk_acceptance/\(try #require(created.json["id"]?.intValue))/")
            #expect(acceptance.json["expiration_date_handled"]?.stringValue != nil)
            #expect(acceptance.json["accepted_findings"] == .array([.int(finding)]))
        }
    }
}
