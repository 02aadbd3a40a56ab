import BulwarkStorage
import BulwarkTesting
import Foundation
import SQLKit
import Testing

/// `POST /api/v2/reimport-scan/` against import-semantics.md §3.2, §3.5 and §4.
@Suite("reimport-scan/: matching, closing, reactivation, history, statistics")
struct ReimportScanTests {
    typealias R = ImportReports
    typealias F = EngagementFixtures

    static let reimportNote = "Re-activated by Generic Findings Import re-upload."
    static let mitigatedNote = "Mitigated by Generic Findings Import re-upload."
    static let skippedNote = "Finding has skipped reactivation from Generic Findings Import re-upload with user decision do_not_reactivate."

    static var all: String { R.generic(R.threeFindings) }
    static var firstTwo: String { R.generic(Array(R.threeFindings.prefix(2))) }

    /// Imports the three-finding Generic report into a fresh chain; returns (chain, test id).
    static func arrange(_ server: TestServer, fields: [(String, String)] = [], report: String = all) async throws -> (TestChain, Int) {
        let chain = try await server.makeChain()
        let response = try await server.importReport(report: report, fields: [("engagement", "\(chain.engagement)")] + fields)
        #expect(response.status == .created, "\(response.body)")
        return (chain, try #require(response.json["test"]?.intValue))
    }

    /// Reimports into `test`; expects 201.
    @discardableResult
    static func reimport(_ server: TestServer, test: Int, report: String = all, scanType: String = "Generic Findings Import",
                         fields: [(String, String)] = [], filename: String = "report.json") async throws -> TestResponse {
        let response = try await server.importReport("reimport-scan", scanType: scanType, report: report, filename: filename,
                                                     fields: [("test", "\(test)")] + fields)
        #expect(response.status == .created, "\(response.body)")
        return response
    }

    /// (created, closed, reactivated, untouched) totals of a reimport's delta.
    static func delta(_ response: TestResponse) -> [Int?] {
        let delta = response.json["statistics"]?["delta"]
        return ["created", "closed", "reactivated", "untouched"].map { delta?[$0]?.statTotal }
    }

    static func byTitle(_ findings: [JSONValue]) -> [String: JSONValue] {
        Dictionary(findings.map { ($0["title"]?.stringValue ?? "", $0) }, uniquingKeysWith: { first, _ in first })
    }

    static let banner = "Verbose server banner"

    // MARK: - Identical reimports

    @Test("Reimporting the identical report changes nothing and closes nothing")
    func identicalReimport() async throws {
        try await withTestServer { server in
            // Given an imported test
            let (_, test) = try await Self.arrange(server)
            let before = try await server.findings(test: test)

            // When reimporting the same report twice
            for _ in 0..<2 {
                let response = try await Self.reimport(server, test: test)

                // Then the statistics have before / delta / after, and only "untouched" counts
                #expect(response.json["test"] == .int(test))
                #expect(response.json["test_id"] == .int(test))
                #expect(response.json["do_not_reactivate"] == .bool(false))
                #expect(response.json["close_old_findings"] == .bool(true))
                let statistics = try #require(response.json["statistics"])
                #expect(statistics.keys == ["before", "delta", "after"])
                #expect(statistics["delta"]?.keys == ["created", "closed", "reactivated", "untouched"])
                #expect(statistics["delta"]?["untouched"]?.keys == ImportScanTests.severityKeys)
                #expect(Self.delta(response) == [0, 0, 0, 3])
                #expect(statistics["before"] == statistics["after"])
                #expect(statistics["after"]?.statTotal == 3)
                #expect(statistics["after"]?["total"]?["active"] == .int(3))
            }

            // And the findings are exactly as they were
            let after = try await server.findings(test: test)
            #expect(after.map { $0["id"] } == before.map { $0["id"] })
            #expect(after.map { $0["active"] } == before.map { $0["active"] })
            #expect(after.allSatisfy { $0["is_mitigated"] == .bool(false) && $0["mitigated"] == .null })
            #expect(try await server.count("findings") == 3)
            #expect(try await server.count("notes") == 0)
        }
    }

    @Test("Identical ZAP (hash_code with endpoints) and SARIF (uid or hash) reimports leave everything untouched")
    func identicalOtherFormats() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            for (scanType, report, filename, count) in [("ZAP Scan", R.zap, "zap.xml", 4), ("SARIF", R.sarif(), "r.sarif", 2)] {
                let imported = try await server.importReport(scanType: scanType, report: report, filename: filename,
                                                             fields: [("engagement", "\(chain.engagement)")])
                let test = try #require(imported.json["test"]?.intValue, "\(imported.body)")
                let response = try await Self.reimport(server, test: test, report: report, scanType: scanType, filename: filename)
                #expect(Self.delta(response) == [0, 0, 0, count], "\(scanType)")
                #expect(try await server.findings(test: test).count == count)
            }
        }
    }

    @Test("A report holding the same finding twice reimports onto a test holding it twice without closing either")
    func repeatedFindingIdentical() async throws {
        try await withTestServer { server in
            let twice = R.generic([R.threeFindings[0], R.threeFindings[0]])
            let (_, test) = try await Self.arrange(server, report: twice)
            #expect(try await server.findings(test: test).count == 2)
            let response = try await Self.reimport(server, test: test, report: twice)
            #expect(Self.delta(response) == [0, 0, 0, 2])
            // (The second stored copy is a dedupe duplicate of the first since the import; neither is closed.)
            #expect(try await server.findings(test: test).allSatisfy { $0["is_mitigated"] == .bool(false) })
        }
    }

    @Test("A new finding repeated in a reimported report is created once")
    func repeatedNewFinding() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server)
            let extra = R.Generic("Brand new", severity: "Critical", uid: "GEN-9")
            let response = try await Self.reimport(server, test: test, report: R.generic(R.threeFindings + [extra, extra]))
            #expect(Self.delta(response) == [1, 0, 0, 3])
            #expect(try await server.findings(test: test).filter { $0["title"] == .string("Brand new") }.count == 1)
        }
    }

    // MARK: - Closing

    @Test("A finding missing from the report is closed (close_old_findings defaults to true on reimport)")
    func missingFindingClosed() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server)
            let response = try await Self.reimport(server, test: test, report: Self.firstTwo, fields: [("scan_date", "2024-05-01")])
            #expect(Self.delta(response) == [0, 1, 0, 2])
            #expect(response.json["statistics"]?["delta"]?["closed"]?["low"]?["is_mitigated"] == .int(1))
            #expect(response.json["statistics"]?["before"]?["total"]?["active"] == .int(3))
            #expect(response.json["statistics"]?["after"]?["total"]?["active"] == .int(2))
            #expect(response.json["statistics"]?["after"]?["total"]?["is_mitigated"] == .int(1))

            let findings = Self.byTitle(try await server.findings(test: test))
            let gone = try #require(findings[Self.banner])
            #expect(gone["active"] == .bool(false))
            #expect(gone["is_mitigated"] == .bool(true))
            #expect(gone["mitigated"]?.stringValue?.hasPrefix("2024-05-01") == true, "\(gone["mitigated"] ?? .null)")
            #expect(gone["mitigated_by"] == .int(1))
            let goneID = try #require(gone["id"]?.intValue)
            #expect(try await server.noteEntries(finding: goneID) == [Self.mitigatedNote])
            for (title, finding) in findings where title != Self.banner {
                #expect(finding["active"] == .bool(true), "\(title)")
                #expect(finding["is_mitigated"] == .bool(false), "\(title)")
            }

            // A second identical reimport does not close it again
            let again = try await Self.reimport(server, test: test, report: Self.firstTwo)
            #expect(Self.delta(again) == [0, 0, 0, 2])
            #expect(try await server.noteEntries(finding: goneID).count == 1)
        }
    }

    @Test("close_old_findings=false keeps missing findings open")
    func closeOldFindingsFalse() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server)
            let response = try await Self.reimport(server, test: test, report: Self.firstTwo, fields: [("close_old_findings", "false")])
            #expect(response.json["close_old_findings"] == .bool(false))
            #expect(Self.delta(response) == [0, 0, 0, 2])
            #expect(try await server.findings(test: test).allSatisfy { $0["active"] == .bool(true) && $0["is_mitigated"] == .bool(false) })
        }
    }

    @Test("An empty report closes every finding of the test")
    func emptyReportClosesAll() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server)
            let response = try await Self.reimport(server, test: test, report: R.generic([]))
            #expect(Self.delta(response) == [0, 3, 0, 0])
            #expect(try await server.findings(test: test).allSatisfy { $0["is_mitigated"] == .bool(true) })
        }
    }

    // MARK: - Reactivation

    @Test("A returning finding is reactivated with DefectDojo's note, not created again")
    func returningFindingReactivated() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server)
            try await Self.reimport(server, test: test, report: Self.firstTwo)
            let gone = try #require(Self.byTitle(try await server.findings(test: test))[Self.banner]?["id"]?.intValue)

            let response = try await Self.reimport(server, test: test, fields: [("verified", "true")])
            #expect(Self.delta(response) == [0, 0, 1, 2])
            #expect(response.json["statistics"]?["delta"]?["reactivated"]?["low"]?["active"] == .int(1))
            let findings = try await server.findings(test: test)
            #expect(findings.count == 3)
            let back = try #require(findings.first { $0["id"] == .int(gone) })
            #expect(back["active"] == .bool(true))
            #expect(back["is_mitigated"] == .bool(false))
            #expect(back["mitigated"] == .null)
            #expect(back["mitigated_by"] == .null)
            #expect(back["verified"] == .bool(true))
            #expect(try await server.noteEntries(finding: gone) == [Self.reimportNote, Self.mitigatedNote])
        }
    }

    @Test("A returning finding repeated in the report is reactivated once, with one note")
    func returningRepeatedFindingReactivatedOnce() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server)
            try await Self.reimport(server, test: test, report: Self.firstTwo)
            let gone = try #require(Self.byTitle(try await server.findings(test: test))[Self.banner]?["id"]?.intValue)
            let response = try await Self.reimport(server, test: test, report: R.generic(R.threeFindings + [R.threeFindings[2]]))
            #expect(Self.delta(response) == [0, 0, 1, 2])
            #expect(try await server.noteEntries(finding: gone).filter { $0 == Self.reimportNote }.count == 1)
            #expect(try await server.count("findings") == 3)
            let history = try await server.request(.GET, "/api/v2/test_imports/?test=\(test)")
            let latest = history.json["results"]?.items.first?["test_import_finding_action_set"]?.items ?? []
            #expect(latest.filter { $0["action"] == .string("R") }.compactMap { $0["finding"]?.intValue } == [gone])
        }
    }

    @Test("do_not_reactivate leaves a returning finding mitigated and notes it once")
    func doNotReactivate() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server)
            try await Self.reimport(server, test: test, report: Self.firstTwo)
            let gone = try #require(Self.byTitle(try await server.findings(test: test))[Self.banner]?["id"]?.intValue)

            for _ in 0..<2 {
                let response = try await Self.reimport(server, test: test, fields: [("do_not_reactivate", "true")])
                #expect(response.json["do_not_reactivate"] == .bool(true))
                #expect(Self.delta(response) == [0, 0, 0, 2])
            }
            let finding = try #require(try await server.findings(test: test).first { $0["id"] == .int(gone) })
            #expect(finding["is_mitigated"] == .bool(true))
            #expect(finding["active"] == .bool(false))
            #expect(try await server.noteEntries(finding: gone) == [Self.skippedNote, Self.mitigatedNote])
        }
    }

    @Test("do_not_reactivate with the returning finding repeated in the report notes it once")
    func doNotReactivateRepeated() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server)
            try await Self.reimport(server, test: test, report: Self.firstTwo)
            let gone = try #require(Self.byTitle(try await server.findings(test: test))[Self.banner]?["id"]?.intValue)
            try await Self.reimport(server, test: test, report: R.generic(R.threeFindings + [R.threeFindings[2]]), fields: [("do_not_reactivate", "true")])
            #expect(try await server.noteEntries(finding: gone).filter { $0 == Self.skippedNote }.count == 1)
        }
    }

    // MARK: - Status carried by the report

    @Test("An open finding the report marks mitigated is closed with the report's mitigation, not counted as closed")
    func reportMarksMitigated() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server)
            var findings = R.threeFindings
            findings[0].extra = #", "is_mitigated": true, "mitigated": "2024-03-01 10:00:00""#
            let response = try await Self.reimport(server, test: test, report: R.generic(findings))
            #expect(Self.delta(response) == [0, 0, 0, 2])
            let stored = try #require(Self.byTitle(try await server.findings(test: test))["SQL Injection in login"])
            #expect(stored["is_mitigated"] == .bool(true))
            #expect(stored["active"] == .bool(false))
            #expect(stored["mitigated"]?.stringValue?.hasPrefix("2024-03-01") == true, "\(stored["mitigated"] ?? .null)")
        }
    }

    @Test("An open finding the report marks false positive takes the flag; being in 'to mitigate', it is then closed")
    func reportMarksFalsePositive() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server)
            var findings = R.threeFindings
            findings[1].extra = #", "false_p": true"#
            let response = try await Self.reimport(server, test: test, report: R.generic(findings))
            #expect(Self.delta(response) == [0, 1, 0, 2])
            let stored = try #require(Self.byTitle(try await server.findings(test: test))["Reflected XSS in search"])
            #expect(stored["false_p"] == .bool(true))
            #expect(stored["active"] == .bool(false))
            #expect(stored["is_mitigated"] == .bool(true))
        }
    }

    @Test("The verified override also applies to a matched finding the report closes")
    func verifiedOnClosedAsReported() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server)
            var findings = R.threeFindings
            findings[0].extra = #", "is_mitigated": true"#
            try await Self.reimport(server, test: test, report: R.generic(findings), fields: [("verified", "true")])
            let stored = try #require(Self.byTitle(try await server.findings(test: test))["SQL Injection in login"])
            #expect(stored["is_mitigated"] == .bool(true))
            #expect(stored["verified"] == .bool(true))
            // Untouched findings keep their verified flag.
            #expect(Self.byTitle(try await server.findings(test: test))["Reflected XSS in search"]?["verified"] == .bool(false))
        }
    }

    @Test("Special status: a false positive the report lists without the flag is left in 'to mitigate' and closed; risk accepted and inactive stays untouched")
    func specialStatusOnReimport() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server)
            let ids = Self.byTitle(try await server.findings(test: test)).mapValues { $0["id"]?.intValue ?? -1 }
            let fp = try #require(ids["SQL Injection in login"]), accepted = try #require(ids["Reflected XSS in search"])
            try await server.sql.raw("UPDATE findings SET false_p = \(bind: true), active = \(bind: false) WHERE id = \(bind: fp)").run()
            try await server.sql.raw("UPDATE findings SET risk_accepted = \(bind: true), active = \(bind: false) WHERE id = \(bind: accepted)").run()
            let response = try await Self.reimport(server, test: test)
            #expect(Self.delta(response) == [0, 1, 0, 2])
            let after = try await server.findings(test: test)
            let fpFinding = try #require(after.first { $0["id"] == .int(fp) })
            let acceptedFinding = try #require(after.first { $0["id"] == .int(accepted) })
            #expect(fpFinding["is_mitigated"] == .bool(true))
            #expect(fpFinding["false_p"] == .bool(true))
            #expect(acceptedFinding["is_mitigated"] == .bool(false))
            #expect(acceptedFinding["risk_accepted"] == .bool(true))
        }
    }

    @Test("Matched findings: fix_available / fix_version copied, empty component fields filled, set ones kept")
    func fixAndComponentRefresh() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server)
            var findings = R.threeFindings
            findings[0].extra = #", "fix_available": true, "fix_version": "2.0.1", "component_name": "auth-lib", "component_version": "1.9""#
            try await Self.reimport(server, test: test, report: R.generic(findings))
            var stored = try #require(Self.byTitle(try await server.findings(test: test))["SQL Injection in login"])
            #expect(stored["fix_available"] == .bool(true))
            #expect(stored["fix_version"] == .string("2.0.1"))
            #expect(stored["component_name"] == .string("auth-lib"))
            #expect(stored["component_version"] == .string("1.9"))

            findings[0].extra = #", "fix_available": true, "fix_version": "2.0.2", "component_name": "other-lib", "component_version": "3""#
            let response = try await Self.reimport(server, test: test, report: R.generic(findings))
            #expect(Self.delta(response) == [0, 0, 0, 3])
            stored = try #require(Self.byTitle(try await server.findings(test: test))["SQL Injection in login"])
            #expect(stored["fix_version"] == .string("2.0.2"))
            #expect(stored["component_name"] == .string("auth-lib"))
            #expect(stored["component_version"] == .string("1.9"))
        }
    }

    @Test("Matched findings take the report's vulnerability ids but keep their own tags")
    func vulnerabilityIDsAndTags() async throws {
        try await withTestServer { server in
            var findings = R.threeFindings
            findings[0].extra = #", "vulnerability_ids": ["CVE-2024-1111"], "tags": ["first-tag"]"#
            let (_, test) = try await Self.arrange(server, report: R.generic(findings))
            findings[0].extra = #", "vulnerability_ids": ["CVE-2024-2222", "GHSA-xxxx-yyyy-zzzz"], "tags": ["second-tag"]"#
            let response = try await Self.reimport(server, test: test, report: R.generic(findings))
            #expect(Self.delta(response) == [0, 0, 0, 3])
            let stored = try #require(Self.byTitle(try await server.findings(test: test))["SQL Injection in login"])
            #expect(Set(stored["vulnerability_ids"]?.items.compactMap { $0["vulnerability_id"]?.stringValue } ?? []) == ["CVE-2024-2222", "GHSA-xxxx-yyyy-zzzz"])
            #expect(stored["tags"] == .array([.string("first-tag")]))
        }
    }

    @Test("Matched dynamic findings get their endpoint statuses synced: old endpoints mitigated, new ones added")
    func endpointStatusesSynced() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let imported = try await server.importReport(scanType: "ZAP Scan", report: R.zap, filename: "zap.xml", fields: [("engagement", "\(chain.engagement)")])
            let test = try #require(imported.json["test"]?.intValue)
            let sql = try #require(Self.byTitle(try await server.findings(test: test))["SQL Injection"]?["id"]?.intValue)
            let moved = R.zap.replacingOccurrences(of: "https://shop.example.com/item?id=1", with: "https://shop.example.com/search?q=1")
            let response = try await Self.reimport(server, test: test, report: moved, scanType: "ZAP Scan", filename: "zap.xml")
            #expect(Self.delta(response) == [0, 0, 0, 4])
            let rows = try await server.sql.raw("""
                SELECT e.path AS path, es.mitigated AS mitigated FROM endpoint_status es JOIN endpoints e ON e.id = es.endpoint_id
                WHERE es.finding_id = \(bind: sql) ORDER BY e.path
                """).all()
            let statuses = try rows.map { (try $0.decode(column: "path", as: String?.self) ?? "", try $0.decode(column: "mitigated", as: Bool.self)) }
            #expect(statuses.count == 2, "\(statuses)")
            #expect(statuses.first { $0.0 == "item" }?.1 == true, "\(statuses)")
            #expect(statuses.first { $0.0 == "search" }?.1 == false, "\(statuses)")
        }
    }

    // MARK: - New findings

    @Test("A finding new to the test is created with the import stamping (active/verified overrides, scan_date, tags)")
    func newFindingCreated() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server)
            let extra = R.Generic("Brand new", severity: "Critical", uid: "GEN-9")
            let response = try await Self.reimport(server, test: test, report: R.generic(R.threeFindings + [extra]), fields: [
                ("active", "false"), ("verified", "true"), ("scan_date", "2024-04-02"), ("tags", "Reimported"), ("apply_tags_to_findings", "true"),
            ])
            #expect(Self.delta(response) == [1, 0, 0, 3])
            #expect(response.json["statistics"]?["delta"]?["created"]?["critical"]?["total"] == .int(1))
            #expect(response.json["statistics"]?["after"]?.statTotal == 4)
            let created = try #require(Self.byTitle(try await server.findings(test: test))["Brand new"])
            #expect(created["test"] == .int(test))
            #expect(created["active"] == .bool(false))
            #expect(created["verified"] == .bool(true))
            #expect(created["date"] == .string("2024-04-02"))
            #expect(created["tags"]?.items.contains(.string("reimported")) == true)
            // Matched findings keep their state: the active override applies to new findings only.
            #expect(Self.byTitle(try await server.findings(test: test))["SQL Injection in login"]?["active"] == .bool(true))
        }
    }

    @Test("Matched findings are not refreshed from the report (title, description, severity stay)")
    func matchedNotRefreshed() async throws {
        try await withTestServer { server in
            // SARIF matches on fingerprint (unique_id_from_tool) even when the message — and so title and hash — changes.
            let chain = try await server.makeChain()
            let imported = try await server.importReport(scanType: "SARIF", report: R.sarif(), filename: "r.sarif",
                                                         fields: [("engagement", "\(chain.engagement)")])
            let test = try #require(imported.json["test"]?.intValue)
            let before = try await server.findings(test: test)
            let changed = R.sarif(first: ("User data flows into eval() (reworded)", "fp-0001"))
            let response = try await Self.reimport(server, test: test, report: changed, scanType: "SARIF", filename: "r.sarif")
            #expect(Self.delta(response) == [0, 0, 0, 2])
            let after = try await server.findings(test: test)
            #expect(after.map { $0["title"] } == before.map { $0["title"] })
            #expect(after.map { $0["hash_code"] } == before.map { $0["hash_code"] })
        }
    }

    // MARK: - Test metadata

    @Test("Reimport replaces test tags when given and overwrites version / build / commit / branch when non-blank")
    func testMetadata() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server, fields: [("tags", "first"), ("version", "1.0"), ("build_id", "b1")])
            try await Self.reimport(server, test: test, fields: [("tags", "Second,third"), ("version", "2.0"), ("commit_hash", "c2"), ("branch_tag", "dev")])
            var stored = try await server.request(.GET, "/api/v2/tests/\(test)/")
            #expect(Set(stored.json["tags"]?.items.compactMap(\.stringValue) ?? []) == ["second", "third"])
            #expect(stored.json["version"] == .string("2.0"))
            #expect(stored.json["build_id"] == .string("b1"))
            #expect(stored.json["commit_hash"] == .string("c2"))
            #expect(stored.json["branch_tag"] == .string("dev"))

            try await Self.reimport(server, test: test, fields: [("version", ""), ("tags", "")])
            stored = try await server.request(.GET, "/api/v2/tests/\(test)/")
            #expect(stored.json["version"] == .string("2.0"))
            #expect(Set(stored.json["tags"]?.items.compactMap(\.stringValue) ?? []) == ["second", "third"])
        }
    }

    @Test("apply_tags_to_findings on reimport tags the matched findings too, not only new ones")
    func applyTagsOnReimport() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server)
            let extra = R.Generic("Brand new", severity: "Critical", uid: "GEN-9")
            try await Self.reimport(server, test: test, report: R.generic(R.threeFindings + [extra]),
                                    fields: [("tags", "release-2"), ("apply_tags_to_findings", "true")])
            let findings = try await server.findings(test: test)
            #expect(findings.count == 4)
            for finding in findings {
                #expect(finding["tags"]?.items.contains(.string("release-2")) == true, "\(finding["title"] ?? .null): \(finding["tags"] ?? .null)")
            }
        }
    }

    @Test("Reimport pushes the test's target_end (and a CI/CD engagement's) to a later scan_date, never back")
    func targetEndExtended() async throws {
        try await withTestServer { server in
            let (chain, test) = try await Self.arrange(server, fields: [("scan_date", "2024-01-10")])
            try await server.sql.raw("UPDATE engagements SET target_end = '2024-01-31' WHERE id = \(bind: chain.engagement)").run()
            try await Self.reimport(server, test: test, fields: [("scan_date", "2024-03-01")])
            var stored = try await server.request(.GET, "/api/v2/tests/\(test)/")
            #expect(stored.json["target_end"]?.stringValue?.hasPrefix("2024-03-01") == true, "\(stored.json["target_end"] ?? .null)")
            #expect(try await server.request(.GET, "/api/v2/engagements/\(chain.engagement)/").json["target_end"] == .string("2024-03-01"))
            try await Self.reimport(server, test: test, fields: [("scan_date", "2024-02-01")])
            stored = try await server.request(.GET, "/api/v2/tests/\(test)/")
            #expect(stored.json["target_end"]?.stringValue?.hasPrefix("2024-03-01") == true, "\(stored.json["target_end"] ?? .null)")
            #expect(stored.json["target_start"]?.stringValue?.hasPrefix("2024-01-10") == true)
            #expect(try await server.request(.GET, "/api/v2/engagements/\(chain.engagement)/").json["target_end"] == .string("2024-03-01"))
        }
    }

    @Test("Closing a dynamic finding mitigates its endpoint statuses; reactivation reopens them")
    func endpointStatusesOnCloseAndReactivate() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let imported = try await server.importReport(scanType: "ZAP Scan", report: R.zap, filename: "zap.xml", fields: [("engagement", "\(chain.engagement)")])
            let test = try #require(imported.json["test"]?.intValue)
            let sql = try #require(Self.byTitle(try await server.findings(test: test))["SQL Injection"]?["id"]?.intValue)
            func mitigatedStatuses() async throws -> [Bool] {
                try await server.sql.raw("SELECT mitigated FROM endpoint_status WHERE finding_id = \(bind: sql)").all()
                    .map { try $0.decode(column: "mitigated", as: Bool.self) }
            }
            #expect(try await mitigatedStatuses() == [false])
            let start = try #require(R.zap.range(of: "<alertitem>")), end = try #require(R.zap.range(of: "</alertitem>"))
            let withoutSQL = R.zap.replacingCharacters(in: start.lowerBound..<end.upperBound, with: "")
            let closing = try await Self.reimport(server, test: test, report: withoutSQL, scanType: "ZAP Scan", filename: "zap.xml")
            #expect(Self.delta(closing) == [0, 1, 0, 3])
            #expect(try await mitigatedStatuses() == [true])
            let reopening = try await Self.reimport(server, test: test, report: R.zap, scanType: "ZAP Scan", filename: "zap.xml")
            #expect(Self.delta(reopening) == [0, 0, 1, 3])
            #expect(try await mitigatedStatuses() == [false])
        }
    }

    @Test("Reports larger than the 1000-finding batches: identical, shrunk and restored reimports count every finding once")
    func largeReports() async throws {
        try await withTestServer { server in
            let severities = ["Info", "Low", "Medium", "High", "Critical"]
            let findings = (0..<1_500).map { i in
                R.Generic("Finding \(i)", severity: severities[i % 5], uid: "L-\(i)", cwe: 100 + i % 7, file: "src/f\(i % 40).py", line: i,
                          extra: #", "vulnerability_ids": ["CVE-2024-\#(10_000 + i)"]"#)
            }
            let (_, test) = try await Self.arrange(server, report: R.generic(findings))
            #expect(try await server.count("findings") == 1_500)
            let identical = try await Self.reimport(server, test: test, report: R.generic(findings))
            #expect(Self.delta(identical) == [0, 0, 0, 1_500])
            let shrunk = try await Self.reimport(server, test: test, report: R.generic(Array(findings.prefix(700))))
            #expect(Self.delta(shrunk) == [0, 800, 0, 700])
            #expect(try await server.count("notes") == 800)
            let restored = try await Self.reimport(server, test: test, report: R.generic(findings))
            #expect(Self.delta(restored) == [0, 0, 800, 700])
            #expect(restored.json["statistics"]?["after"]?["total"]?["active"] == .int(1_500))
            #expect(restored.json["statistics"]?["after"]?["critical"]?["total"] == .int(300))
            #expect(try await server.count("findings") == 1_500)
            #expect(try await server.count("vulnerability_ids") == 1_500)
        }
    }

    // MARK: - Service scope

    @Test("Reimport matching and closing are scoped to the service")
    func serviceScope() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server, fields: [("service", "api")])
            // Without service, the api findings are out of scope: the report's findings are new, nothing is closed.
            let plain = try await Self.reimport(server, test: test)
            #expect(Self.delta(plain) == [3, 0, 0, 0])
            // With service=api and one finding, only api findings are considered: two closed, three service-less untouched by it.
            let api = try await Self.reimport(server, test: test, report: R.generic([R.threeFindings[0]]), fields: [("service", "api")])
            #expect(Self.delta(api) == [0, 2, 0, 1])
            let findings = try await server.findings(test: test)
            #expect(findings.filter { $0["service"] == .null }.allSatisfy { $0["is_mitigated"] == .bool(false) })
            #expect(findings.filter { $0["service"] == .string("api") && $0["is_mitigated"] == .bool(true) }.count == 2)
        }
    }

    // MARK: - Finding the test

    @Test("Reimport by product_name + engagement_name finds the newest test of the scan type; test_title picks a titled one")
    func reimportByNames() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain(name: "Shop")
            func importTitled(_ title: String) async throws -> Int {
                let response = try await server.importReport(report: Self.all, fields: [("engagement", "\(chain.engagement)"), ("test_title", title)])
                return try #require(response.json["test"]?.intValue, "\(response.body)")
            }
            let nightly = try await importTitled("nightly")
            let weekly = try await importTitled("weekly")
            let names = [("product_name", "Shop"), ("engagement_name", "Shop engagement")]

            let newest = try await server.importReport("reimport-scan", report: Self.firstTwo, fields: names)
            #expect(newest.status == .created, "\(newest.body)")
            #expect(newest.json["test"] == .int(weekly))

            let titled = try await server.importReport("reimport-scan", report: Self.firstTwo, fields: names + [("test_title", "nightly")])
            #expect(titled.status == .created, "\(titled.body)")
            #expect(titled.json["test"] == .int(nightly))
            #expect(try await server.findings(test: nightly).filter { $0["is_mitigated"] == .bool(true) }.count == 1)
        }
    }

    @Test("No matching test and no auto_create_context: 404 'A test could not be found!' and nothing stored")
    func noTestFound() async throws {
        try await withTestServer { server in
            _ = try await server.makeChain(name: "Shop")  // holds a ZAP test only
            let before = try await server.importFootprint()
            let response = try await server.importReport("reimport-scan", report: Self.all,
                                                         fields: [("product_name", "Shop"), ("engagement_name", "Shop engagement")])
            #expect(response.status == .notFound)
            #expect(response.json["detail"] == .string("A test could not be found!"), "\(response.body)")
            #expect(try await server.importFootprint() == before)
        }
    }

    @Test("No matching test with auto_create_context: a test is created like an import, without closing anything")
    func autoCreateTest() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain(name: "Shop")
            let existing = try await server.importReport(report: Self.all, fields: [("engagement", "\(chain.engagement)"), ("test_title", "a")])
            let old = try #require(existing.json["test"]?.intValue)
            let response = try await server.importReport("reimport-scan", report: Self.firstTwo, fields: [
                ("product_name", "Shop"), ("engagement_name", "Shop engagement"), ("test_title", "b"), ("auto_create_context", "true"),
            ])
            #expect(response.status == .created, "\(response.body)")
            let test = try #require(response.json["test"]?.intValue)
            #expect(test != old)
            #expect(response.json["statistics"]?.keys == ["after"])
            #expect(response.json["statistics"]?["after"]?.statTotal == 2)
            #expect(try await server.request(.GET, "/api/v2/tests/\(test)/").json["title"] == .string("b"))
            #expect(try await server.findings(test: old).allSatisfy { $0["is_mitigated"] == .bool(false) })

            // Creating the whole context works too
            let fresh = try await server.importReport("reimport-scan", report: Self.all, fields: [
                ("product_type_name", "New type"), ("product_name", "New product"), ("engagement_name", "New engagement"), ("auto_create_context", "true"),
            ])
            #expect(fresh.status == .created, "\(fresh.body)")
            #expect(try await server.count("products", where: "name = 'New product'") == 1)
        }
    }

    @Test("A test id outside the named product / engagement is a 400")
    func testOutsideNamedEngagement() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server)
            _ = try await server.makeChain(name: "Blog")
            let before = try await server.importFootprint()
            let response = try await server.importReport("reimport-scan", report: Self.firstTwo, fields: [
                ("test", "\(test)"), ("product_name", "Blog"), ("engagement_name", "Blog engagement"),
            ])
            #expect(response.status == .badRequest, "\(response.body)")
            #expect(try await server.importFootprint() == before)
        }
    }

    @Test("An unknown test id is a 400 naming it; a non-numeric one is 'test must be an integer'")
    func badTestID() async throws {
        try await withTestServer { server in
            let unknown = try await server.importReport("reimport-scan", report: Self.all, fields: [("test", "999999")])
            #expect(unknown.status == .badRequest, "\(unknown.body)")
            #expect(unknown.body.contains("999999"))
            let text = try await server.importReport("reimport-scan", report: Self.all, fields: [("test", "abc")])
            #expect(text.status == .badRequest, "\(text.body)")
            #expect(text.body.contains("test must be an integer"), "\(text.body)")
        }
    }

    @Test("A report of another tool for a meta-format test is a 400 'Test type mismatch'")
    func testTypeMismatch() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server, report: R.generic(R.threeFindings, header: #""type": "Acme Scanner","#))
            #expect(try await server.request(.GET, "/api/v2/tests/\(test)/").json["test_type_name"] == .string("Acme Scanner Scan (Generic Findings Import)"))
            let response = try await server.importReport("reimport-scan", report: R.generic(R.threeFindings, header: #""type": "Other Tool","#),
                                                         fields: [("test", "\(test)")])
            #expect(response.status == .badRequest, "\(response.body)")
            #expect(response.body.contains("Test type mismatch"), "\(response.body)")
            #expect(try await server.findings(test: test).allSatisfy { $0["is_mitigated"] == .bool(false) })
        }
    }

    @Test("A malformed report on reimport is a 400 and the test is left as it was")
    func malformedReimport() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server)
            let before = try await server.importFootprint()
            let response = try await server.importReport("reimport-scan", report: "{\"findings\": [", fields: [("test", "\(test)")])
            #expect(response.status == .badRequest)
            #expect(response.json["message"]?.stringValue?.contains("line") == true, "\(response.body)")
            #expect(try await server.importFootprint() == before)
        }
    }

    @Test("Reimport errors: JSON body 415, GET 405, missing scan_type 400")
    func protocolErrors() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server)
            let json = try await server.request(.POST, "/api/v2/reimport-scan/", json: #"{"scan_type": "ZAP Scan", "test": \#(test)}"#)
            #expect(json.status == .unsupportedMediaType)
            #expect(json.json["detail"] == .string("Unsupported media type \"application/json\" in request."))
            let get = try await server.request(.GET, "/api/v2/reimport-scan/")
            #expect(get.status == .methodNotAllowed)
            #expect(get.json["detail"] == .string("Method \"GET\" not allowed."))
            let noType = try await server.upload("reimport-scan", MultipartForm([("test", "\(test)")], file: Self.all))
            #expect(noType.status == .badRequest)
            #expect(noType.json["scan_type"]?.items == [.string("This field is required.")])
        }
    }

    @Test("Permissions: non-members and readers get 403 and change nothing; API importers may reimport")
    func permissions() async throws {
        try await withTestServer { server in
            let (chain, test) = try await Self.arrange(server)
            let stranger = try await server.makeUser("stranger")
            let reader = try await F.member(server, "reader", product: chain.product, role: 5)
            let importer = try await F.member(server, "importer", product: chain.product, role: 1)
            let before = try await server.importFootprint()
            for token in [stranger.token, reader.token] {
                let response = try await server.importReport("reimport-scan", report: Self.firstTwo, fields: [("test", "\(test)")], token: token)
                #expect(response.status == .forbidden, "\(response.body)")
                #expect(response.json["detail"] == .string("You do not have permission to perform this action."))
            }
            let byNames = try await server.importReport("reimport-scan", report: Self.firstTwo,
                                                        fields: [("product_name", "App"), ("engagement_name", "App engagement")], token: stranger.token)
            #expect(byNames.status == .forbidden, "\(byNames.body)")
            #expect(try await server.importFootprint() == before)
            let allowed = try await server.importReport("reimport-scan", report: Self.firstTwo, fields: [("test", "\(test)")], token: importer.token)
            #expect(allowed.status == .created, "\(allowed.body)")
            #expect(Self.delta(allowed) == [0, 1, 0, 2])
        }
    }

    // MARK: - History and dedupe

    @Test("test_imports/ records the import and the reimport with per-finding actions N / C / R / U")
    func importHistory() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server, fields: [("version", "1.0")])
            let ids = Self.byTitle(try await server.findings(test: test)).mapValues { $0["id"]?.intValue ?? -1 }
            let extra = R.Generic("Brand new", severity: "Critical", uid: "GEN-9")
            try await Self.reimport(server, test: test, report: R.generic(Array(R.threeFindings.prefix(2)) + [extra]), fields: [("build_id", "b2")])
            try await Self.reimport(server, test: test, report: R.generic(R.threeFindings + [extra]))
            let newID = try #require(Self.byTitle(try await server.findings(test: test))["Brand new"]?["id"]?.intValue)

            let history = try await server.request(.GET, "/api/v2/test_imports/?test=\(test)")
            #expect(history.status == .ok)
            #expect(history.json["count"] == .int(3))
            let rows = history.json["results"]?.items ?? []
            #expect(rows.map { $0["type"] } == [.string("reimport"), .string("reimport"), .string("import")])
            #expect(rows.allSatisfy { $0["test"] == .int(test) })
            func actions(_ row: JSONValue) -> [String: Set<Int>] {
                var out: [String: Set<Int>] = [:]
                for action in row["test_import_finding_action_set"]?.items ?? [] {
                    out[action["action"]?.stringValue ?? "?", default: []].insert(action["finding"]?.intValue ?? -1)
                }
                return out
            }
            let sql = ids["SQL Injection in login"] ?? -1, xss = ids["Reflected XSS in search"] ?? -1, banner = ids[Self.banner] ?? -1
            #expect(actions(rows[2]) == ["N": [sql, xss, banner]])
            #expect(actions(rows[1]) == ["N": [newID], "C": [banner], "U": [sql, xss]])
            #expect(actions(rows[0]) == ["R": [banner], "U": [sql, xss, newID]])
            #expect(rows[2]["version"] == .string("1.0"))
            #expect(rows[1]["build_id"] == .string("b2"))
            #expect(Set(rows[1]["findings_affected"]?.items.compactMap(\.intValue) ?? []) == [newID, banner, sql, xss])
            #expect(rows[1]["import_settings"]?["close_old_findings"] == .bool(true))
        }
    }

    @Test("A finding created by reimport is deduplicated against another test of the product")
    func reimportDedupe() async throws {
        try await withTestServer { server in
            let (chain, test) = try await Self.arrange(server, report: R.generic([R.threeFindings[0]]))
            let other = try await F.engagement(server, product: chain.product, name: "Other")
            let elsewhere = try await server.importReport(report: R.generic([R.threeFindings[1]]), fields: [("engagement", "\(other)")])
            let elsewhereTest = try #require(elsewhere.json["test"]?.intValue)
            let original = try #require(try await server.findings(test: elsewhereTest).first?["id"])
            let response = try await Self.reimport(server, test: test, report: R.generic(Array(R.threeFindings.prefix(2))))
            #expect(Self.delta(response) == [1, 0, 0, 1])
            let created = try #require(Self.byTitle(try await server.findings(test: test))["Reflected XSS in search"])
            #expect(created["duplicate"] == .bool(true))
            #expect(created["duplicate_finding"] == original)
        }
    }
}
