import BulwarkConnectors
import BulwarkCore
import BulwarkTesting
import Foundation
import Testing

@Suite("Wiz connector", .enabled(if: ConnectorFixtures.available))
struct WizTests {
    static let payments = "8c1f3a52-7d4e-5b6a-9f0e-1a2b3c4d5e6f", retail = "4e5d6c7b-8a9f-5e0d-a1b2-c3d4e5f6a7b8"
    static let accessToken = "eyJraWQiOiJ3aXoiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJkZWZlY3Rkb2pvLWNvbm5lY3RvciJ9.c2lnbmF0dXJl"
    static let auth = ("Authorization", "Bearer \(accessToken)")
    static func extra(_ base: String) -> [String: String] { ["client_id": "wiz-client", "auth_url": base + "/oauth/token", "page_size": "2"] }

    @Test("2 projects; issues over 2 cursor pages and vulnerability findings with the README's counts; token and requests")
    func fixtures() async throws {
        // Given
        let routes = try #require(try ConnectorFixtures.wiz())
        // When
        let result = try await ToolRun.run("wiz", routes: routes, auth: Self.auth, path: "/graphql", extra: Self.extra)
        defer { Task { try? await result.server.shutdown() } }
        // Then
        #expect(result.records.map(\.name) == ["Payments Platform", "Retail Web"])
        #expect(result.counts[Self.payments] == FindingCounts(total: 4, critical: 1, high: 1, medium: 1, low: 1, active: 2, verified: 1,
                                                               falsePositive: 0, riskAccepted: 1, mitigated: 1))
        #expect(result.counts[Self.retail] == FindingCounts(total: 2, critical: 1, high: 1, medium: 0, low: 0, active: 1, verified: 0,
                                                             falsePositive: 0, riskAccepted: 0, mitigated: 1))
        let issues = result.findings[Self.payments] ?? []
        let resolved = try #require(issues.first { $0.isMitigated })
        #expect(resolved.uniqueIDFromTool == "issue:9f1c7a2e-0b3d-4e5f-a6b7-c8d9e0f1a203")
        #expect(resolved.mitigated == ToolTimestamp.instant("2026-11-05T11:11:11.000Z"))
        #expect(issues.contains { $0.title == "S3 Bucket should block public access" && $0.verified && $0.mitigation?.contains("Block Public Access") == true })
        let minimist = try #require(result.findings[Self.retail]?.first { $0.uniqueIDFromTool == "vuln:7b2d9e41-1a3c-4d5e-8f9a-0b1c2d3e4f51" })
        #expect(minimist.componentName == "minimist" && minimist.componentVersion == "1.2.5" && minimist.vulnerabilityIDs == ["CVE-2021-44906"])
        #expect(minimist.mitigation?.hasPrefix("Upgrade minimist to 1.2.6") == true)
        let requests = result.server.requests
        let token = try #require(requests.first)
        #expect(token.path == "/oauth/token" && token.bodyFields["grant_type"] == "client_credentials" && token.bodyFields["audience"] == "wiz-api")
        #expect(requests.filter { $0.path == "/oauth/token" }.count == 1, "the token is cached")
        let graph = requests.filter { $0.path == "/graphql" }
        #expect(graph.allSatisfy { $0.method == "POST" && $0.header("Authorization") == Self.auth.1 && $0.header("Content-Type") == "application/json" })
        #expect(graph.contains { $0.bodyFields["operationName"] == "IssuesTable" && $0.bodyFields["variables.after"] == "eyJpZCI6IjlmMWM3YTJlLTAyIn0=" })
        #expect(graph.contains { $0.bodyFields["variables.filterBy.projectId.0"] == Self.retail })
    }

    @Test("every §0.3 error row")
    func errorRows() async throws {
        let routes = try #require(try ConnectorFixtures.wiz())
        let page1 = try #require(routes.first { $0.body["operationName"] == "IssuesTable" && $0.body["variables.filterBy.project.0"] == Self.payments })
        try await ErrorRowScenario(
            tool: "wiz", routes: routes, auth: Self.auth, extra: ["client_id": "wiz-client", "page_size": "2"],
            hostExtra: { ["auth_url": $0 + "/oauth/token"] }, locationPath: "/graphql", recordID: Self.payments,
            findingsRoute: { .graphQL("/graphql", operation: "IssuesTable", variables: ["filterBy.project.0": Self.payments], $0) },
            findingsReply: try #require(page1.replies.first), findingsCall: "GraphQL IssuesTable", permissionWord: "read:issues"
        ).check()
    }

    @Test("a 200 with a GraphQL rate-limit error is retried as a 429; other GraphQL errors fail the record")
    func graphQLErrors() async throws {
        // Given
        let routes = try #require(try ConnectorFixtures.wiz())
        let server = try await MockToolServer.start(routes: routes, auth: Self.auth)
        defer { Task { try? await server.shutdown() } }
        let sleeper = RecordingSleeper()
        let (connector, client) = try ConnectorRegistry.make(configuration("wiz", location: server.baseURL + "/graphql", extra: Self.extra(server.baseURL)),
                                                             transport: AsyncHTTPClientTransport.shared, policy: testPolicy(), sleeper: sleeper)
        let record = DiscoveredRecord(externalID: Self.retail, name: "Retail Web")
        let limited = MockToolServer.Reply.json(#"{"errors":[{"message":"Rate limit exceeded","extensions":{"code":"RATE_LIMIT_EXCEEDED"}}]}"#)
        let vulnerabilities = try #require(routes.first { $0.body["variables.filterBy.projectId.0"] == Self.retail }?.replies.first)
        server.prepend([.graphQL("/graphql", operation: "VulnerabilityFindings", variables: ["filterBy.projectId.0": Self.retail],
                                 [limited, vulnerabilities])])
        // When
        let findings = try await connector.findings(for: record)
        server.setRoutes(routes)
        server.prepend([.graphQL("/graphql", operation: "VulnerabilityFindings",
                                 [.json(#"{"data":null,"errors":[{"message":"Field 'CVSSSeverity' is not defined"}]}"#)])])
        let failure = await #expect(throws: ConnectorError.self) { try await connector.findings(for: record) }
        // Then
        #expect(findings.count == 2)
        #expect(await client.retries == 1)
        #expect(failure?.code == .error && failure?.call == "GraphQL VulnerabilityFindings")
        #expect(failure?.message.contains("CVSSSeverity") == true)
    }

    @Test("an API 401 refreshes the token once; legacy auth URLs use the beyond-api audience")
    func refreshAndAudience() async throws {
        // Given: the first GraphQL answer is a 401 (the token expired early)
        let routes = try #require(try ConnectorFixtures.wiz())
        let server = try await MockToolServer.start(routes: routes, auth: Self.auth)
        defer { Task { try? await server.shutdown() } }
        server.prepend([.graphQL("/graphql", operation: "Projects", [.json(#"{"error":"expired"}"#, status: 401), try #require(routes[1].replies.first)])])
        let connector = try ConnectorRegistry.make(configuration("wiz", location: server.baseURL + "/graphql", extra: Self.extra(server.baseURL)),
                                                   transport: AsyncHTTPClientTransport.shared, policy: testPolicy(), sleeper: RecordingSleeper()).connector
        // When
        let records = try await connector.discover()
        // Then
        #expect(records.count == 2)
        #expect(server.requests.filter { $0.path == "/oauth/token" }.count == 2)
        let legacy = ConnectorConfiguration(tool: "wiz", label: "x", location: "https://api.us1.app.wiz.io/graphql", secret: "s",
                                            extra: ["client_id": "c", "auth_url": "https://auth.wiz.io/oauth/token"])
        #expect(WizConnector.audience(legacy) == "beyond-api")
    }
}
