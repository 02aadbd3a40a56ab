import BulwarkCore
import BulwarkStorage
import BulwarkTesting
import Foundation
import SQLKit
import Testing

/// `POST /api/v2/import-scan/` against import-semantics.md §2–§5 and api-v2.md §4.
@Suite("import-scan/: parameters, response, errors, atomicity, dedupe")
struct ImportScanTests {
    typealias R = ImportReports
    typealias F = EngagementFixtures

    /// §4: the 201 body's keys, in DefectDojo's order (a response holds a subsequence of these, plus maybe `pro`).
    static let responseOrder = [
        "scan_date", "minimum_severity", "active", "verified", "endpoint_to_add", "product_type_name", "product_name", "engagement_name",
        "engagement_end_date", "source_code_management_uri", "test_title", "auto_create_context", "deduplication_on_engagement", "lead",
        "push_to_jira", "environment", "build_id", "branch_tag", "commit_hash", "api_scan_configuration", "service", "group_by",
        "create_finding_groups_for_all_findings", "apply_tags_to_findings", "apply_tags_to_endpoints", "scan_type", "engagement", "tags",
        "close_old_findings", "close_old_findings_product_scope", "version", "test", "test_id", "engagement_id", "product_id",
        "product_type_id", "statistics",
    ]
    static let severityKeys = ["info", "low", "medium", "high", "critical", "total"]
    static let counterKeys = ["active", "verified", "duplicate", "false_p", "out_of_scope", "is_mitigated", "risk_accepted", "total"]

    static var generic: String { R.generic(R.threeFindings) }

    /// Imports the three-finding Generic report into an engagement and returns the new test id.
    static func importGeneric(_ server: TestServer, engagement: Int, report: String = generic, fields: [(String, String)] = []) async throws -> Int {
        let response = try await server.importReport(report: report, fields: [("engagement", "\(engagement)")] + fields)
        #expect(response.status == .created, "\(response.body)")
        return try #require(response.json["test"]?.intValue, "\(response.body)")
    }

    static func isSubsequence(_ keys: [String], of order: [String]) -> Bool {
        var rest = order[...]
        for key in keys {
            guard let index = rest.firstIndex(of: key) else { return false }
            rest = rest[(index + 1)...]
        }
        return true
    }

    static func value(_ server: TestServer, _ query: String) async throws -> String? {
        guard let row = try await server.sql.raw(SQLQueryString(query)).first() else { return nil }
        return try row.decode(column: "v", as: String?.self)
    }

    static func today() -> String { DateFormatting.day(Date()) }

    // MARK: - The documented request

    @Test("DefectDojo's documented curl request: 201 with §4's body, keys in order, statistics.after filled")
    func documentedRequest() async throws {
        try await withTestServer { server in
            // Given an engagement and the request from DefectDojo's API docs (a ZAP report, curl -F fields)
            let chain = try await server.makeChain()
            let form = MultipartForm([
                ("engagement", "\(chain.engagement)"), ("verified", "true"), ("active", "true"), ("lead", "1"), ("tags", "test"),
                ("scan_type", "ZAP Scan"), ("minimum_severity", "Info"), ("skip_duplicates", "true"), ("close_old_findings", "false"),
            ], file: R.zap, filename: "zap.xml")

            // When it is posted as a plain multipart body
            let response = try await server.request(.POST, "/api/v2/import-scan/", body: String(decoding: form.bytes, as: UTF8.self),
                                                    contentType: form.contentType)

            // Then 201 with the echoed fields and the result ids
            #expect(response.status == .created, "\(response.body)")
            let body = response.json
            let keys = body.keys.filter { $0 != "pro" }
            #expect(Self.isSubsequence(keys, of: Self.responseOrder), "keys out of DefectDojo's order: \(keys)")
            for key in ["scan_type", "engagement", "minimum_severity", "active", "verified", "lead", "tags", "close_old_findings",
                        "test", "test_id", "engagement_id", "product_id", "product_type_id", "statistics"] {
                #expect(keys.contains(key), "missing \(key): \(keys)")
            }
            #expect(!keys.contains("file") && !keys.contains("skip_duplicates"))
            #expect(body["scan_type"] == .string("ZAP Scan"))
            #expect(body["engagement"] == .int(chain.engagement))
            #expect(body["active"] == .bool(true))
            #expect(body["verified"] == .bool(true))
            #expect(body["lead"] == .int(1))
            #expect(body["tags"] == .array([.string("test")]))
            #expect(body["minimum_severity"] == .string("Info"))
            #expect(body["close_old_findings"] == .bool(false))
            let test = try #require(body["test"]?.intValue)
            #expect(body["test_id"] == .int(test))
            #expect(test != chain.test)
            #expect(body["engagement_id"] == .int(chain.engagement))
            #expect(body["product_id"] == .int(chain.product))
            #expect(body["product_type_id"] == .int(chain.productType))

            // And statistics.after counts the new test's findings by severity
            let statistics = try #require(body["statistics"])
            #expect(statistics.keys == ["after"])
            let after = try #require(statistics["after"])
            #expect(after.keys == Self.severityKeys)
            for severity in Self.severityKeys { #expect(after[severity]?.keys == Self.counterKeys, "\(severity)") }
            #expect(after["high"]?["total"] == .int(1))
            #expect(after["medium"]?["total"] == .int(1))
            #expect(after["low"]?["total"] == .int(1))
            #expect(after["info"]?["total"] == .int(1))
            #expect(after["critical"]?["total"] == .int(0))
            #expect(after["total"]?["total"] == .int(4))
            #expect(after["total"]?["active"] == .int(4))
            #expect(after["total"]?["verified"] == .int(4))
            #expect(after["total"]?["duplicate"] == .int(0))
            #expect(after["total"]?["is_mitigated"] == .int(0))

            // And the test exists with DefectDojo's values
            let stored = try await server.request(.GET, "/api/v2/tests/\(test)/")
            #expect(stored.json["engagement"] == .int(chain.engagement))
            #expect(stored.json["scan_type"] == .string("ZAP Scan"))
            #expect(stored.json["test_type"] == .int(chain.testType))
            #expect(stored.json["lead"] == .int(1))
            #expect(stored.json["tags"] == .array([.string("test")]))
            #expect(stored.json["percent_complete"] == .int(100))
            let development = try await Self.value(server, "SELECT CAST(id AS TEXT) AS v FROM development_environments WHERE name = 'Development'")
            #expect(stored.json["environment"]?.intValue.map(String.init) == development)
            let findings = try await server.findings(test: test)
            #expect(findings.count == 4)
            #expect(findings.allSatisfy { $0["verified"] == .bool(true) && $0["active"] == .bool(true) })
            #expect(Set(findings.compactMap { $0["title"]?.stringValue }) == [
                "SQL Injection", "Content Security Policy (CSP) Header Not Set", "Server Leaks Version Information",
                "Information Disclosure - Suspicious Comments",
            ])
            #expect(findings.allSatisfy { $0["reporter"] == .int(1) && $0["found_by"] == .array([.int(chain.testType)]) })
        }
    }

    @Test("A SARIF import creates one finding per result with file, line and fingerprint as unique_id_from_tool")
    func sarifImport() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let response = try await server.importReport(scanType: "SARIF", report: R.sarif(), filename: "results.sarif",
                                                         fields: [("engagement", "\(chain.engagement)")])
            #expect(response.status == .created, "\(response.body)")
            let test = try #require(response.json["test"]?.intValue)
            let findings = try await server.findings(test: test)
            #expect(findings.count == 2)
            #expect(Set(findings.compactMap { $0["file_path"]?.stringValue }) == ["app/views.py", "app/settings.py"])
            #expect(Set(findings.compactMap { $0["line"]?.intValue }) == [42, 7])
            #expect(Set(findings.compactMap { $0["unique_id_from_tool"]?.stringValue }).count == 2)
            #expect(findings.allSatisfy { $0["static_finding"] == .bool(true) })
            #expect(response.json["statistics"]?["after"]?["high"]?["total"] == .int(1))
            #expect(response.json["statistics"]?["after"]?["medium"]?["total"] == .int(1))
        }
    }
}
