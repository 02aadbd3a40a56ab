import BulwarkStorage
import BulwarkTesting
import Foundation
import SQLKit
import Testing

extension ReimportScanTests {
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
}
