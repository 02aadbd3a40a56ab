import BulwarkCore
import BulwarkStorage
import BulwarkTesting
import Foundation
import SQLKit
import Testing

extension ImportScanTests {
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

    @Test("A report that lists a finding twice, into a product with an older copy: both new ones are duplicates of the oldest")
    func dedupeWithinOneReport() async throws {
        try await withTestServer { server in
            // Given: one older finding in the product
            let chain = try await server.makeChain()
            let single = #"{"findings": [{"title": "Repeated", "severity": "High", "description": "d", "file_path": "a.py", "line": 3}]}"#
            let twice = #"{"findings": [{"title": "Repeated", "severity": "High", "description": "d", "file_path": "a.py", "line": 3}, {"title": "Repeated", "severity": "High", "description": "d", "file_path": "a.py", "line": 3}, {"title": "Other", "severity": "Low", "description": "d"}]}"#
            let older = try #require(try await server.findings(test: try await Self.importGeneric(server, engagement: chain.engagement, report: single)).first)
            // When
            let second = try await Self.importGeneric(server, engagement: chain.engagement, report: twice)
            // Then
            let new = try await server.findings(test: second)
            let repeated = new.filter { $0["title"] == .string("Repeated") }
            #expect(repeated.count == 2)
            for finding in repeated {
                #expect(finding["duplicate"] == .bool(true))
                #expect(finding["duplicate_finding"] == older["id"])
            }
            #expect(new.first { $0["title"] == .string("Other") }?["duplicate"] == .bool(false))
            // And a report repeating a finding into an empty product keeps the first and marks the second
            let fresh = try await server.makeChain(name: "Fresh")
            let only = try await server.findings(test: try await Self.importGeneric(server, engagement: fresh.engagement, report: twice))
                .filter { $0["title"] == .string("Repeated") }.sorted { ($0["id"]?.intValue ?? 0) < ($1["id"]?.intValue ?? 0) }
            #expect(only.map { $0["duplicate"] } == [.bool(false), .bool(true)])
            #expect(only.last?["duplicate_finding"] == only.first?["id"])
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
}

@Suite("system_settings/")
struct SystemSettingsTests {
    @Test("Deduplication is on by default; turning it off through system_settings/ stops duplicates being marked")
    func deduplicationSwitch() async throws {
        try await withTestServer { server in
            // Given
            let settings = try await server.request(.GET, "/api/v2/system_settings/1/")
            #expect(settings.json["enable_deduplication"] == .bool(true))
            #expect(try await server.request(.DELETE, "/api/v2/system_settings/1/").status == .methodNotAllowed)
            let user = try await server.makeUser("someone")
            #expect(try await server.request(.GET, "/api/v2/system_settings/", token: user.token).status == .forbidden)
            // When
            let patched = try await server.request(.PATCH, "/api/v2/system_settings/1/", json: #"{"enable_deduplication": false}"#)
            #expect(patched.json["enable_deduplication"] == .bool(false))
            let chain = try await server.makeChain()
            let second = try await server.request(.POST, "/api/v2/engagements/", json: """
                {"product": \(chain.product), "name": "Second", "target_start": "2024-01-01", "target_end": "2024-12-31"}
                """)
            let secondID = try #require(second.json["id"]?.intValue)
            for engagement in [chain.engagement, secondID] {
                let response = try await server.importReport(report: ImportScanTests.generic, fields: [("engagement", "\(engagement)")])
                #expect(response.status == .created, "\(response.body)")
            }
            // Then
            let duplicates = try await server.request(.GET, "/api/v2/findings/?duplicate=true")
            #expect(duplicates.json["count"] == .int(0))
        }
    }
}

extension ImportScanTests {
    @Test("A report repeating one finding 2,000 times: the first is the original, every other copy its duplicate")
    func dedupeManyCopiesOfOneFinding() async throws {
        try await withTestServer { server in
            // Given a report where every finding has the same hash fields and the same unique id
            let chain = try await server.makeChain()
            let copies = (0..<2_000).map { _ in R.Generic("Repeated", severity: "High", uid: "SAME-ID") }

            // When it is imported (dedupe walks each copy's candidates only until the first match)
            let test = try await Self.importGeneric(server, engagement: chain.engagement, report: R.generic(copies))

            // Then one original and 1,999 duplicates of it
            let originals = try await server.count("findings", where: "test_id = \(test) AND duplicate = false")
            #expect(originals == 1)
            let first = try await server.sql.raw("SELECT MIN(id) AS id FROM findings WHERE test_id = \(bind: test)").first()?.decode(column: "id", as: Int.self)
            #expect(try await server.count("findings", where: "test_id = \(test) AND duplicate = true AND duplicate_finding_id = \(first ?? -1)") == 1_999)
        }
    }
}
