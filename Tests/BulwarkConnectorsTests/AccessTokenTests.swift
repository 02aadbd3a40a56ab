import BulwarkConnectors
import Foundation
import Testing

/// A clock tests move by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_800_000_000)
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}

@Suite("OAuth access tokens")
struct AccessTokenTests {
    static func token(_ value: String, expiresIn: Int) -> HTTPResponse {
        HTTPResponse(status: 200, body: Array(#"{"access_token":"\#(value)","expires_in":\#(expiresIn),"token_type":"Bearer"}"#.utf8))
    }

    func setUp(_ routes: [ReplayTransport.Route], clock: TestClock = TestClock())
        -> (client: ConnectorClient, provider: OAuthTokenProvider, transport: ReplayTransport) {
        let transport = ReplayTransport(routes)
        let provider = OAuthTokenProvider(tokenURL: "http://iam.test/realms/acme/token",
                                          grant: .refreshToken(clientID: "ast-app", refreshToken: "offline-secret"),
                                          transport: transport, policy: testPolicy(), sleeper: RecordingSleeper(), now: { clock.now })
        let client = ConnectorClient(baseURL: "http://api.test", transport: transport, authHeaders: [], requestsPerSecond: 0,
                                     policy: testPolicy(), sleeper: RecordingSleeper(), tokenSource: provider)
        return (client, provider, transport)
    }

    @Test("the token is exchanged once, sent as a bearer, and reused until 60 s before it expires")
    func cachesUntilMargin() async throws {
        // Given
        let clock = TestClock()
        let (client, provider, transport) = setUp([
            ReplayTransport.Route(path: "/realms/acme/token", responses: [Self.token("first", expiresIn: 300), Self.token("second", expiresIn: 300)]),
            ReplayTransport.Route(path: "/items", responses: [HTTPResponse(status: 200, body: Array("[]".utf8))]),
        ], clock: clock)
        // When
        _ = try await client.get("/items")
        clock.advance(239)
        _ = try await client.get("/items")
        let exchangesBeforeMargin = await provider.exchanges
        clock.advance(2)  // 241 s: inside the last 60 s
        _ = try await client.get("/items")
        // Then
        #expect(exchangesBeforeMargin == 1)
        #expect(await provider.exchanges == 2)
        let api = transport.requests.filter { $0.url.hasPrefix("http://api.test") }
        #expect(api.map { $0.header("Authorization") } == ["Bearer first", "Bearer first", "Bearer second"])
        let exchange = try #require(transport.requests.first)
        #expect(exchange.method == "POST")
        #expect(exchange.header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(String(decoding: exchange.body ?? [], as: UTF8.self) == "grant_type=refresh_token&client_id=ast-app&refresh_token=offline-secret")
    }

    @Test("a 401 from the API refreshes the token once and retries once; a second 401 is invalid_secret")
    func refreshOnce() async throws {
        // Given: the API rejects the first token, accepts the second; another path rejects every token
        let (client, provider, transport) = setUp([
            ReplayTransport.Route(path: "/realms/acme/token", responses: [Self.token("stale", expiresIn: 3600), Self.token("fresh", expiresIn: 3600),
                                                                          Self.token("again", expiresIn: 3600)]),
            ReplayTransport.Route(path: "/items", responses: [HTTPResponse(status: 401), HTTPResponse(status: 200, body: Array("[]".utf8))]),
            ReplayTransport.Route(path: "/locked", responses: [HTTPResponse(status: 401)]),
        ])
        // When
        let response = try await client.get("/items")
        let locked = await #expect(throws: ConnectorError.self) { try await client.get("/locked") }
        // Then
        #expect(response.status == 200)
        #expect(transport.requests.filter { $0.url.hasSuffix("/items") }.map { $0.header("Authorization") } == ["Bearer stale", "Bearer fresh"])
        #expect(locked?.code == .invalidSecret)
        #expect(transport.requests.filter { $0.url.hasSuffix("/locked") }.count == 2)
        #expect(await provider.exchanges == 3)
    }

    @Test("the token endpoint's 400 invalid_grant is invalid_secret without echoing the secret; no API call is made")
    func tokenEndpointRefusal() async throws {
        // Given
        let (client, _, transport) = setUp([
            ReplayTransport.Route(path: "/realms/acme/token", responses: [HTTPResponse(status: 400, body: Array(
                #"{"error":"invalid_grant","error_description":"Invalid refresh token offline-secret"}"#.utf8))]),
        ])
        // When
        let error = await #expect(throws: ConnectorError.self) { try await client.get("/items") }
        // Then
        #expect(error?.code == .invalidSecret)
        #expect(error?.message.contains("invalid_grant") == true)
        #expect(error?.description.contains("offline-secret") == false)
        #expect(transport.requests.count == 1)
    }

    @Test("client credentials carry the audience; a token endpoint 5xx is retried")
    func clientCredentials() async throws {
        // Given
        let transport = ReplayTransport([
            ReplayTransport.Route(path: "/oauth/token", responses: [HTTPResponse(status: 503), Self.token("t", expiresIn: 100)]),
        ])
        let provider = OAuthTokenProvider(tokenURL: "http://auth.test/oauth/token",
                                          grant: .clientCredentials(clientID: "id 1", clientSecret: "s&cret", audience: "wiz-api"),
                                          transport: transport, policy: testPolicy(), sleeper: RecordingSleeper())
        // When
        let headers = try await provider.authorization(refresh: false)
        // Then
        #expect(headers == [HTTPHeader("Authorization", "Bearer t")])
        #expect(transport.requests.count == 2)
        #expect(String(decoding: transport.requests.last?.body ?? [], as: UTF8.self)
            == "grant_type=client_credentials&client_id=id%201&client_secret=s%26cret&audience=wiz-api")
    }
}
