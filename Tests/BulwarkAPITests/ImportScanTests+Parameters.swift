import BulwarkCore
import BulwarkStorage
import BulwarkTesting
import Foundation
import SQLKit
import Testing

extension ImportScanTests {
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

    @Test("Another product's endpoint is refused as if it did not exist: endpoint_to_add, a finding's endpoints, endpoint_status/")
    func foreignEndpoints() async throws {
        try await withTestServer { server in
            // Given two products, each with an endpoint, and a finding in the first
            let mine = try await server.makeChain(name: "Mine")
            let theirs = try await server.makeChain(name: "Theirs")
            let own = try await F.post(server, "endpoints", #"{"protocol": "https", "host": "mine.example.com", "product": \#(mine.product)}"#)
            let foreign = try await F.post(server, "endpoints", #"{"protocol": "https", "host": "theirs.example.com", "product": \#(theirs.product)}"#)
            let finding = try await server.makeFinding(mine)
            // When / Then
            let imported = try await server.importReport(report: Self.generic, fields: [("engagement", "\(mine.engagement)"), ("endpoint_to_add", "\(foreign)")])
            #expect(imported.status == .badRequest)
            #expect(imported.json["endpoint_to_add"] == .array([.string("Invalid pk \"\(foreign)\" - object does not exist.")]), "\(imported.body)")
            let patched = try await server.request(.PATCH, "/api/v2/findings/\(finding)/", json: #"{"endpoints": [\#(own), \#(foreign)]}"#)
            #expect(patched.status == .badRequest)
            #expect(patched.json["endpoints"] == .array([.string("Invalid pk \"\(foreign)\" - object does not exist.")]), "\(patched.body)")
            #expect(try await server.request(.PATCH, "/api/v2/findings/\(finding)/", json: #"{"endpoints": [\#(own)]}"#).status == .ok)
            let status = try await server.request(.POST, "/api/v2/endpoint_status/", json: #"{"finding": \#(finding), "endpoint": \#(foreign)}"#)
            #expect(status.status == .badRequest)
            #expect(status.json["endpoint"] != nil, "\(status.body)")
            #expect(try await server.count("endpoint_status", where: "endpoint_id = \(foreign)") == 0)
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
}
