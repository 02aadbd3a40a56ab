import BulwarkConnectors
import Foundation
import Testing

@Suite("Shared connector client")
struct ConnectorClientTests {
    func makeClient(_ routes: [ReplayTransport.Route], sleeper: RecordingSleeper = RecordingSleeper(), hint: String = "") -> (ConnectorClient, ReplayTransport) {
        let transport = ReplayTransport(routes)
        let client = ConnectorClient(baseURL: "http://tool.test/base", transport: transport, authHeaders: [HTTPHeader("X-Api-Key", "s3cr3t-key")],
                                     requestsPerSecond: 0, policy: testPolicy(), sleeper: sleeper, forbiddenHint: hint)
        return (client, transport)
    }

    @Test("429 with Retry-After waits that long and retries once")
    func retryAfter() async throws {
        // Given
        let sleeper = RecordingSleeper()
        let (client, transport) = makeClient([ReplayTransport.Route(path: "/base/items", responses: [
            HTTPResponse(status: 429, headers: [HTTPHeader("Retry-After", "1")]), HTTPResponse(status: 200, body: Array("[]".utf8)),
        ])], sleeper: sleeper)
        // When
        let response = try await client.get("/items")
        // Then
        #expect(response.status == 200)
        #expect(await client.retries == 1)
        #expect(sleeper.recorded == [1])
        #expect(transport.requests.count == 2)
        #expect(transport.requests.first?.header("X-Api-Key") == "s3cr3t-key")
    }

    @Test("5xx is retried four times with growing backoff, then a server error naming the call")
    func serverErrors() async throws {
        // Given
        let sleeper = RecordingSleeper()
        let (client, transport) = makeClient([ReplayTransport.Route(path: "/base/items", responses: [HTTPResponse(status: 502)])], sleeper: sleeper)
        // When
        let error = await #expect(throws: ConnectorError.self) { try await client.get("/items", call: "GET /items") }
        // Then
        #expect(error?.code == .serverError)
        #expect(error?.call == "GET /items")
        #expect(transport.requests.count == 4)
        #expect(sleeper.recorded.count == 3)
        let waits = sleeper.recorded
        #expect(waits.indices.allSatisfy { waits[$0] >= 0.8 * pow(2, Double($0)) && waits[$0] <= 1.2 * pow(2, Double($0)) })
    }

    @Test("429 without Retry-After gives up after eight attempts")
    func rateLimitedGivesUp() async throws {
        let (client, transport) = makeClient([ReplayTransport.Route(path: "/base/items", responses: [HTTPResponse(status: 429)])])
        let error = await #expect(throws: ConnectorError.self) { try await client.get("/items") }
        #expect(error?.code == .rateLimited)
        #expect(transport.requests.count == 8)
    }

    @Test("401, 403 and 404 map to invalid_secret, forbidden (naming the permission) and not_found without retries")
    func statusCodes() async throws {
        for (status, code) in [(401, ConnectorError.Code.invalidSecret), (403, .forbidden), (404, .notFound)] {
            let (client, transport) = makeClient([ReplayTransport.Route(path: "/base/x", responses: [HTTPResponse(status: status)])], hint: "VIEW_PORTFOLIO")
            let error = await #expect(throws: ConnectorError.self) { try await client.get("/x") }
            #expect(error?.code == code)
            #expect(transport.requests.count == 1)
            if code == .forbidden { #expect(error?.message.contains("VIEW_PORTFOLIO") == true) }
            #expect(error?.description.contains("s3cr3t") == false)
        }
    }

    @Test("a body of the wrong shape is a parse error naming the call and the key")
    func parseError() async throws {
        struct Page: Decodable { var items: [String] }
        let (client, _) = makeClient([ReplayTransport.Route(path: "/base/p", responses: [HTTPResponse(status: 200, body: Array(#"{"things":1}"#.utf8))])])
        let error = await #expect(throws: ConnectorError.self) { try await client.getJSON(Page.self, "/p", call: "GET /p") }
        #expect(error?.code == .parse)
        #expect(error?.call == "GET /p")
        #expect(error?.message.contains("items") == true)
    }

    @Test("a refused connection is unreachable")
    func refused() async throws {
        // Given: a port nobody listens on
        let transport = AsyncHTTPClientTransport.shared
        let client = ConnectorClient(baseURL: "http://127.0.0.1:1", transport: transport, authHeaders: [], requestsPerSecond: 0,
                                     policy: testPolicy(), sleeper: RecordingSleeper())
        // When
        let error = await #expect(throws: ConnectorError.self) { try await client.get("/") }
        await transport.shutdown()
        // Then
        #expect(error?.code == .unreachable)
    }

    @Test("Retry-After as an HTTP date, backoff cap and jitter bounds")
    func retryAfterParsing() {
        let policy = RetryPolicy()
        let now = Date(timeIntervalSince1970: 784_111_767)  // Sun, 06 Nov 1994 08:49:27 GMT
        #expect(policy.retryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now: now) == 10)
        #expect(policy.retryAfter("3", now: now) == 3)
        #expect(policy.retryAfter("soon", now: now) == nil)
        #expect(policy.backoff(afterAttempt: 10, random: 0.5) == 60)
        #expect(policy.backoff(afterAttempt: 1, random: 0) == 0.8)
        #expect(policy.backoff(afterAttempt: 1, random: 1) == 1.2)
    }

    @Test("tool timestamps: offsets, fractions and Dependency-Track's format")
    func timestamps() {
        #expect(ToolTimestamp.instant("2026-09-14T10:02:11+0000") == ToolTimestamp.instant("2026-09-14T10:02:11Z"))
        #expect(ToolTimestamp.instant("2026-11-12T03:02:19.551Z")?.timeIntervalSince1970.truncatingRemainder(dividingBy: 1) ?? 0 > 0.5)
        #expect(ToolTimestamp.day("2026-11-10 09:12:33.101")?.description == "2026-11-10")
        #expect(ToolTimestamp.instant("2026-01-01T01:00:00+01:00") == ToolTimestamp.instant("2026-01-01T00:00:00Z"))
        #expect(ToolTimestamp.instant("yesterday") == nil)
    }
}
