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

    // MARK: - Parameters (§2)

    struct Flags: Sendable, CustomTestStringConvertible {
        var fields: [(String, String)]
        /// (active, verified) of the finding the report leaves at defaults, and of the one it marks inactive + verified.
        var plain: (Bool, Bool)
        var marked: (Bool, Bool)
        var testDescription: String { fields.isEmpty ? "absent" : fields.map { "\($0.0)=\($0.1)" }.joined(separator: "&") }
    }

    @Test("active / verified: absent keeps the parser's values, present overrides every new finding", arguments: [
        Flags(fields: [], plain: (true, false), marked: (false, true)),
        Flags(fields: [("active", "false"), ("verified", "true")], plain: (false, true), marked: (false, true)),
        Flags(fields: [("active", "True"), ("verified", "False")], plain: (true, false), marked: (true, false)),
        Flags(fields: [("active", "1"), ("verified", "yes")], plain: (true, true), marked: (true, true)),
        Flags(fields: [("verified", "off")], plain: (true, false), marked: (false, false)),
    ])
    func activeVerified(_ flags: Flags) async throws {
        try await withTestServer { server in
            // Given a report with one default finding and one the tool marks inactive and verified
            let chain = try await server.makeChain()
            let report = R.generic([
                R.Generic("Plain finding", uid: "p"),
                R.Generic("Marked finding", uid: "m", extra: #", "active": false, "verified": true"#),
            ])
            // When importing
            let test = try await Self.importGeneric(server, engagement: chain.engagement, report: report, fields: flags.fields)
            // Then
            let findings = try await server.findings(test: test)
            let plain = try #require(findings.first { $0["title"] == .string("Plain finding") })
            let marked = try #require(findings.first { $0["title"] == .string("Marked finding") })
            #expect(plain["active"] == .bool(flags.plain.0))
            #expect(plain["verified"] == .bool(flags.plain.1))
            #expect(marked["active"] == .bool(flags.marked.0))
            #expect(marked["verified"] == .bool(flags.marked.1))
        }
    }

    @Test("A boolean field with an unusable value is a 400 naming the field")
    func badBoolean() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let response = try await server.importReport(report: Self.generic, fields: [("engagement", "\(chain.engagement)"), ("active", "maybe")])
            #expect(response.status == .badRequest)
            #expect(response.json["active"]?.items == [.string("Must be a valid boolean.")], "\(response.body)")
            #expect(try await server.count("findings") == 0)
        }
    }

    @Test("minimum_severity drops findings strictly below it; an unknown value is a 400 choice error")
    func minimumSeverity() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let response = try await server.importReport(report: Self.generic,
                                                         fields: [("engagement", "\(chain.engagement)"), ("minimum_severity", "Medium")])
            #expect(response.status == .created, "\(response.body)")
            #expect(response.json["minimum_severity"] == .string("Medium"))
            let after = try #require(response.json["statistics"]?["after"])
            #expect(after["low"]?["total"] == .int(0))
            #expect(after.statTotal == 2)
            let test = try #require(response.json["test"]?.intValue)
            #expect(Set(try await server.findings(test: test).compactMap { $0["severity"]?.stringValue }) == ["High", "Medium"])

            let bad = try await server.importReport(report: Self.generic, fields: [("engagement", "\(chain.engagement)"), ("minimum_severity", "Severe")])
            #expect(bad.status == .badRequest)
            #expect(bad.json["minimum_severity"]?.items == [.string("\"Severe\" is not a valid choice.")], "\(bad.body)")
        }
    }

    @Test("scan_date sets every new finding's date and the test's dates, and pushes a CI/CD engagement's end")
    func scanDate() async throws {
        try await withTestServer { server in
            // Given a CI/CD engagement ending before the scan date, and a report with one dated finding
            let chain = try await server.makeChain()
            try await server.sql.raw("UPDATE engagements SET target_end = '2024-01-31' WHERE id = \(bind: chain.engagement)").run()
            let report = R.generic([R.Generic("Dated", extra: #", "date": "2023-01-15""#), R.Generic("Undated")])

            // When importing with scan_date
            let response = try await server.importReport(report: report, fields: [("engagement", "\(chain.engagement)"), ("scan_date", "2024-05-01")])

            // Then
            #expect(response.status == .created, "\(response.body)")
            #expect(response.json["scan_date"] == .string("2024-05-01"))
            let test = try #require(response.json["test"]?.intValue)
            #expect(try await server.findings(test: test).map { $0["date"] } == [.string("2024-05-01"), .string("2024-05-01")])
            let stored = try await server.request(.GET, "/api/v2/tests/\(test)/")
            #expect(stored.json["target_start"]?.stringValue?.hasPrefix("2024-05-01") == true, "\(stored.body)")
            #expect(stored.json["target_end"]?.stringValue?.hasPrefix("2024-05-01") == true, "\(stored.body)")
            let engagement = try await server.request(.GET, "/api/v2/engagements/\(chain.engagement)/")
            #expect(engagement.json["target_end"] == .string("2024-05-01"))
        }
    }

    @Test("Without scan_date, findings keep the parser's date (or today)")
    func noScanDate() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let report = R.generic([R.Generic("Dated", extra: #", "date": "2023-01-15""#), R.Generic("Undated")])
            let test = try await Self.importGeneric(server, engagement: chain.engagement, report: report)
            let dates = Dictionary(uniqueKeysWithValues: try await server.findings(test: test).map { ($0["title"]?.stringValue ?? "", $0["date"]) })
            #expect(dates["Dated"] == .string("2023-01-15"))
            #expect(dates["Undated"] == .string(Self.today()))
        }
    }

    @Test("A scan_date in the future is a 400 and nothing is stored")
    func futureScanDate() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let tomorrow = DateFormatting.day(Date().addingTimeInterval(2 * 86_400))
            let before = try await server.importFootprint()
            let response = try await server.importReport(report: Self.generic, fields: [("engagement", "\(chain.engagement)"), ("scan_date", tomorrow)])
            #expect(response.status == .badRequest)
            #expect(response.json["scan_date"]?.items == [.string("The scan_date cannot be in the future!")], "\(response.body)")
            #expect(try await server.importFootprint() == before)
        }
    }

    @Test("tags (repeated, comma-separated or a JSON list) are lower-cased onto the test; findings keep their own tags")
    func tagsOnTest() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let report = R.generic([R.Generic("Tagged", extra: #", "tags": ["from-parser"]"#), R.Generic("Untagged")])
            let response = try await server.importReport(report: report, fields: [
                ("engagement", "\(chain.engagement)"), ("tags", "Alpha,beta"), ("tags", "GAMMA"),
            ])
            #expect(response.status == .created, "\(response.body)")
            #expect(Set(response.json["tags"]?.items.compactMap(\.stringValue) ?? []) == ["alpha", "beta", "gamma"])
            let test = try #require(response.json["test"]?.intValue)
            let stored = try await server.request(.GET, "/api/v2/tests/\(test)/")
            #expect(Set(stored.json["tags"]?.items.compactMap(\.stringValue) ?? []) == ["alpha", "beta", "gamma"])
            let findings = try await server.findings(test: test)
            let tagged = findings.first { $0["title"] == .string("Tagged") }
            let untagged = findings.first { $0["title"] == .string("Untagged") }
            #expect(tagged?["tags"] == .array([.string("from-parser")]))
            #expect(untagged?["tags"] == .array([]))

            let json = try await server.importReport(report: report, fields: [("engagement", "\(chain.engagement)"), ("tags", #"["One","two"]"#)])
            #expect(Set(json.json["tags"]?.items.compactMap(\.stringValue) ?? []) == ["one", "two"], "\(json.body)")
        }
    }

    @Test("apply_tags_to_findings adds the tags to every new finding too")
    func applyTagsToFindings() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let report = R.generic([R.Generic("Tagged", extra: #", "tags": ["from-parser"]"#), R.Generic("Untagged")])
            let response = try await server.importReport(report: report, fields: [
                ("engagement", "\(chain.engagement)"), ("tags", "Release-1"), ("apply_tags_to_findings", "true"),
            ])
            #expect(response.status == .created, "\(response.body)")
            #expect(response.json["apply_tags_to_findings"] == .bool(true))
            let test = try #require(response.json["test"]?.intValue)
            let tags = try await server.findings(test: test).map { Set($0["tags"]?.items.compactMap(\.stringValue) ?? []) }
            #expect(tags.contains(["from-parser", "release-1"]))
            #expect(tags.contains(["release-1"]))
        }
    }

    @Test("apply_tags_to_endpoints adds the tags to the new findings' endpoints")
    func applyTagsToEndpoints() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let response = try await server.importReport(scanType: "ZAP Scan", report: R.zap, filename: "zap.xml", fields: [
                ("engagement", "\(chain.engagement)"), ("tags", "Edge"), ("apply_tags_to_endpoints", "true"),
            ])
            #expect(response.status == .created, "\(response.body)")
            let test = try #require(response.json["test"]?.intValue)
            let endpointIDs = Set(try await server.findings(test: test).flatMap { $0["endpoints"]?.items.compactMap(\.intValue) ?? [] })
            #expect(endpointIDs.count == 4)
            for id in endpointIDs.sorted() {
                let endpoint = try await server.request(.GET, "/api/v2/endpoints/\(id)/")
                #expect(endpoint.json["tags"]?.items.contains(.string("edge")) == true, "endpoint \(id): \(endpoint.json["tags"] ?? .null)")
            }
        }
    }

    @Test("test_title, version, build_id, commit_hash and branch_tag are stored on the test and echoed")
    func testMetadata() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let response = try await server.importReport(report: Self.generic, fields: [
                ("engagement", "\(chain.engagement)"), ("test_title", "Nightly SAST"), ("version", "1.4.2"), ("build_id", "build-77"),
                ("commit_hash", "abc123"), ("branch_tag", "main"),
            ])
            #expect(response.status == .created, "\(response.body)")
            for (key, value) in [("test_title", "Nightly SAST"), ("version", "1.4.2"), ("build_id", "build-77"), ("commit_hash", "abc123"), ("branch_tag", "main")] {
                #expect(response.json[key] == .string(value), "\(key)")
            }
            let test = try #require(response.json["test"]?.intValue)
            let stored = try await server.request(.GET, "/api/v2/tests/\(test)/")
            #expect(stored.json["title"] == .string("Nightly SAST"))
            #expect(stored.json["version"] == .string("1.4.2"))
            #expect(stored.json["build_id"] == .string("build-77"))
            #expect(stored.json["commit_hash"] == .string("abc123"))
            #expect(stored.json["branch_tag"] == .string("main"))
            #expect(stored.json["test_type_name"] == .string("Generic Findings Import"))
        }
    }

    @Test("service is stamped on every finding and is part of the hash_code")
    func service() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let finding = R.Generic("Weak hash", severity: "Medium", description: "MD5 used", cwe: 328, file: "lib/crypto.py", line: 5)
            let report = R.generic([finding])
            let withService = try await Self.importGeneric(server, engagement: chain.engagement, report: report, fields: [("service", "Billing-API")])
            let without = try await Self.importGeneric(server, engagement: chain.engagement, report: report)
            let a = try #require(try await server.findings(test: withService).first)
            let b = try #require(try await server.findings(test: without).first)
            #expect(a["service"] == .string("Billing-API"))
            #expect(b["service"] == .null)
            // Legacy recipe (Generic lists no fields): title + cwe + line + file_path + description (+ service), case-folded.
            #expect(b["hash_code"] == .string(HashCode.digest(of: "Weak hash3285lib/crypto.pyMD5 used")))
            #expect(a["hash_code"] == .string(HashCode.digest(of: "Weak hash3285lib/crypto.pyMD5 usedBilling-API")))
            #expect(a["hash_code"] != b["hash_code"])
        }
    }

    @Test("environment: an existing one is used; an unknown one is a 400 unless auto_create_context creates it")
    func environment() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let production = try #require(try await Self.value(server, "SELECT CAST(id AS TEXT) AS v FROM development_environments WHERE name = 'Production'"))
            let ok = try await server.importReport(report: Self.generic, fields: [("engagement", "\(chain.engagement)"), ("environment", "Production")])
            #expect(ok.status == .created, "\(ok.body)")
            #expect(ok.json["environment"] == .string("Production"))
            let test = try #require(ok.json["test"]?.intValue)
            #expect(try await server.request(.GET, "/api/v2/tests/\(test)/").json["environment"]?.intValue.map(String.init) == production)

            let before = try await server.importFootprint()
            let unknown = try await server.importReport(report: Self.generic, fields: [("engagement", "\(chain.engagement)"), ("environment", "Mars")])
            #expect(unknown.status == .badRequest)
            #expect(unknown.json["message"]?.stringValue?.contains("Environment named Mars does not exist.") == true, "\(unknown.body)")
            #expect(try await server.importFootprint() == before)

            let created = try await server.importReport(report: Self.generic, fields: [
                ("engagement", "\(chain.engagement)"), ("environment", "Mars"), ("auto_create_context", "true"),
            ])
            #expect(created.status == .created, "\(created.body)")
            #expect(try await server.count("development_environments", where: "name = 'Mars'") == 1)
        }
    }

    @Test("lead names the test lead; an unknown or non-numeric lead is a 400 on the lead field")
    func lead() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let user = try await server.makeUser("lead-person")
            let ok = try await server.importReport(report: Self.generic, fields: [("engagement", "\(chain.engagement)"), ("lead", "\(user.id)")])
            #expect(ok.status == .created, "\(ok.body)")
            #expect(ok.json["lead"] == .int(user.id))
            let test = try #require(ok.json["test"]?.intValue)
            #expect(try await server.request(.GET, "/api/v2/tests/\(test)/").json["lead"] == .int(user.id))

            let missing = try await server.importReport(report: Self.generic, fields: [("engagement", "\(chain.engagement)"), ("lead", "999999")])
            #expect(missing.status == .badRequest)
            #expect(missing.json["lead"]?.items == [.string("Invalid pk \"999999\" - object does not exist.")], "\(missing.body)")

            let text = try await server.importReport(report: Self.generic, fields: [("engagement", "\(chain.engagement)"), ("lead", "boss")])
            #expect(text.status == .badRequest)
            #expect(text.json["lead"] != nil, "\(text.body)")
        }
    }

    @Test("endpoint_to_add is attached to every new finding; an unknown id is a 400")
    func endpointToAdd() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let endpoint = try await F.post(server, "endpoints", #"{"protocol": "https", "host": "extra.example.com", "product": \#(chain.product)}"#)
            let response = try await server.importReport(report: Self.generic, fields: [("engagement", "\(chain.engagement)"), ("endpoint_to_add", "\(endpoint)")])
            #expect(response.status == .created, "\(response.body)")
            #expect(response.json["endpoint_to_add"] == .int(endpoint))
            let test = try #require(response.json["test"]?.intValue)
            let findings = try await server.findings(test: test)
            #expect(findings.count == 3)
            #expect(findings.allSatisfy { $0["endpoints"]?.items.contains(.int(endpoint)) == true }, "\(findings.map { $0["endpoints"] })")

            let bad = try await server.importReport(report: Self.generic, fields: [("engagement", "\(chain.engagement)"), ("endpoint_to_add", "424242")])
            #expect(bad.status == .badRequest)
            #expect(bad.json["endpoint_to_add"] != nil, "\(bad.body)")
        }
    }

    @Test("Unknown fields (skip_duplicates, deduplicate, anything) are ignored and not echoed")
    func unknownFieldsIgnored() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let response = try await server.importReport(report: Self.generic, fields: [
                ("engagement", "\(chain.engagement)"), ("skip_duplicates", "true"), ("deduplicate", "true"), ("x_custom", "1"),
            ])
            #expect(response.status == .created, "\(response.body)")
            for key in ["skip_duplicates", "deduplicate", "x_custom"] { #expect(response.json[key] == nil) }
        }
    }

    @Test("Empty strings mean 'not given' for optional fields")
    func emptyStringsAreUnset() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let response = try await server.importReport(report: Self.generic, fields: [
                ("engagement", "\(chain.engagement)"), ("test_title", ""), ("lead", ""), ("scan_date", ""), ("environment", ""), ("service", ""),
                ("tags", ""), ("version", ""), ("minimum_severity", ""), ("endpoint_to_add", ""), ("build_id", ""), ("close_old_findings", ""),
            ])
            #expect(response.status == .created, "\(response.body)")
            #expect(response.json["environment"] == .string("Development"))
            #expect(response.json["minimum_severity"] == .string("Info"))
            let test = try #require(response.json["test"]?.intValue)
            let stored = try await server.request(.GET, "/api/v2/tests/\(test)/")
            #expect(stored.json["lead"] == .null)
            #expect(stored.json["tags"] == .array([]))
            let findings = try await server.findings(test: test)
            #expect(findings.count == 3)
            #expect(findings.allSatisfy { $0["service"] == .null && $0["date"] == .string(Self.today()) })
        }
    }

    // MARK: - auto_create_context

    @Test("auto_create_context creates product type, product and CI/CD engagement with the caller as owner")
    func autoCreateContext() async throws {
        try await withTestServer { server in
            // When importing into names that do not exist yet
            let response = try await server.importReport(report: Self.generic, fields: [
                ("product_type_name", "Web Apps"), ("product_name", "Storefront"), ("engagement_name", "CI pipeline"),
                ("auto_create_context", "true"), ("deduplication_on_engagement", "true"),
                ("source_code_management_uri", "https://git.example.com/storefront"),
            ])

            // Then everything is created and linked
            #expect(response.status == .created, "\(response.body)")
            let typeID = try #require(response.json["product_type_id"]?.intValue)
            let productID = try #require(response.json["product_id"]?.intValue)
            let engagementID = try #require(response.json["engagement_id"]?.intValue)
            #expect(response.json["auto_create_context"] == .bool(true))
            #expect(response.json["product_name"] == .string("Storefront"))
            let productType = try await server.request(.GET, "/api/v2/product_types/\(typeID)/")
            #expect(productType.json["name"] == .string("Web Apps"))
            let product = try await server.request(.GET, "/api/v2/products/\(productID)/")
            #expect(product.json["name"] == .string("Storefront"))
            #expect(product.json["description"] == .string("Storefront"))
            #expect(product.json["prod_type"] == .int(typeID))
            let engagement = try await server.request(.GET, "/api/v2/engagements/\(engagementID)/")
            #expect(engagement.json["name"] == .string("CI pipeline"))
            #expect(engagement.json["product"] == .int(productID))
            #expect(engagement.json["engagement_type"] == .string("CI/CD"))
            #expect(engagement.json["status"] == .string("In Progress"))
            #expect(engagement.json["lead"] == .int(1))
            #expect(engagement.json["deduplication_on_engagement"] == .bool(true))
            #expect(engagement.json["source_code_management_uri"] == .string("https://git.example.com/storefront"))
            #expect(engagement.json["target_start"] == .string(Self.today()))
            let yearOn = DateFormatting.day(DateFormatting.adding(days: 365, to: try #require(DateFormatting.parseDay(Self.today()))))
            #expect(engagement.json["target_end"] == .string(yearOn))
            // The caller owns what was created.
            #expect(try await server.count("product_members", where: "product_id = \(productID) AND user_id = 1 AND role_id = 4") == 1)
            #expect(try await server.count("product_type_members", where: "product_type_id = \(typeID) AND user_id = 1 AND role_id = 4") == 1)

            // And a second import with the same names reuses them
            let again = try await server.importReport(report: Self.generic, fields: [
                ("product_type_name", "Web Apps"), ("product_name", "Storefront"), ("engagement_name", "CI pipeline"), ("auto_create_context", "true"),
            ])
            #expect(again.status == .created, "\(again.body)")
            #expect(again.json["engagement_id"] == .int(engagementID))
            #expect(again.json["product_id"] == .int(productID))
            #expect(try await server.count("products", where: "name = 'Storefront'") == 1)
            #expect(try await server.count("engagements", where: "name = 'CI pipeline'") == 1)
            #expect(try await server.count("tests", where: "engagement_id = \(engagementID)") == 2)
        }
    }

    @Test("engagement_end_date sets the auto-created engagement's end; a past one becomes today + 365 days")
    func engagementEndDate() async throws {
        try await withTestServer { server in
            let future = DateFormatting.day(Date().addingTimeInterval(40 * 86_400))
            let first = try await server.importReport(report: Self.generic, fields: [
                ("product_type_name", "T"), ("product_name", "P"), ("engagement_name", "E1"), ("auto_create_context", "true"),
                ("engagement_end_date", future),
            ])
            #expect(first.status == .created, "\(first.body)")
            let e1 = try #require(first.json["engagement_id"]?.intValue)
            #expect(try await server.request(.GET, "/api/v2/engagements/\(e1)/").json["target_end"] == .string(future))

            let second = try await server.importReport(report: Self.generic, fields: [
                ("product_type_name", "T"), ("product_name", "P"), ("engagement_name", "E2"), ("auto_create_context", "true"),
                ("engagement_end_date", "2020-01-01"),
            ])
            let e2 = try #require(second.json["engagement_id"]?.intValue)
            let yearOn = DateFormatting.day(DateFormatting.adding(days: 365, to: try #require(DateFormatting.parseDay(Self.today()))))
            #expect(try await server.request(.GET, "/api/v2/engagements/\(e2)/").json["target_end"] == .string(yearOn))
        }
    }

    @Test("Names without auto_create_context: unknown product or engagement is a 400 naming what is missing")
    func namesWithoutAutoCreate() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain(name: "Shop")
            let before = try await server.importFootprint()
            let noProduct = try await server.importReport(report: Self.generic, fields: [("product_name", "Nope"), ("engagement_name", "E")])
            #expect(noProduct.status == .badRequest)
            #expect(noProduct.json["message"]?.stringValue?.contains("auto_create_context not True, unable to create non-existing product") == true,
                    "\(noProduct.body)")
            let noEngagement = try await server.importReport(report: Self.generic, fields: [("product_name", "Shop"), ("engagement_name", "Nope")])
            #expect(noEngagement.status == .badRequest)
            #expect(noEngagement.json["message"]?.stringValue?.contains("auto_create_context not True, unable to create non-existing engagement") == true,
                    "\(noEngagement.body)")
            #expect(try await server.importFootprint() == before)

            // Existing names resolve without auto_create_context
            let ok = try await server.importReport(report: Self.generic, fields: [("product_name", "Shop"), ("engagement_name", "Shop engagement")])
            #expect(ok.status == .created, "\(ok.body)")
            #expect(ok.json["engagement_id"] == .int(chain.engagement))
        }
    }

    @Test("Names resolve to the newest engagement of that name in the product")
    func newestEngagementByName() async throws {
        try await withTestServer { server in
            let tree = try await F.engagementTree(server, name: "Shop")
            let older = try await F.engagement(server, product: tree.product, name: "Nightly")
            let newer = try await F.engagement(server, product: tree.product, name: "Nightly")
            #expect(newer > older)
            let response = try await server.importReport(report: Self.generic, fields: [("product_name", "Shop"), ("engagement_name", "Nightly")])
            #expect(response.status == .created, "\(response.body)")
            #expect(response.json["engagement_id"] == .int(newer))
        }
    }

    @Test("auto_create_context as a non-superuser: a product type owner may create a product in it; a new product type needs global rights")
    func autoCreatePermissions() async throws {
        try await withTestServer { server in
            let type = try await F.productType(server, "Team type")
            let owner = try await server.makeUser("team-owner")
            try await server.sql.raw("INSERT INTO product_type_members (product_type_id, user_id, role_id) VALUES (\(bind: type), \(bind: owner.id), 4)").run()

            let ok = try await server.importReport(report: Self.generic, fields: [
                ("product_type_name", "Team type"), ("product_name", "Team product"), ("engagement_name", "E"), ("auto_create_context", "true"),
            ], token: owner.token)
            #expect(ok.status == .created, "\(ok.body)")
            let product = try #require(ok.json["product_id"]?.intValue)
            #expect(try await server.count("product_members", where: "product_id = \(product) AND user_id = \(owner.id) AND role_id = 4") == 1)
            let engagementID = try #require(ok.json["engagement_id"]?.intValue)
            #expect(try await server.request(.GET, "/api/v2/engagements/\(engagementID)/").json["lead"] == .int(owner.id))

            let before = try await server.importFootprint()
            let denied = try await server.importReport(report: Self.generic, fields: [
                ("product_type_name", "Brand new type"), ("product_name", "X"), ("engagement_name", "E"), ("auto_create_context", "true"),
            ], token: owner.token)
            #expect(denied.status == .forbidden, "\(denied.body)")
            #expect(try await server.importFootprint() == before)
        }
    }

    // MARK: - close_old_findings

    @Test("close_old_findings closes findings of earlier tests of the same type in the engagement that the report no longer has")
    func closeOldFindings() async throws {
        try await withTestServer { server in
            // Given an earlier import of three findings
            let chain = try await server.makeChain()
            let first = try await Self.importGeneric(server, engagement: chain.engagement)
            let old = try await server.findings(test: first)
            let gone = try #require(old.first { $0["title"] == .string("Verbose server banner") }?["id"]?.intValue)

            // When importing only the first two with close_old_findings
            let report = R.generic(Array(R.threeFindings.prefix(2)))
            let response = try await server.importReport(report: report, fields: [("engagement", "\(chain.engagement)"), ("close_old_findings", "true")])
            #expect(response.status == .created, "\(response.body)")
            #expect(response.json["close_old_findings"] == .bool(true))
            let second = try #require(response.json["test"]?.intValue)

            // Then the missing one is mitigated by the importer; the others stay open
            let after = try await server.findings(test: first)
            for finding in after {
                let id = finding["id"]?.intValue
                if id == gone {
                    #expect(finding["active"] == .bool(false))
                    #expect(finding["is_mitigated"] == .bool(true))
                    #expect(finding["mitigated"] != .null)
                    #expect(finding["mitigated_by"] == .int(1))
                } else {
                    #expect(finding["active"] == .bool(true), "\(finding)")
                    #expect(finding["is_mitigated"] == .bool(false))
                }
            }
            #expect(try await server.noteEntries(finding: gone).count == 1)
            // The import's history records the closed finding.
            let history = try await server.request(.GET, "/api/v2/test_imports/?test=\(second)")
            let actions = history.json["results"]?.items.first?["test_import_finding_action_set"]?.items ?? []
            #expect(actions.filter { $0["action"] == .string("C") }.compactMap { $0["finding"]?.intValue } == [gone])
            #expect(actions.filter { $0["action"] == .string("N") }.count == 2)
        }
    }

    @Test("close_old_findings defaults to false on import")
    func closeOldFindingsDefault() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let first = try await Self.importGeneric(server, engagement: chain.engagement)
            let response = try await server.importReport(report: R.generic([R.threeFindings[0]]), fields: [("engagement", "\(chain.engagement)")])
            #expect(response.status == .created)
            #expect(response.json["close_old_findings"] == .bool(false))
            #expect(try await server.findings(test: first).allSatisfy { $0["is_mitigated"] == .bool(false) && $0["active"] == .bool(true) })
        }
    }

    @Test("close_old_findings stays in the engagement unless close_old_findings_product_scope widens it to the product")
    func closeOldFindingsProductScope() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let otherEngagement = try await F.engagement(server, product: chain.product, name: "Other")
            let first = try await Self.importGeneric(server, engagement: chain.engagement)
            let report = R.generic([R.threeFindings[0]])

            let narrow = try await server.importReport(report: report, fields: [("engagement", "\(otherEngagement)"), ("close_old_findings", "true")])
            #expect(narrow.status == .created, "\(narrow.body)")
            #expect(try await server.findings(test: first).filter { $0["is_mitigated"] == .bool(true) }.isEmpty)

            let wide = try await server.importReport(report: report, fields: [
                ("engagement", "\(otherEngagement)"), ("close_old_findings", "true"), ("close_old_findings_product_scope", "true"),
            ])
            #expect(wide.status == .created, "\(wide.body)")
            #expect(wide.json["close_old_findings_product_scope"] == .bool(true))
            let closed = try await server.findings(test: first).filter { $0["is_mitigated"] == .bool(true) }.compactMap { $0["title"]?.stringValue }
            #expect(Set(closed) == ["Reflected XSS in search", "Verbose server banner"])
        }
    }

    @Test("close_old_findings only closes findings of the same service and the same test type")
    func closeOldFindingsScope() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let withService = try await Self.importGeneric(server, engagement: chain.engagement, fields: [("service", "api")])
            let zap = try await server.importReport(scanType: "ZAP Scan", report: R.zap, filename: "zap.xml", fields: [("engagement", "\(chain.engagement)")])
            let zapTest = try #require(zap.json["test"]?.intValue)
            let noService = try await Self.importGeneric(server, engagement: chain.engagement)

            // An import of one finding without service closes the service-less Generic findings only
            let response = try await server.importReport(report: R.generic([R.threeFindings[0]]),
                                                         fields: [("engagement", "\(chain.engagement)"), ("close_old_findings", "true")])
            #expect(response.status == .created, "\(response.body)")
            #expect(try await server.findings(test: withService).allSatisfy { $0["is_mitigated"] == .bool(false) })
            #expect(try await server.findings(test: zapTest).allSatisfy { $0["is_mitigated"] == .bool(false) })
            #expect(try await server.findings(test: noService).filter { $0["is_mitigated"] == .bool(true) }.count == 2)

            // And one with service=api closes only the api findings
            let api = try await server.importReport(report: R.generic([R.threeFindings[0]]),
                                                    fields: [("engagement", "\(chain.engagement)"), ("close_old_findings", "true"), ("service", "api")])
            #expect(api.status == .created, "\(api.body)")
            #expect(try await server.findings(test: withService).filter { $0["is_mitigated"] == .bool(true) }.count == 2)
        }
    }

    @Test("close_old_findings also closes risk-accepted findings and removes their risk acceptance")
    func closeOldRiskAccepted() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let first = try await Self.importGeneric(server, engagement: chain.engagement)
            let accepted = try #require(try await server.findings(test: first).first { $0["title"] == .string("Verbose server banner") }?["id"]?.intValue)
            try await server.sql.raw("UPDATE findings SET risk_accepted = \(bind: true), active = \(bind: false) WHERE id = \(bind: accepted)").run()
            let response = try await server.importReport(report: R.generic(Array(R.threeFindings.prefix(2))),
                                                         fields: [("engagement", "\(chain.engagement)"), ("close_old_findings", "true")])
            #expect(response.status == .created, "\(response.body)")
            let finding = try #require(try await server.findings(test: first).first { $0["id"] == .int(accepted) })
            #expect(finding["is_mitigated"] == .bool(true))
            #expect(finding["risk_accepted"] == .bool(false))
        }
    }

    @Test("close_old_findings: a finding the new report marks mitigated does not keep the old one open")
    func closeOldMitigatedInReport() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let first = try await Self.importGeneric(server, engagement: chain.engagement)
            var findings = R.threeFindings
            findings[0].extra = #", "is_mitigated": true"#
            let response = try await server.importReport(report: R.generic(findings), fields: [("engagement", "\(chain.engagement)"), ("close_old_findings", "true")])
            #expect(response.status == .created, "\(response.body)")
            #expect(response.json["statistics"]?["after"]?["total"]?["is_mitigated"] == .int(1))
            let closed = try await server.findings(test: first).filter { $0["is_mitigated"] == .bool(true) }.compactMap { $0["title"]?.stringValue }
            #expect(closed == ["SQL Injection in login"])
        }
    }

    // MARK: - Deduplication (§5)

    @Test("The same report imported into two engagements of one product: the second import's findings are duplicates of the first's")
    func dedupeAcrossEngagements() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let otherEngagement = try await F.engagement(server, product: chain.product, name: "Second")
            let first = try await Self.importGeneric(server, engagement: chain.engagement)
            let second = try await Self.importGeneric(server, engagement: otherEngagement)
            let originals = Dictionary(uniqueKeysWithValues: try await server.findings(test: first).map { ($0["title"]?.stringValue ?? "", $0) })
            let copies = try await server.findings(test: second)
            #expect(copies.count == 3)
            for copy in copies {
                let original = try #require(originals[copy["title"]?.stringValue ?? ""])
                #expect(copy["duplicate"] == .bool(true), "\(copy["title"] ?? .null)")
                #expect(copy["duplicate_finding"] == original["id"])
                #expect(copy["active"] == .bool(false))
                #expect(copy["verified"] == .bool(false))
                #expect(original["duplicate"] == .bool(false))
                #expect(original["active"] == .bool(true))
            }
        }
    }

    @Test("Dedupe by ZAP's hash fields (title, cwe, severity) across two tests of one product")
    func dedupeZap() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let other = try await F.engagement(server, product: chain.product, name: "Second")
            let a = try await server.importReport(scanType: "ZAP Scan", report: R.zap, filename: "zap.xml", fields: [("engagement", "\(chain.engagement)")])
            let b = try await server.importReport(scanType: "ZAP Scan", report: R.zap, filename: "zap.xml", fields: [("engagement", "\(other)")])
            let second = try #require(b.json["test"]?.intValue)
            let first = try #require(a.json["test"]?.intValue)
            let firstIDs = Set(try await server.findings(test: first).compactMap { $0["id"]?.intValue })
            let copies = try await server.findings(test: second)
            #expect(copies.count == 4)
            #expect(copies.allSatisfy { $0["duplicate"] == .bool(true) && firstIDs.contains($0["duplicate_finding"]?.intValue ?? -1) })
        }
    }

    @Test("deduplication_on_engagement (set on auto-created engagements) keeps duplicates within one engagement")
    func dedupeOnEngagement() async throws {
        try await withTestServer { server in
            func importInto(_ engagement: String, flag: Bool) async throws -> Int {
                let response = try await server.importReport(report: Self.generic, fields: [
                    ("product_type_name", "T"), ("product_name", "P"), ("engagement_name", engagement), ("auto_create_context", "true"),
                    ("deduplication_on_engagement", flag ? "true" : "false"),
                ])
                #expect(response.status == .created, "\(response.body)")
                return try #require(response.json["test"]?.intValue)
            }
            _ = try await importInto("E1", flag: true)
            let second = try await importInto("E2", flag: true)
            #expect(try await server.findings(test: second).allSatisfy { $0["duplicate"] == .bool(false) && $0["active"] == .bool(true) })
            // Within the same engagement, duplicates are still found.
            let third = try await importInto("E2", flag: true)
            #expect(try await server.findings(test: third).allSatisfy { $0["duplicate"] == .bool(true) })
            // An engagement without the flag ignores the flagged engagements' findings.
            let fourth = try await importInto("E3", flag: false)
            #expect(try await server.findings(test: fourth).allSatisfy { $0["duplicate"] == .bool(false) })
        }
    }

    @Test("hash_code dedupe checks endpoints (host + path): the same ZAP alert on another URL is not a duplicate")
    func dedupeEndpointCheck() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let other = try await F.engagement(server, product: chain.product, name: "Second")
            let moved = R.zap.replacingOccurrences(of: "https://shop.example.com/item?id=1", with: "https://admin.example.com/search?q=1")
            #expect(moved != R.zap)
            _ = try await server.importReport(scanType: "ZAP Scan", report: R.zap, filename: "zap.xml", fields: [("engagement", "\(chain.engagement)")])
            let b = try await server.importReport(scanType: "ZAP Scan", report: moved, filename: "zap.xml", fields: [("engagement", "\(other)")])
            let second = try #require(b.json["test"]?.intValue, "\(b.body)")
            let findings = Dictionary(uniqueKeysWithValues: try await server.findings(test: second).map { ($0["title"]?.stringValue ?? "", $0["duplicate"]) })
            #expect(findings["SQL Injection"] == .bool(false))
            #expect(findings["Server Leaks Version Information"] == .bool(true))
            #expect(findings.values.filter { $0 == .bool(true) }.count == 3)
        }
    }

    @Test("Dedupe never makes an open finding a duplicate of a mitigated one")
    func dedupeNotOntoMitigated() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let other = try await F.engagement(server, product: chain.product, name: "Second")
            let first = try await Self.importGeneric(server, engagement: chain.engagement)
            try await server.sql.raw("""
                UPDATE findings SET active = \(bind: false), is_mitigated = \(bind: true), mitigated = \(bind: Date()) WHERE test_id = \(bind: first)
                """).run()
            let second = try await Self.importGeneric(server, engagement: other)
            #expect(try await server.findings(test: second).allSatisfy { $0["duplicate"] == .bool(false) && $0["active"] == .bool(true) })
        }
    }

    @Test("unique_id_from_tool_or_hash_code dedupe (SARIF): the same fingerprint is a duplicate even when the message changed")
    func dedupeSarifByFingerprint() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let other = try await F.engagement(server, product: chain.product, name: "Second")
            let a = try await server.importReport(scanType: "SARIF", report: R.sarif(), filename: "r.sarif", fields: [("engagement", "\(chain.engagement)")])
            let reworded = R.sarif(first: ("eval() reached by user input", "fp-0001"), second: ("A password is hard-coded", "fp-0002"))
            let b = try await server.importReport(scanType: "SARIF", report: reworded, filename: "r.sarif", fields: [("engagement", "\(other)")])
            let first = try #require(a.json["test"]?.intValue)
            let second = try #require(b.json["test"]?.intValue, "\(b.body)")
            let originals = Dictionary(uniqueKeysWithValues: try await server.findings(test: first).map { ($0["unique_id_from_tool"]?.stringValue ?? "", $0["id"]) })
            let copies = try await server.findings(test: second)
            #expect(copies.count == 2)
            for copy in copies {
                #expect(copy["duplicate"] == .bool(true))
                #expect(copy["duplicate_finding"] == originals[copy["unique_id_from_tool"]?.stringValue ?? ""] ?? .null)
            }
        }
    }

    // MARK: - Errors

    @Test("A missing scan_type is a 400 on scan_type")
    func missingScanType() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let response = try await server.upload("import-scan", MultipartForm([("engagement", "\(chain.engagement)")], file: Self.generic))
            #expect(response.status == .badRequest)
            #expect(response.json["scan_type"]?.items == [.string("This field is required.")], "\(response.body)")
        }
    }

    @Test("An unknown or wrongly-cased scan_type is DefectDojo's choice error", arguments: ["Nessus Pro", "zap scan", "ZAP Scan "])
    func unknownScanType(scanType: String) async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let response = try await server.importReport(scanType: scanType, report: R.zap, filename: "zap.xml", fields: [("engagement", "\(chain.engagement)")])
            #expect(response.status == .badRequest)
            #expect(response.json["scan_type"]?.items == [.string("\"\(scanType)\" is not a valid choice.")], "\(response.body)")
            #expect(try await server.count("findings") == 0)
        }
    }

    @Test("A missing file is a 400 saying a report is required")
    func missingFile() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let response = try await server.importReport(scanType: "ZAP Scan", report: nil, fields: [("engagement", "\(chain.engagement)")])
            #expect(response.status == .badRequest)
            #expect(response.body.contains("Uploading a Report File is required for ZAP Scan"), "\(response.body)")
            #expect(try await server.count("tests") == 1)
        }
    }

    @Test("An engagement id that does not exist is a 400 on engagement")
    func wrongEngagement() async throws {
        try await withTestServer { server in
            _ = try await server.makeChain()
            let response = try await server.importReport(report: Self.generic, fields: [("engagement", "999999")])
            #expect(response.status == .badRequest)
            #expect(response.json["engagement"]?.items == [.string("Invalid pk \"999999\" - object does not exist.")], "\(response.body)")
        }
    }

    @Test("A badly formatted scan_date is a 400 on scan_date")
    func badScanDate() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let response = try await server.importReport(report: Self.generic, fields: [("engagement", "\(chain.engagement)"), ("scan_date", "05/01/2024")])
            #expect(response.status == .badRequest)
            #expect(response.json["scan_date"]?.items == [.string("Date has wrong format. Use one of these formats instead: YYYY-MM-DD.")], "\(response.body)")
        }
    }

    @Test("An engagement id of another product than the named one is a 400")
    func engagementOfAnotherProduct() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain(name: "Shop")
            _ = try await server.makeChain(name: "Blog")
            let response = try await server.importReport(report: Self.generic, fields: [("engagement", "\(chain.engagement)"), ("product_name", "Blog")])
            #expect(response.status == .badRequest, "\(response.body)")
            #expect(try await server.count("findings") == 0)
        }
    }

    @Test("A product_type_name that is not the named product's type is a 400 conflict")
    func productTypeConflict() async throws {
        try await withTestServer { server in
            _ = try await server.makeChain(name: "Shop")
            _ = try await server.makeChain(name: "Blog")
            let before = try await server.importFootprint()
            let response = try await server.importReport(report: Self.generic, fields: [
                ("product_type_name", "Blog type"), ("product_name", "Shop"), ("engagement_name", "Shop engagement"), ("auto_create_context", "true"),
            ])
            #expect(response.status == .badRequest, "\(response.body)")
            #expect(response.json["message"]?.stringValue?.contains("The fetched product has a conflict with the supplied product type name") == true,
                    "\(response.body)")
            #expect(try await server.importFootprint() == before)
        }
    }

    @Test("A non-numeric engagement id is a 400 'engagement must be an integer'")
    func nonNumericEngagement() async throws {
        try await withTestServer { server in
            let response = try await server.importReport(report: Self.generic, fields: [("engagement", "abc")])
            #expect(response.status == .badRequest)
            #expect(response.body.contains("engagement must be an integer"), "\(response.body)")
        }
    }

    @Test("Neither engagement nor names is a 400")
    func noTarget() async throws {
        try await withTestServer { server in
            let response = try await server.importReport(report: Self.generic, fields: [])
            #expect(response.status == .badRequest, "\(response.body)")
            #expect(try await server.count("tests") == 0)
        }
    }

    struct BadReport: Sendable, CustomTestStringConvertible {
        var name: String
        var scanType: String
        var filename: String
        var content: String
        /// Text the error message must contain (the position, or the kind of problem).
        var mentions: [String]
        var testDescription: String { name }
    }

    @Test("Malformed reports are 400s whose message names the problem and where it is", arguments: [
        BadReport(name: "truncated Generic JSON", scanType: "Generic Findings Import", filename: "r.json",
                  content: "{\"findings\": [\n  {\"title\": \"A\", \"severity\": \"High\",\n   \"description\": \"d\"", mentions: ["line"]),
        BadReport(name: "truncated ZAP XML", scanType: "ZAP Scan", filename: "zap.xml",
                  content: String(R.zap.prefix(R.zap.count / 2)), mentions: ["line"]),
        BadReport(name: "truncated SARIF", scanType: "SARIF", filename: "r.sarif", content: String(R.sarif().prefix(300)), mentions: ["line"]),
        BadReport(name: "Generic with a bad severity", scanType: "Generic Findings Import", filename: "r.json",
                  content: R.generic([R.Generic("A"), R.Generic("B", severity: "Severe")]), mentions: ["Severe", "$.findings[1]"]),
        BadReport(name: "SARIF uploaded as ZAP Scan", scanType: "ZAP Scan", filename: "r.sarif", content: R.sarif(), mentions: []),
        BadReport(name: "ZAP XML uploaded as SARIF", scanType: "SARIF", filename: "zap.xml", content: R.zap, mentions: []),
        BadReport(name: "SARIF uploaded as Generic JSON", scanType: "Generic Findings Import", filename: "r.json", content: R.sarif(),
                  mentions: ["Generic Findings Import"]),
        BadReport(name: "Generic JSON uploaded as SARIF", scanType: "SARIF", filename: "r.json", content: Self.generic, mentions: ["SARIF"]),
        BadReport(name: "XML uploaded as Generic .json", scanType: "Generic Findings Import", filename: "r.json", content: R.zap, mentions: []),
    ])
    func malformedReport(_ bad: BadReport) async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let before = try await server.importFootprint()
            let response = try await server.importReport(scanType: bad.scanType, report: bad.content, filename: bad.filename,
                                                         fields: [("engagement", "\(chain.engagement)")])
            #expect(response.status == .badRequest, "\(response.body)")
            let message = try #require(response.json["message"]?.stringValue, "\(response.body)")
            #expect(!message.isEmpty)
            for text in bad.mentions { #expect(message.contains(text), "\(message)") }
            #expect(try await server.importFootprint() == before)
        }
    }

    @Test("Binary garbage is a 400 with a message, for every scan type", arguments: ["ZAP Scan", "SARIF", "Generic Findings Import"])
    func binaryGarbage(scanType: String) async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            var form = MultipartForm([("scan_type", scanType), ("engagement", "\(chain.engagement)")])
            let garbage: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0xFF, 0xFE, 0xC3, 0x28, 0xA0, 0xA1, 0x7B, 0x00, 0xE2, 0x82]
            form.addFile(Array(repeating: garbage, count: 50).flatMap { $0 }, filename: "report.bin")
            let before = try await server.importFootprint()
            let response = try await server.upload("import-scan", form)
            #expect(response.status == .badRequest, "\(response.body)")
            #expect(response.json["message"]?.stringValue?.isEmpty == false, "\(response.body)")
            #expect(try await server.importFootprint() == before)
        }
    }

    @Test("Only multipart is accepted: JSON and urlencoded bodies are 415")
    func unsupportedMediaType() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let json = try await server.request(.POST, "/api/v2/import-scan/", json: #"{"scan_type": "ZAP Scan", "engagement": \#(chain.engagement)}"#)
            #expect(json.status == .unsupportedMediaType)
            #expect(json.json["detail"] == .string("Unsupported media type \"application/json\" in request."), "\(json.body)")
            let form = try await server.request(.POST, "/api/v2/import-scan/", form: [("scan_type", "ZAP Scan"), ("engagement", "\(chain.engagement)")])
            #expect(form.status == .unsupportedMediaType, "\(form.body)")
            #expect(try await server.count("tests") == 1)
        }
    }

    @Test("Other methods are 405 naming the method", arguments: [HTTPMethodValue.GET, .PUT, .PATCH, .DELETE])
    func wrongMethod(method: HTTPMethodValue) async throws {
        try await withTestServer { server in
            let response = try await server.request(method, "/api/v2/import-scan/")
            #expect(response.status == .methodNotAllowed)
            #expect(response.json["detail"] == .string("Method \"\(method.rawValue)\" not allowed."), "\(response.body)")
        }
    }

    @Test("Permissions: anonymous and non-members are refused with 403; readers too; API importers and writers may import")
    func permissions() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let stranger = try await server.makeUser("stranger")
            let reader = try await F.member(server, "reader", product: chain.product, role: 5)
            let importer = try await F.member(server, "importer", product: chain.product, role: 1)
            let writer = try await F.member(server, "writer", product: chain.product, role: 2)
            let fields = [("engagement", "\(chain.engagement)")]
            let before = try await server.importFootprint()

            let anonymous = try await server.importReport(report: Self.generic, fields: fields, token: .some(nil))
            #expect(anonymous.status == .forbidden)
            #expect(anonymous.json["detail"] == .string("Authentication credentials were not provided."))
            let outsider = try await server.importReport(report: Self.generic, fields: fields, token: stranger.token)
            #expect(outsider.status == .forbidden, "\(outsider.body)")
            #expect(outsider.json["detail"] == .string("You do not have permission to perform this action."))
            let read = try await server.importReport(report: Self.generic, fields: fields, token: reader.token)
            #expect(read.status == .forbidden, "\(read.body)")
            #expect(try await server.importFootprint() == before)

            let imported = try await server.importReport(report: Self.generic, fields: fields, token: importer.token)
            #expect(imported.status == .created, "\(imported.body)")
            let test = try #require(imported.json["test"]?.intValue)
            #expect(try await server.findings(test: test).allSatisfy { $0["reporter"] == .int(importer.id) })
            let written = try await server.importReport(report: Self.generic, fields: fields, token: writer.token)
            #expect(written.status == .created, "\(written.body)")
        }
    }

    @Test("A non-member naming another team's product and engagement is refused, not served")
    func nonMemberByNames() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain(name: "Secret")
            let stranger = try await server.makeUser("stranger")
            let response = try await server.importReport(report: Self.generic, fields: [("product_name", "Secret"), ("engagement_name", "Secret engagement")],
                                                         token: stranger.token)
            #expect(response.status == .forbidden, "\(response.body)")
            #expect(try await server.count("tests", where: "engagement_id = \(chain.engagement)") == 1)
        }
    }

    @Test("A report over the size cap is a 400 on file and stores nothing; one under it imports")
    func fileTooLarge() async throws {
        try await withTestServer(configure: { $0.maxUploadMegabytes = 1 }) { server in
            let chain = try await server.makeChain()
            let padding = String(repeating: "x", count: 1_200_000)
            let big = R.generic([R.Generic("Huge", description: padding)])
            let before = try await server.importFootprint()
            let response = try await server.importReport(report: big, fields: [("engagement", "\(chain.engagement)")])
            #expect(response.status == .badRequest)
            #expect(response.json["file"]?.items.isEmpty == false, "\(response.body)")
            #expect(try await server.importFootprint() == before)

            let fits = R.generic([R.Generic("Large", description: String(repeating: "y", count: 900_000))])
            let ok = try await server.importReport(report: fits, fields: [("engagement", "\(chain.engagement)")])
            #expect(ok.status == .created, "\(ok.body.prefix(300))")
        }
    }

    // MARK: - Atomicity

    @Test("auto_create_context with a malformed report creates no product type, product, engagement, test, finding or tag")
    func failedParseLeavesNothing() async throws {
        try await withTestServer { server in
            let before = try await server.importFootprint()
            let response = try await server.importReport(report: "{\"findings\": [ {\"title\": ", fields: [
                ("product_type_name", "New type"), ("product_name", "New product"), ("engagement_name", "New engagement"),
                ("auto_create_context", "true"), ("tags", "ci"), ("environment", "Brand-new-env"),
            ])
            #expect(response.status == .badRequest, "\(response.body)")
            #expect(try await server.importFootprint() == before)
        }
    }

    struct LateFailure: Sendable, CustomTestStringConvertible {
        var name: String
        var field: (String, String)
        var testDescription: String { name }
    }

    @Test("A valid report that fails after parsing (auto_create_context) rolls back everything", arguments: [
        LateFailure(name: "unknown lead", field: ("lead", "424242")),
        LateFailure(name: "unknown endpoint_to_add", field: ("endpoint_to_add", "424242")),
        LateFailure(name: "unknown api_scan_configuration", field: ("api_scan_configuration", "424242")),
    ])
    func failureAfterParseLeavesNothing(_ failure: LateFailure) async throws {
        try await withTestServer { server in
            let before = try await server.importFootprint()
            let response = try await server.importReport(report: Self.generic, fields: [
                ("product_type_name", "New type"), ("product_name", "New product"), ("engagement_name", "New engagement"),
                ("auto_create_context", "true"), ("tags", "ci"), ("apply_tags_to_findings", "true"), ("environment", "Brand-new-env"),
                failure.field,
            ])
            #expect(response.status == .badRequest, "\(response.body)")
            #expect(response.json[failure.field.0] != nil, "\(response.body)")
            let after = try await server.importFootprint()
            for (table, count) in before.sorted(by: { $0.key < $1.key }) {
                #expect(after[table] == count, "\(table): \(count) → \(after[table] ?? -1)")
            }
        }
    }

    @Test("An unknown environment on an existing engagement stores no test, finding or tag")
    func environmentFailureLeavesNothing() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let before = try await server.importFootprint()
            let response = try await server.importReport(report: Self.generic, fields: [
                ("engagement", "\(chain.engagement)"), ("environment", "Nowhere"), ("tags", "x"),
            ])
            #expect(response.status == .badRequest)
            #expect(try await server.importFootprint() == before)
        }
    }
}
