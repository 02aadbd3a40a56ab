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
            let key = String(parts[1])
            guard let holder = try await accounts.authenticateToken(key) else { throw APIError.invalidToken }
            guard holder.user.isActive else { throw APIError.inactiveUser }
            try TokenScopeCheck.enforce(holder.user.tokenScope, method: request.method, path: request.url.path)
            if holder.useIsWorthRecording(address: request.clientAddress, now: settings.now()) {
                // A write at most once a minute per token; a failure to record never fails the request.
                try? await request.accounts().recordTokenUse(key: key, address: request.clientAddress)
            }
            return holder.user
        }
        throw APIError.notAuthenticated
    }
}

/// What a scoped token may call: read-only tokens only safe methods; import-only tokens safe
/// methods plus `import-scan/` and `reimport-scan/` (the target product is checked by the import).
enum TokenScopeCheck {
    static let importPaths: Set<String> = ["/api/v2/import-scan/", "/api/v2/import-scan", "/api/v2/reimport-scan/", "/api/v2/reimport-scan"]

    static func enforce(_ scope: TokenScope, method: HTTPMethod, path: String) throws {
        guard ![.GET, .HEAD, .OPTIONS].contains(method) else { return }
        switch scope {
        case .full: return
        case .readOnly: throw APIError.detail(.forbidden, "This token is read-only.")
        case .importOnly:
            guard method == .POST, importPaths.contains(path) else {
                throw APIError.detail(.forbidden, "This token may only import scans.")
            }
        }
    }
}
