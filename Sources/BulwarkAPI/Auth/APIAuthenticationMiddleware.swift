import BulwarkHTTP
import BulwarkServices
import Foundation
import Vapor

/// Authenticates every API request the way DefectDojo's DRF settings do: session cookie
/// (with CSRF on unsafe methods), then HTTP Basic, then `Authorization: Token <key>`.
///
/// It sits in front of every `/api/v2/` route except `api-token-auth/`, for every method, so
/// no verb (HEAD, OPTIONS) and no path spelling (trailing slash or not) skips it.
/// Failures are 403 with DefectDojo's `detail` messages, never 401.
public struct APIAuthenticationMiddleware: AsyncMiddleware {
    public init() {}

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        request.apiUser = try await Self.authenticate(request)
        return try await next.respond(to: request)
    }

    static func authenticate(_ request: Request) async throws -> UserAccount {
        let settings = try request.settings
        // Every branch below only reads (before the handler opens any transaction): the fast read connections may answer.
        let accounts = try request.accounts(reading: true)
        if request.hasSession, let raw = request.session.data[SessionKeys.userID], let id = Int(raw),
           let user = try await accounts.user(id: id), user.isActive {
            if ![.GET, .HEAD, .OPTIONS].contains(request.method) {
                let expected = request.session.data[SessionKeys.csrfToken]
                let given = request.headers.first(name: "X-CSRFToken")
                guard let expected, let given, CSRFToken.constantTimeEqual(expected, given) else {
                    throw APIError.detail(.forbidden, "CSRF Failed: CSRF token missing or incorrect.")
                }
            }
            return user
        }
        guard let header = request.headers.first(name: .authorization) else { throw APIError.notAuthenticated }
        let parts = header.split(separator: " ", omittingEmptySubsequences: true)
        guard let scheme = parts.first?.lowercased() else { throw APIError.notAuthenticated }
        if scheme == "basic" {
            guard parts.count == 2 else { throw APIError.detail(.forbidden, "Invalid basic header. No credentials provided.") }
            guard let decoded = Data(base64Encoded: String(parts[1])).flatMap({ String(data: $0, encoding: .utf8) }),
                  let colon = decoded.firstIndex(of: ":")
            else { throw APIError.detail(.forbidden, "Invalid basic header. Credentials not correctly base64 encoded.") }
            let username = String(decoded[..<colon])
            let password = String(decoded[decoded.index(after: colon)...])
            switch try await accounts.authenticate(
                username: username, password: password, throttle: settings.loginThrottle, address: request.clientAddress) {
            case .success(let user): return user
            case .failure(.inactive): throw APIError.inactiveUser
            case .failure(.invalidCredentials): throw APIError.invalidCredentials
            case .failure(.throttled(let wait)): throw APIError.throttled(retryAfter: wait)
            case .failure(.busy): throw APIError.busy
            }
        }
        if scheme == "token", settings.apiTokensEnabled {
            guard parts.count == 2 else {
                throw APIError.detail(.forbidden, parts.count == 1
                    ? "Invalid token header. No credentials provided."
                    : "Invalid token header. Token string should not contain spaces.")
            }
            guard let user = try await accounts.user(forToken: String(parts[1])) else { throw APIError.invalidToken }
            guard user.isActive else { throw APIError.inactiveUser }
            return user
        }
        throw APIError.notAuthenticated
    }
}
