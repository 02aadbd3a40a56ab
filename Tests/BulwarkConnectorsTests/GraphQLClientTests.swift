import BulwarkConnectors
import Foundation
import Testing

@Suite("GraphQL over the shared client")
struct GraphQLClientTests {
    struct Viewer: Decodable, Sendable { var viewer: Name }
    struct Name: Decodable, Sendable { var name: String }
    struct Variables: Encodable, Sendable { var id: String }

    func run(_ responses: [HTTPResponse], sleeper: RecordingSleeper = RecordingSleeper()) async -> (Result<Viewer, ConnectorError>, ReplayTransport) {
        let transport = ReplayTransport([ReplayTransport.Route(path: "/graphql", responses: responses)])
        let client = ConnectorClient(baseURL: "http://tool.test/graphql", transport: transport, authHeaders: [HTTPHeader("Authorization", "k")],
                                     requestsPerSecond: 0, policy: testPolicy(), sleeper: sleeper, forbiddenHint: "read:issues")
        let graphQL = GraphQLClient(client: client)
        do {
            return (.success(try await graphQL.query(Viewer.self, operation: "Me", query: "query Me($id: ID!) { viewer { name } }",
                                                     variables: Variables(id: "7"))), transport)
        } catch {
            return (.failure(error), transport)
        }
    }

    static func body(_ text: String) -> HTTPResponse { HTTPResponse(status: 200, body: Array(text.utf8)) }

    @Test("a named operation is POSTed as JSON with its variables")
    func request() async throws {
        let (result, transport) = await run([Self.body(#"{"data":{"viewer":{"name":"ada"}}}"#)])
        #expect(try result.get().viewer.name == "ada")
        let request = try #require(transport.requests.first)
        #expect(request.method == "POST" && request.header("Content-Type") == "application/json")
        let sent = try JSONSerialization.jsonObject(with: Data(request.body ?? [])) as? [String: Any]
        #expect(sent?["operationName"] as? String == "Me")
        #expect((sent?["variables"] as? [String: Any])?["id"] as? String == "7")
    }

    @Test("a 200 with a rate-limit error is retried like a 429 (Retry-After honoured)")
    func rateLimitError() async throws {
        let sleeper = RecordingSleeper()
        let limited = HTTPResponse(status: 200, headers: [HTTPHeader("Retry-After", "2")],
                                   body: Array(#"{"errors":[{"message":"Rate limit exceeded","extensions":{"code":"RATE_LIMIT_EXCEEDED"}}]}"#.utf8))
        let (result, transport) = await run([limited, Self.body(#"{"data":{"viewer":{"name":"ada"}}}"#)], sleeper: sleeper)
        #expect(try result.get().viewer.name == "ada")
        #expect(transport.requests.count == 2)
        #expect(sleeper.recorded == [2])
    }

    @Test("a rate-limit error that persists ends as rate_limited after eight attempts")
    func rateLimitGivesUp() async throws {
        let (result, transport) = await run([Self.body(#"{"errors":[{"message":"too many requests"}]}"#)])
        #expect(throws: ConnectorError.self) { try result.get() }
        if case .failure(let error) = result { #expect(error.code == .rateLimited) }
        #expect(transport.requests.count == 8)
    }

    @Test("a 200 with any other error is a failure naming the operation and the tool's message; permission errors are forbidden")
    func otherErrors() async throws {
        let (failed, _) = await run([Self.body(#"{"data":null,"errors":[{"message":"Cannot query field \"x\""}]}"#)])
        guard case .failure(let error) = failed else { Issue.record("expected a failure"); return }
        #expect(error.code == .error && error.call == "GraphQL Me" && error.message.contains("Cannot query field"))
        let (denied, _) = await run([Self.body(#"{"errors":[{"message":"no","extensions":{"code":"FORBIDDEN"}}]}"#)])
        guard case .failure(let forbidden) = denied else { Issue.record("expected a failure"); return }
        #expect(forbidden.code == .forbidden && forbidden.message.contains("read:issues"))
        let (unauthenticated, _) = await run([Self.body(#"{"errors":[{"message":"bad token","extensions":{"code":"UNAUTHENTICATED"}}]}"#)])
        guard case .failure(let invalid) = unauthenticated else { Issue.record("expected a failure"); return }
        #expect(invalid.code == .invalidSecret)
    }

    @Test("a body without data is a parse error naming the operation")
    func missingData() async throws {
        let (result, _) = await run([Self.body(#"{"something":"else"}"#)])
        guard case .failure(let error) = result else { Issue.record("expected a failure"); return }
        #expect(error.code == .parse && error.call == "GraphQL Me")
    }
}
