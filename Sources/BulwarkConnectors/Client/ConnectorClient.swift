import Foundation

/// The one HTTP client every connector uses (spec §0.3, §12): builds URLs under the configured
/// location, adds authentication, applies the tool's rate limit, retries 429 and 5xx with backoff
/// and `Retry-After`, and turns every failure into a ``ConnectorError`` naming the call.
public actor ConnectorClient {
    public let baseURL: String
    private let transport: any HTTPTransport
    private var authHeaders: [HTTPHeader]
    private var fallbackAuthHeaders: [HTTPHeader]?
    private let extraHeaders: [HTTPHeader]
    private let policy: RetryPolicy
    private let limiter: RateLimiter
    let sleeper: any Sleeper
    private let forbiddenHint: String
    /// Supplies short-lived tokens instead of ``authHeaders`` (OAuth tools).
    private let tokenSource: (any AccessTokenSource)?
    private let adapter: (any RequestAdapter)?
    private var random = SystemRandomNumberGenerator()
    /// How many requests were sent again after a 429, 5xx or broken connection.
    public private(set) var retries = 0
    /// How many requests were sent, retries included.
    public private(set) var requestsSent = 0

    /// - Parameters:
    ///   - baseURL: the normalised location (no trailing `/`).
    ///   - authHeaders: headers carrying the secret.
    ///   - fallbackAuthHeaders: tried once after a 401 (SonarQube's Basic auth for older servers).
    ///   - forbiddenHint: the permission the tool documents, appended to 403 messages.
    ///   - tokenSource: when set, its headers replace `authHeaders`; after a 401 it is asked once for a fresh token.
    public init(
        baseURL: String, transport: any HTTPTransport, authHeaders: [HTTPHeader], fallbackAuthHeaders: [HTTPHeader]? = nil,
        extraHeaders: [HTTPHeader] = [], requestsPerSecond: Double, policy: RetryPolicy = RetryPolicy(),
        sleeper: any Sleeper = TaskSleeper(), forbiddenHint: String = "", tokenSource: (any AccessTokenSource)? = nil,
        adapter: (any RequestAdapter)? = nil
    ) {
        self.baseURL = baseURL
        self.transport = transport
        self.authHeaders = authHeaders
        self.fallbackAuthHeaders = fallbackAuthHeaders
        self.extraHeaders = extraHeaders
        self.policy = policy
        self.limiter = RateLimiter(perSecond: requestsPerSecond, sleeper: sleeper)
        self.sleeper = sleeper
        self.forbiddenHint = forbiddenHint
        self.tokenSource = tokenSource
        self.adapter = adapter
    }

    /// GETs `path` (relative to the base URL, may carry its own query) and returns a 2xx response.
    public func get(_ path: String, query: [(String, String)] = [], call: String? = nil) async throws(ConnectorError) -> HTTPResponse {
        let url = Self.url(baseURL, path, query)
        let name = call ?? "GET \(path.split(separator: "?").first.map(String.init) ?? path)"
        return try await send(HTTPRequest(method: "GET", url: url), call: name)
    }

    /// GETs and decodes a JSON body; a body of another shape is a ``ConnectorError/Code/parse`` naming the call.
    public func getJSON<T: Decodable & Sendable>(_ type: T.Type, _ path: String, query: [(String, String)] = [], call: String? = nil) async throws(ConnectorError) -> T {
        let name = call ?? "GET \(path.split(separator: "?").first.map(String.init) ?? path)"
        let response = try await get(path, query: query, call: name)
        return try Self.decode(type, response.body, call: name)
    }

    /// Decodes JSON, mapping failures to a parse error that names the call and the failing key.
    public static func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8], call: String) throws(ConnectorError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch let DecodingError.keyNotFound(key, context) {
            throw ConnectorError(.parse, call: call, "unexpected response shape: missing \(Self.path(context.codingPath + [key]))")
        } catch let DecodingError.typeMismatch(_, context) {
            throw ConnectorError(.parse, call: call, "unexpected response shape at \(Self.path(context.codingPath))")
        } catch let DecodingError.valueNotFound(_, context) {
            throw ConnectorError(.parse, call: call, "unexpected null at \(Self.path(context.codingPath))")
        } catch {
            throw ConnectorError(.parse, call: call, "the response is not valid JSON")
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    /// Sends `base` (its own headers kept after the client's) with retries; `timeout` overrides the policy's request timeout.
    /// `effectiveStatus` may read a 2xx body as another status (a GraphQL rate-limit error is a 429); `nil` keeps the HTTP status.
    func send(_ base: HTTPRequest, call: String, timeout: Duration? = nil, effectiveStatus: (@Sendable (HTTPResponse) -> Int?)? = nil)
        async throws(ConnectorError) -> HTTPResponse {
        var attempt = 0
        var triedFallback = false
        var refreshedToken = false, refreshNow = false
        while true {
            attempt += 1
            var request = base
            let auth = try await tokenSource?.authorization(refresh: refreshNow) ?? authHeaders
            refreshNow = false
            request.headers = extraHeaders + auth + base.headers
            adapter?.prepare(&request)
            await limiter.acquire()
            requestsSent += 1
            let response: HTTPResponse
            do {
                response = try await transport.send(request, timeout: timeout ?? policy.requestTimeout)
            } catch {
                switch error {
                case .connectionFailed(let detail), .tls(let detail):
                    throw ConnectorError(.unreachable, call: call, "cannot reach \(Self.host(of: baseURL)): \(Self.short(detail))")
                case .bodyTooLarge:
                    throw ConnectorError(.error, call: call, "the response body is too large")
                case .timeout, .connectionReset:
                    guard attempt < policy.maxAttemptsServerError else {
                        let what = error == .timeout ? "no response within the timeout" : "the connection was reset"
                        throw ConnectorError(.unreachable, call: call, "\(what) after \(attempt) attempts")
                    }
                    retries += 1
                    await sleeper.sleep(seconds: policy.backoff(afterAttempt: attempt, random: Double.random(in: 0..<1, using: &random)))
                    continue
                }
            }
            if !(200..<300).contains(response.status), let failure = adapter?.failure(for: response, call: call) { throw failure }
            switch effectiveStatus?(response) ?? response.status {
            case 200..<300:
                return response
            case 401:
                if tokenSource != nil, !refreshedToken {
                    refreshedToken = true
                    refreshNow = true
                    attempt -= 1
                    continue
                }
                if let fallback = fallbackAuthHeaders, !triedFallback {
                    triedFallback = true
                    let primary = authHeaders
                    authHeaders = fallback
                    fallbackAuthHeaders = primary
                    attempt -= 1
                    continue
                }
                throw ConnectorError(.invalidSecret, call: call, "the tool rejected the secret" + Self.toolMessage(response), status: 401)
            case 403:
                let hint = forbiddenHint.isEmpty ? "" : " (needs \(forbiddenHint))"
                throw ConnectorError(.forbidden, call: call, "permission denied\(hint)" + Self.toolMessage(response), status: 403)
            case 404:
                throw ConnectorError(.notFound, call: call, "not found", status: 404)
            case 429:
                guard attempt < policy.maxAttemptsRateLimited else {
                    throw ConnectorError(.rateLimited, call: call, "still rate limited after \(attempt) attempts", status: 429)
                }
                retries += 1
                let wait = policy.retryAfter(response.header("Retry-After"), now: Date())
                    ?? policy.backoff(afterAttempt: attempt, random: Double.random(in: 0..<1, using: &random))
                await sleeper.sleep(seconds: wait)
            case 500..<600:
                guard attempt < policy.maxAttemptsServerError else {
                    throw ConnectorError(.serverError, call: call, "server error after \(attempt) attempts", status: response.status)
                }
                retries += 1
                let wait = policy.retryAfter(response.header("Retry-After"), now: Date())
                    ?? policy.backoff(afterAttempt: attempt, random: Double.random(in: 0..<1, using: &random))
                await sleeper.sleep(seconds: wait)
            default:
                throw ConnectorError(.error, call: call, "unexpected answer" + Self.toolMessage(response), status: response.status)
            }
        }
    }

    /// A short, printable excerpt of the tool's error text (tools do not echo secrets; still bounded).
    static func toolMessage(_ response: HTTPResponse) -> String {
        guard !response.body.isEmpty else { return "" }
        let text = String(decoding: response.body.prefix(300), as: UTF8.self)
            .filter { !$0.isNewline }
        return ": " + text
    }

    static func short(_ text: String) -> String { String(text.prefix(200)) }

    static func host(of url: String) -> String { URLComponents(string: url)?.host ?? url }

    /// `base + path`, then `query` appended (percent-encoded, order kept).
    public static func url(_ base: String, _ path: String, _ query: [(String, String)]) -> String {
        var url = base + (path.hasPrefix("/") || path.isEmpty ? path : "/" + path)
        guard !query.isEmpty else { return url }
        url += url.contains("?") ? "&" : "?"
        url += query.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
        return url
    }

    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    public static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
