import BulwarkConnectors
import BulwarkCore
import BulwarkTesting
import Foundation
import Testing

/// Each connector against a loopback mock serving the shared fixtures by their README's request
/// table: the records, the findings per record and status, and the requests made.
@Suite("Connectors against the shared fixtures", .enabled(if: ConnectorFixtures.available))
struct FixtureConformanceTests {
    /// Runs discover and a findings fetch per record; returns records and counts by external id.
    static func run(_ tool: String, routes: [MockToolServer.Route], auth: (String, String), extra: [String: String] = [:])
        async throws -> (records: [DiscoveredRecord], counts: [String: FindingCounts], findings: [String: [Finding]], server: MockToolServer) {
        let server = try await MockToolServer.start(routes: routes, auth: auth)
        let transport = AsyncHTTPClientTransport.shared
        defer { Task { await transport.shutdown(); try? await server.shutdown() } }
        let (connector, _) = try ConnectorRegistry.make(configuration(tool, location: server.baseURL, extra: extra), transport: transport,
                                                        policy: testPolicy(), sleeper: RecordingSleeper())
        try await connector.validate()
        let records = try await connector.discover()
        var counts: [String: FindingCounts] = [:], findings: [String: [Finding]] = [:]
        for record in records {
            let list = try await connector.findings(for: record)
            findings[record.externalID] = list
            counts[record.externalID] = FindingCounts(list)
        }
        return (records, counts, findings, server)
    }

    @Test("SonarQube: 2 projects, issues and hotspots with the README's counts; rule 404 falls back")
    func sonarqube() async throws {
        // Given
        let routes = try #require(try ConnectorFixtures.sonarqube())
        // When
        let result = try await Self.run("sonarqube", routes: routes, auth: ("Authorization", "Bearer s3cr3t-token"), extra: ["page_size": "3"])
        // Then
        #expect(result.records.map(\.name) == ["Payments API", "Inventory Web"])
        #expect(result.counts["acme:payments-api"] == FindingCounts(total: 6, critical: 1, high: 2, medium: 2, low: 1, active: 3, verified: 1,
                                                                     falsePositive: 2, riskAccepted: 0, mitigated: 1))
        #expect(result.counts["acme:inventory-web"] == FindingCounts(total: 2, critical: 0, high: 1, medium: 1, low: 0, active: 1, verified: 0,
                                                                      falsePositive: 0, riskAccepted: 1, mitigated: 0))
        let payments = result.findings["acme:payments-api"] ?? []
        let blocker = try #require(payments.first { $0.uniqueIDFromTool == "AZ3kq1pLr7Vb0aa01" })
        #expect(blocker.severity == .critical && blocker.cwe == 89 && blocker.line == 88)
        #expect(blocker.filePath == "src/main/java/com/acme/pay/OrderDao.java")
        #expect(blocker.title == "Database queries should not be vulnerable to injection attacks")
        #expect(payments.contains { $0.uniqueIDFromTool == "hotspot:AZ3kq2HsT0Hs0cc01" && $0.severity == .high && $0.active })
        let fallback = try #require(payments.first { $0.uniqueIDFromTool == "AZ3kq1pLr7Vb0aa02" })
        #expect(fallback.title == "Disable access to external entities in XML parsing.")
        let requests = result.server.requests
        #expect(requests.allSatisfy { $0.header("Authorization") == "Bearer s3cr3t-token" })
        #expect(requests.contains { $0.path == "/api/issues/search" && $0.query["p"] == ["2"] && $0.query["ps"] == ["3"] })
    }

    @Test("Dependency-Track: 3 projects over 2 pages, findings including suppressed ones")
    func dependencyTrack() async throws {
        let routes = try #require(try ConnectorFixtures.dependencyTrack())
        let result = try await Self.run("dependency_track", routes: routes, auth: ("X-Api-Key", "s3cr3t-token"), extra: ["page_size": "2"])
        #expect(result.records.map(\.name) == ["payments-api 2.4.0", "inventory-web 1.9.3", "legacy-batch 0.7.1"])
        #expect(result.counts["3f2b6a3e-6c1d-4c1a-9d7e-0b5f1a2c3d41"] == FindingCounts(total: 4, critical: 1, high: 1, medium: 1, low: 1, active: 2,
                                                                                        verified: 1, falsePositive: 2, riskAccepted: 0, mitigated: 0))
        #expect(result.counts["8a7c2e10-44f1-4b0e-a2d3-5e6f7a8b9c02"] == FindingCounts(total: 2, critical: 1, high: 1, medium: 0, low: 0, active: 1,
                                                                                        verified: 0, falsePositive: 0, riskAccepted: 0, mitigated: 1))
        #expect(result.counts["c1d2e3f4-1111-4aaa-8bbb-2c3d4e5f6a03"]?.total == 0)
        let log4j = try #require(result.findings["3f2b6a3e-6c1d-4c1a-9d7e-0b5f1a2c3d41"]?.first)
        #expect(log4j.cwe == 502)
        #expect(log4j.componentName == "org.apache.logging.log4j/log4j-core" && log4j.componentVersion == "2.14.1")
        #expect(log4j.vulnerabilityIDs == ["CVE-2021-44228", "GHSA-jfh8-c2jp-5v3q"])
        #expect(log4j.uniqueIDFromTool == "3f2b6a3e-6c1d-4c1a-9d7e-0b5f1a2c3d41:0a1b2c3d-0001-4e5f-8a9b-000000000001:9e8d7c6b-0001-4a3b-9c8d-100000000001")
        let commons = result.findings["3f2b6a3e-6c1d-4c1a-9d7e-0b5f1a2c3d41"]?.first { $0.componentName?.contains("commons-text") == true }
        #expect(commons?.vulnerabilityIDs.contains("CVE-2022-42889") == true)
        #expect(result.server.requests.allSatisfy { $0.header("X-Api-Key") == "s3cr3t-token" })
        #expect(result.server.requests.contains { $0.path.hasPrefix("/api/v1/finding/project/") && $0.query["suppressed"] == ["true"] })
    }

    @Test("Semgrep: 2 projects, SAST and SCA findings, 0-based pages ending at an empty page")
    func semgrep() async throws {
        let routes = try #require(try ConnectorFixtures.semgrep())
        let result = try await Self.run("semgrep", routes: routes, auth: ("Authorization", "Bearer s3cr3t-token"))
        #expect(result.records.map(\.externalID) == ["acme/payments-api", "acme/inventory-web"])
        #expect(result.counts["acme/payments-api"] == FindingCounts(total: 3, critical: 0, high: 1, medium: 1, low: 1, active: 1, verified: 0,
                                                                     falsePositive: 1, riskAccepted: 0, mitigated: 1))
        #expect(result.counts["acme/inventory-web"] == FindingCounts(total: 1, critical: 1, high: 0, medium: 0, low: 0, active: 1, verified: 0,
                                                                      falsePositive: 0, riskAccepted: 0, mitigated: 0))
        let payments = result.findings["acme/payments-api"] ?? []
        #expect(payments.contains { $0.cwe == 89 && $0.line == 88 && $0.filePath == "src/main/java/com/acme/pay/OrderDao.java" })
        #expect(payments.first { $0.isMitigated }?.mitigated.map { CalendarDate(utcDayOf: $0).description } == "2026-11-12")
        let sca = try #require(result.findings["acme/inventory-web"]?.first)
        #expect(sca.componentName == "minimist" && sca.componentVersion == "1.2.5" && sca.vulnerabilityIDs == ["CVE-2021-44906"])
        #expect(sca.mitigation?.contains("1.2.6") == true)
    }

    @Test("Snyk: 3 projects over cursor pages, issues per project with the README's counts")
    func snyk() async throws {
        let routes = try #require(try ConnectorFixtures.snyk())
        let result = try await Self.run("snyk", routes: routes, auth: ("Authorization", "token s3cr3t-token"), extra: ["page_size": "2"])
        #expect(result.records.map(\.name) == ["acme/payments-api:pom.xml", "acme/payments-api", "acme/inventory-web:package.json"])
        #expect(result.counts["4f6a2b1c-8d3e-4a5f-b6c7-d8e9f0a1b2c3"] == FindingCounts(total: 3, critical: 1, high: 1, medium: 1, low: 0, active: 1,
                                                                                        verified: 0, falsePositive: 0, riskAccepted: 1, mitigated: 1))
        #expect(result.counts["9b8a7c6d-5e4f-4321-8a9b-0c1d2e3f4a5b"] == FindingCounts(total: 1, critical: 0, high: 1, medium: 0, low: 0, active: 1,
                                                                                        verified: 0, falsePositive: 0, riskAccepted: 0, mitigated: 0))
        #expect(result.counts["1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"] == FindingCounts(total: 1, critical: 0, high: 0, medium: 0, low: 1, active: 1,
                                                                                        verified: 0, falsePositive: 0, riskAccepted: 0, mitigated: 0))
        let code = try #require(result.findings["9b8a7c6d-5e4f-4321-8a9b-0c1d2e3f4a5b"]?.first)
        #expect(code.filePath == "src/main/java/com/acme/pay/OrderDao.java" && code.line == 88 && code.cwe == 89)
        let resolved = result.findings["4f6a2b1c-8d3e-4a5f-b6c7-d8e9f0a1b2c3"]?.first { $0.isMitigated }
        #expect(resolved?.mitigated.map { CalendarDate(utcDayOf: $0).description } == "2026-11-01")
        let requests = result.server.requests
        #expect(requests.allSatisfy { $0.query["version"] == ["2024-10-15"] && $0.header("Authorization") == "token s3cr3t-token" })
        #expect(requests.contains { $0.query["starting_after"] == ["v1.eyJrIjoiYTEifQ=="] })
    }
}
