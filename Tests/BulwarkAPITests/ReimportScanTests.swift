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
}
