import BulwarkConnectors
import BulwarkCore
import BulwarkTesting
import Foundation
import Testing

/// Checkmarx ONE, Wiz, Burp Suite DAST and Probely on Bulwark's own small fixtures, so the flows
/// run without the shared folder.
@Suite("Token and GraphQL connectors on stand-in fixtures")
struct StandInTokenAndGraphQLTests {
    func run(_ tool: String, _ routes: [MockToolServer.Route], auth: (String, String), path: String = "",
             extra: @escaping (String) -> [String: String] = { _ in [:] }) async throws -> (records: [DiscoveredRecord], findings: [Finding]) {
        let result = try await ToolRun.run(tool, routes: routes, auth: auth, secret: "k3y", path: path, extra: extra)
        try await result.server.shutdown()
        return (result.records, result.records.flatMap { result.findings[$0.externalID] ?? [] })
    }

    @Test("Checkmarx ONE: refresh-token exchange, one project, a SAST result and a false-positive SCA result")
    func checkmarxOne() async throws {
        let (records, findings) = try await run("checkmarx_one", ConnectorStandIns.checkmarxOne(), auth: ("Authorization", "Bearer stand-in-access-token")) {
            ["tenant": "shop", "iam_url": $0]
        }
        #expect(records.map(\.name) == ["shop/web"])
        #expect(FindingCounts(findings) == FindingCounts(total: 2, critical: 0, high: 1, medium: 0, low: 1, active: 1, verified: 0,
                                                         falsePositive: 1, riskAccepted: 0, mitigated: 0))
        #expect(findings.first?.vulnIDFromTool == "18446744073709551615" && findings.first?.cwe == 79 && findings.last?.cwe == 400)
        #expect(findings.last?.componentName == "left-pad" && findings.last?.componentVersion == "1.0.0")
    }

    @Test("Wiz: client-credentials exchange, one project, an open issue and a resolved vulnerability")
    func wiz() async throws {
        let (records, findings) = try await run("wiz", ConnectorStandIns.wiz(), auth: ("Authorization", "Bearer stand-in-access-token"), path: "/graphql") {
            ["client_id": "c-1", "auth_url": $0 + "/oauth/token"]
        }
        #expect(records.map(\.name) == ["Shop"])
        #expect(FindingCounts(findings) == FindingCounts(total: 2, critical: 0, high: 1, medium: 1, low: 0, active: 1, verified: 0,
                                                         falsePositive: 0, riskAccepted: 0, mitigated: 1))
        #expect(findings.map(\.uniqueIDFromTool) == ["issue:i-1", "vuln:v-1"])
        #expect(findings.first?.endpoints.first?.host == "shop-bucket")
    }

    @Test("Burp Suite DAST: one site, two issues with endpoints; only the certain one verified; tentative as Info on request")
    func burpDAST() async throws {
        let (records, findings) = try await run("burp_dast", ConnectorStandIns.burpDAST(), auth: ("Authorization", "k3y"))
        #expect(records.map(\.name) == ["Shop"])
        #expect(FindingCounts(findings) == FindingCounts(total: 2, critical: 0, high: 1, medium: 0, low: 1, active: 2, verified: 1,
                                                         falsePositive: 0, riskAccepted: 0, mitigated: 0))
        #expect(findings.map(\.uniqueIDFromTool) == ["5:https://shop.example/search", "6:https://shop.example/"])
        #expect(findings.first?.endpoints.first?.path == "search" && findings.first?.cwe == 79)
        let (_, downgraded) = try await run("burp_dast", ConnectorStandIns.burpDAST(), auth: ("Authorization", "k3y")) { _ in ["tentative_as_info": "true"] }
        #expect(downgraded.map(\.severity) == [.high, .info])
    }

    @Test("Wiz: a tenant without projects is one \"All resources\" record queried without a project filter; project_ids narrows discover")
    func wizWithoutProjects() async throws {
        // Given
        let empty = MockToolServer.Route.graphQL("/graphql", operation: "Projects", [.json(
            #"{"data":{"projects":{"nodes":[],"pageInfo":{"hasNextPage":false,"endCursor":null}}}}"#)])
        let server = try await MockToolServer.start(routes: [empty] + ConnectorStandIns.wiz().filter { $0.body["operationName"] != "Projects" },
                                                    auth: ("Authorization", "Bearer stand-in-access-token"))
        defer { Task { try? await server.shutdown() } }
        func connector(_ extra: [String: String]) throws -> any Connector {
            try ConnectorRegistry.make(configuration("wiz", location: server.baseURL + "/graphql", secret: "k3y",
                                                     extra: ["client_id": "c-1", "auth_url": server.baseURL + "/oauth/token"].merging(extra) { $1 }),
                                       transport: AsyncHTTPClientTransport.shared, policy: testPolicy(), sleeper: RecordingSleeper()).connector
        }
        // When
        let all = try connector([:])
        let records = try await all.discover()
        let findings = try await all.findings(for: try #require(records.first))
        server.setRoutes(ConnectorStandIns.wiz())
        let narrowed = try await connector(["project_ids": "w-2, w-3"]).discover()
        // Then
        #expect(records.map(\.name) == ["All resources"])
        #expect(findings.count == 2)
        let issuesRequest = try #require(server.requests.first { $0.bodyFields["operationName"] == "IssuesTable" })
        #expect(issuesRequest.bodyFields["variables.filterBy.project.0"] == nil && issuesRequest.bodyFields["variables.filterBy.status.0"] == "OPEN")
        #expect(narrowed.isEmpty)
    }

    @Test("Probely: one target, a not-fixed and a fixed finding")
    func probely() async throws {
        let (records, findings) = try await run("probely", ConnectorStandIns.probely(), auth: ("Authorization", "JWT k3y"))
        #expect(records.map(\.name) == ["Shop"])
        #expect(FindingCounts(findings) == FindingCounts(total: 2, critical: 0, high: 1, medium: 0, low: 1, active: 1, verified: 1,
                                                         falsePositive: 0, riskAccepted: 0, mitigated: 1))
        #expect(findings.first?.endpoints.first?.query == "id=1" && findings.map(\.uniqueIDFromTool) == ["t-1:1", "t-1:2"])
    }
}
