import BulwarkConnectors
import BulwarkCore
import BulwarkTesting
import Foundation

/// Validate, discover and a findings fetch per record against a fixture mock, for tools whose
/// `extra` names hosts on the mock (token endpoints).
enum ToolRun {
    struct Outcome {
        var records: [DiscoveredRecord]
        var counts: [String: FindingCounts]
        var findings: [String: [Finding]]
        var server: MockToolServer
        var connector: any Connector
        var client: ConnectorClient
    }

    /// `extra` gets the mock's base URL; `location` defaults to it, `path` is appended.
    static func run(_ tool: String, routes: [MockToolServer.Route], auth: (String, String), secret: String = "s3cr3t-token", path: String = "",
                    extra: (String) -> [String: String] = { _ in [:] }) async throws -> Outcome {
        let server = try await MockToolServer.start(routes: routes, auth: auth)
        let (connector, client) = try ConnectorRegistry.make(
            configuration(tool, location: server.baseURL + path, secret: secret, extra: extra(server.baseURL)),
            transport: AsyncHTTPClientTransport.shared, policy: testPolicy(), sleeper: RecordingSleeper())
        try await connector.validate()
        let records = try await connector.discover()
        var counts: [String: FindingCounts] = [:], findings: [String: [Finding]] = [:]
        for record in records {
            let list = try await connector.findings(for: record)
            findings[record.externalID] = list
            counts[record.externalID] = FindingCounts(list)
        }
        return Outcome(records: records, counts: counts, findings: findings, server: server, connector: connector, client: client)
    }
}
