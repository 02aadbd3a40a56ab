import BulwarkConnectors
import BulwarkCore
import BulwarkTesting
import Foundation
import Testing

/// The §0.3 error rows for one tool against its fixture mock: a wrong secret, 403, 404, 429 with
/// `Retry-After`, 5xx, a malformed body and a refused connection, each injected on the first
/// findings request of one record.
struct ErrorRowScenario {
    var tool: String
    var routes: [MockToolServer.Route]
    var auth: (String, String)
    var extra: [String: String] = [:]
    /// `extra` pointing every host at `base` (token endpoints live on the mock too).
    var hostExtra: (String) -> [String: String] = { _ in [:] }
    /// Appended to the mock's URL to make the location (a GraphQL endpoint path).
    var locationPath = ""
    /// The record whose findings are fetched.
    var recordID: String
    /// Its first findings request, answering `replies`.
    var findingsRoute: ([MockToolServer.Reply]) -> MockToolServer.Route
    /// The fixture reply of that request (served after a 429).
    var findingsReply: MockToolServer.Reply
    /// The call name a parse error must carry.
    var findingsCall: String
    /// A word of the permission a 403 must name.
    var permissionWord: String

    func connector(_ location: String, secret: String = "s3cr3t-token", sleeper: RecordingSleeper = RecordingSleeper()) throws -> any Connector {
        try ConnectorRegistry.make(configuration(tool, location: location + locationPath, secret: secret, extra: extra.merging(hostExtra(location)) { $1 }),
                                   transport: AsyncHTTPClientTransport.shared, policy: testPolicy(), sleeper: sleeper).connector
    }

    /// Runs every row; each `#expect` names the row in its comment.
    func check() async throws {
        let server = try await MockToolServer.start(routes: routes, auth: auth)
        defer { Task { try? await server.shutdown() } }
        let good = try connector(server.baseURL)
        let record = try #require(try await good.discover().first { $0.externalID == recordID })

        // 401 (or the token endpoint's refusal): invalid_secret, never echoing the secret.
        let wrong = try connector(server.baseURL, secret: "wrong-secret-value")
        let invalid = await #expect(throws: ConnectorError.self) { try await wrong.validate() }
        #expect(invalid?.code == .invalidSecret, "401 → invalid_secret")
        #expect(invalid?.description.contains("wrong-secret-value") == false)

        func inject(_ replies: [MockToolServer.Reply]) {
            server.setRoutes(routes)
            server.prepend([findingsRoute(replies)])
        }

        // 403: forbidden naming the permission.
        inject([.json(#"{"message":"forbidden"}"#, status: 403)])
        let forbidden = await #expect(throws: ConnectorError.self) { try await good.findings(for: record) }
        #expect(forbidden?.code == .forbidden, "403 → forbidden")
        #expect(forbidden?.message.contains(permissionWord) == true, "403 names the permission")

        // 404 on the record: that record fails as not found.
        inject([.json(#"{"message":"not found"}"#, status: 404)])
        let missing = await #expect(throws: ConnectorError.self) { try await good.findings(for: record) }
        #expect(missing?.code == .notFound, "404 → not_found")

        // 429 with Retry-After: waited, retried, then the findings.
        let sleeper = RecordingSleeper()
        let patient = try connector(server.baseURL, sleeper: sleeper)
        inject([MockToolServer.Reply(status: 429, headers: [("Retry-After", "1")]), findingsReply])
        let afterWait = try await patient.findings(for: record)
        #expect(!afterWait.isEmpty, "429 then the findings")
        #expect(sleeper.recorded.contains(1), "Retry-After honoured")

        // 5xx: retried up to 4 attempts, then a server error.
        inject([.json("{}", status: 503)])
        let before = server.requests.count
        let failing = await #expect(throws: ConnectorError.self) { try await good.findings(for: record) }
        #expect(failing?.code == .serverError, "5xx → server_error")
        #expect(server.requests.count - before >= 4, "5xx retried")

        // A malformed body: a parse error naming the call.
        inject([.json("<html>maintenance</html>")])
        let parse = await #expect(throws: ConnectorError.self) { try await good.findings(for: record) }
        #expect(parse?.code == .parse, "malformed body → parse")
        #expect(parse?.call == findingsCall, "the parse error names the call")

        // A wrongly shaped body: a parse error too.
        inject([.json("[1,2,3]")])
        let shape = await #expect(throws: ConnectorError.self) { try await good.findings(for: record) }
        #expect(shape?.code == .parse, "wrong shape → parse")

        // Connection refused: unreachable.
        let nowhere = try connector("http://127.0.0.1:1")
        let unreachable = await #expect(throws: ConnectorError.self) { try await nowhere.validate() }
        #expect(unreachable?.code == .unreachable, "refused → unreachable")
    }
}
