import Foundation

/// An ``AccessTokenSource`` over an OAuth 2 token endpoint (spec §0.3): exchanges the grant for a
/// bearer token, keeps it in memory until 60 s before `expires_in` runs out, and exchanges again
/// when asked to refresh (after a 401 from the API). The token endpoint's own 400/401
/// (`invalid_grant`, `invalid_client`) is `invalid_secret`; 5xx and 429 are retried like any call.
public actor OAuthTokenProvider: AccessTokenSource {
    /// How long before its expiry a cached token is no longer used.
    public static let expiryMargin: TimeInterval = 60

    private let grant: OAuthGrant
    private let client: ConnectorClient
    private let now: @Sendable () -> Date
    private var cached: (token: String, expires: Date)?
    /// How many token exchanges were made (tests check the caching).
    public private(set) var exchanges = 0

    /// - Parameters:
    ///   - tokenURL: the full token endpoint URL.
    ///   - now: the clock (tests move it).
    public init(tokenURL: String, grant: OAuthGrant, transport: any HTTPTransport, policy: RetryPolicy = RetryPolicy(),
                sleeper: any Sleeper = TaskSleeper(), userAgent: String = "Bulwark connector",
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.grant = grant
        self.now = now
        client = ConnectorClient(
            baseURL: ConnectorConfiguration.normalise(tokenURL), transport: transport, authHeaders: [],
            extraHeaders: [HTTPHeader("User-Agent", userAgent), HTTPHeader("Accept", "application/json")],
            requestsPerSecond: 0, policy: policy, sleeper: sleeper)
    }

    public func authorization(refresh: Bool) async throws(ConnectorError) -> [HTTPHeader] {
        if refresh { cached = nil }
        if let cached, now() < cached.expires.addingTimeInterval(-Self.expiryMargin) {
            return [HTTPHeader("Authorization", "Bearer \(cached.token)")]
        }
        let token = try await exchange()
        return [HTTPHeader("Authorization", "Bearer \(token)")]
    }

    struct TokenResponse: Decodable {
        var accessToken: String
        var expiresIn: Double?
        enum CodingKeys: String, CodingKey { case accessToken = "access_token", expiresIn = "expires_in" }
    }

    private func exchange() async throws(ConnectorError) -> String {
        let call = "POST token endpoint"
        let form = grant.formFields.map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&")
        exchanges += 1
        let response: HTTPResponse
        do {
            response = try await client.post("", body: Array(form.utf8), contentType: "application/x-www-form-urlencoded", call: call)
        } catch {
            throw masked(error)
        }
        let decoded = try ConnectorClient.decode(TokenResponse.self, response.body, call: call)
        guard !decoded.accessToken.isEmpty else {
            throw ConnectorError(.invalidSecret, call: call, "the token endpoint answered an empty access token")
        }
        // Without `expires_in` the token is used for a minute past the margin, then exchanged again.
        let lifetime = decoded.expiresIn ?? 2 * Self.expiryMargin
        cached = (decoded.accessToken, now().addingTimeInterval(lifetime))
        return decoded.accessToken
    }

    /// A token endpoint's 400/401 means the credentials are wrong; the secret never appears in a message.
    private func masked(_ error: ConnectorError) -> ConnectorError {
        var result = error
        if error.status == 400 || error.status == 401 {
            result.code = .invalidSecret
            result.message = "the token endpoint rejected the credentials" + error.message.drop { $0 != ":" }
        }
        let secret = grant.secret
        if !secret.isEmpty { result.message = result.message.replacingOccurrences(of: secret, with: "***") }
        return result
    }

    static let formSafe = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// `application/x-www-form-urlencoded` value encoding (everything but unreserved characters escaped).
    static func formEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: formSafe) ?? text
    }
}
