import BulwarkConnectors
import BulwarkCore
import BulwarkTesting
import Foundation
import Testing

@Suite("Burp Suite DAST connector", .enabled(if: ConnectorFixtures.available))
struct BurpDASTTests {
    static let auth = ("Authorization", "s3cr3t-token")

    @Test("2 sites; the latest scan's issues over pages of 3 with the README's counts; identity from type and URL; endpoints")
    func fixtures() async throws {
        // Given
        let routes = try #require(try ConnectorFixtures.burpDAST())
        // When
        let result = try await ToolRun.run("burp_dast", routes: routes, auth: Self.auth) { _ in ["page_size": "3"] }
        defer { Task { try? await result.server.shutdown() } }
        // Then
        #expect(result.records.map(\.name) == ["Payments portal", "Inventory web"])
        #expect(result.records.first?.metadata["folder"] == "Production")
        #expect(result.counts["81"] == FindingCounts(total: 4, critical: 0, high: 1, medium: 1, low: 1, active: 4, verified: 2,
                                                      falsePositive: 0, riskAccepted: 0, mitigated: 0))
        #expect(result.counts["82"]?.total == 0)
        let payments = result.findings["81"] ?? []
        let sqli = try #require(payments.first { $0.title == "SQL injection" })
        #expect(sqli.severity == .high && !sqli.verified && sqli.cwe == 89)
        #expect(sqli.uniqueIDFromTool == "1049088:https://pay.acme.example/api/orders" && sqli.vulnIDFromTool == "1049088")
        let endpoint = try #require(sqli.endpoints.first)
        #expect(endpoint.protocol == "https" && endpoint.host == "pay.acme.example" && endpoint.path == "api/orders")
        #expect(sqli.references == "https://portswigger.net/web-security/sql-injection")
        #expect(sqli.description.contains("customerId") && sqli.mitigation?.contains("parameterized") == true)
        #expect(sqli.date?.description == "2026-11-16")
        let requests = result.server.requests
        #expect(requests.allSatisfy { $0.method == "POST" && $0.path == "/graphql/v1" && $0.header("Authorization") == "s3cr3t-token" })
        #expect(requests.contains { $0.bodyFields["operationName"] == "ScanIssues" && $0.bodyFields["variables.start"] == "3"
            && $0.bodyFields["variables.count"] == "3" })
        #expect(!requests.contains { $0.bodyFields["variables.start"] == "6" }, "a short page ends the paging")
    }

    @Test("second sync: scan 21145 has the same issues under new serial numbers but one; that one is gone, the rest keep their identity")
    func secondSync() async throws {
        // Given
        let first = try #require(try ConnectorFixtures.burpDAST())
        let result = try await ToolRun.run("burp_dast", routes: first, auth: Self.auth) { _ in ["page_size": "3"] }
        defer { Task { try? await result.server.shutdown() } }
        let before = Set((result.findings["81"] ?? []).compactMap(\.uniqueIDFromTool))
        // When
        result.server.setRoutes(try #require(try ConnectorFixtures.burpDAST(sync2: true)))
        let again = try await result.connector.findings(for: try #require(result.records.first))
        // Then
        let after = Set(again.compactMap(\.uniqueIDFromTool))
        #expect(after.count == 3 && after.isSubset(of: before))
        #expect(before.subtracting(after) == ["1049088:https://pay.acme.example/api/orders"])
        #expect(FindingCounts(again) == FindingCounts(total: 3, critical: 0, high: 0, medium: 1, low: 1, active: 3, verified: 2,
                                                      falsePositive: 0, riskAccepted: 0, mitigated: 0))
    }

    @Test("every §0.3 error row")
    func errorRows() async throws {
        let routes = try #require(try ConnectorFixtures.burpDAST())
        let page1 = try #require(routes.first { $0.body["variables.id"] == "21110" && $0.body["variables.start"] == "0" })
        try await ErrorRowScenario(
            tool: "burp_dast", routes: routes, auth: Self.auth, extra: ["page_size": "3"], recordID: "81",
            findingsRoute: { .graphQL("/graphql/v1", operation: "ScanIssues", variables: ["id": "21110", "start": "0"], $0) },
            findingsReply: try #require(page1.replies.first), findingsCall: "GraphQL ScanIssues", permissionWord: "scan results"
        ).check()
    }

    @Test("a GraphQL rate-limit error is retried as a 429; a site without a succeeded scan has nothing to import")
    func rateLimitAndNoScan() async throws {
        // Given
        let routes = try #require(try ConnectorFixtures.burpDAST())
        let server = try await MockToolServer.start(routes: routes, auth: Self.auth)
        defer { Task { try? await server.shutdown() } }
        let sleeper = RecordingSleeper()
        let (connector, client) = try ConnectorRegistry.make(configuration("burp_dast", location: server.baseURL, extra: ["page_size": "3"]),
                                                             transport: AsyncHTTPClientTransport.shared, policy: testPolicy(), sleeper: sleeper)
        let scans = try #require(routes.first { $0.body["variables.site_id"] == "81" }?.replies.first)
        server.prepend([.graphQL("/graphql/v1", operation: "LatestScan", variables: ["site_id": "81"],
                                 [.json(#"{"errors":[{"message":"Too many requests, rate limit exceeded"}]}"#, headers: [("Retry-After", "3")]), scans]),
                        .graphQL("/graphql/v1", operation: "LatestScan", variables: ["site_id": "82"], [.json(#"{"data":{"scans":[]}}"#)])])
        // When
        let findings = try await connector.findings(for: DiscoveredRecord(externalID: "81", name: "Payments portal"))
        let empty = await #expect(throws: ConnectorError.self) { try await connector.findings(for: DiscoveredRecord(externalID: "82", name: "x")) }
        // Then
        #expect(findings.count == 4)
        #expect(await client.retries == 1 && sleeper.recorded.contains(3))
        #expect(empty?.code == .nothingToImport)
    }
}
