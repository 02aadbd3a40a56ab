import BulwarkConnectors
import BulwarkTesting
import Foundation
import Testing

/// The same flow on Bulwark's own small fixtures, so it runs without the shared folder.
@Suite("Dependency-Track connector on stand-in fixtures")
struct StandInTests {
    @Test("one project with three findings: active, verified, suppressed false positive")
    func dependencyTrack() async throws {
        // Given
        let server = try await MockToolServer.start(routes: ConnectorStandIns.dependencyTrack(), auth: ("X-Api-Key", "k3y"))
        let transport = AsyncHTTPClientTransport.shared
        let (connector, _) = try ConnectorRegistry.make(configuration("dependency_track", location: server.baseURL + "/", secret: "k3y"),
                                                        transport: transport, policy: testPolicy(), sleeper: RecordingSleeper())
        // When
        try await connector.validate()
        let records = try await connector.discover()
        let findings = try await connector.findings(for: try #require(records.first))
        await transport.shutdown()
        try await server.shutdown()
        // Then
        #expect(records.map(\.name) == ["shop 1.0"])
        #expect(FindingCounts(findings) == FindingCounts(total: 3, critical: 0, high: 1, medium: 1, low: 1, active: 2, verified: 1,
                                                         falsePositive: 1, riskAccepted: 0, mitigated: 0))
        #expect(findings.first?.title == "CVE-2026-0001: left-pad:1.0.0")
        #expect(server.requests.first?.path == "/api/v1/project")
    }

    @Test("a wrong key is invalid_secret; a wrongly shaped body is a parse error naming the call")
    func failures() async throws {
        // Given
        let server = try await MockToolServer.start(routes: [
            MockToolServer.Route("/api/v1/project", [.json(#"{"not":"a list"}"#)]),
        ], auth: ("X-Api-Key", "right"))
        let transport = AsyncHTTPClientTransport.shared
        defer { Task { await transport.shutdown(); try? await server.shutdown() } }
        let wrong = try ConnectorRegistry.make(configuration("dependency_track", location: server.baseURL, secret: "wrong"), transport: transport,
                                               policy: testPolicy(), sleeper: RecordingSleeper()).connector
        let right = try ConnectorRegistry.make(configuration("dependency_track", location: server.baseURL, secret: "right"), transport: transport,
                                               policy: testPolicy(), sleeper: RecordingSleeper()).connector
        // When
        let invalid = await #expect(throws: ConnectorError.self) { try await wrong.validate() }
        let parse = await #expect(throws: ConnectorError.self) { try await right.discover() }
        // Then
        #expect(invalid?.code == .invalidSecret)
        #expect(invalid?.description.contains("wrong") == false)
        #expect(parse?.code == .parse)
        #expect(parse?.call == "GET /api/v1/project")
    }
}
