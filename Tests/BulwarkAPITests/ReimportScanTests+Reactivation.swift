import BulwarkStorage
import BulwarkTesting
import Foundation
import SQLKit
import Testing

extension ReimportScanTests {
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
}
