import Vapor

/// Marks the session cookie `Secure` on responses to requests that came over TLS (directly or,
/// per `X-Forwarded-Proto`, through a proxy). Vapor's session configuration builds the cookie
/// without seeing the request, so the flag is added here. It sits before the sessions middleware
/// in the chain, so it sees the cookie that middleware set.
public struct SecureSessionCookieMiddleware: AsyncMiddleware {
    let cookieName: String

    public init(cookieName: String) { self.cookieName = cookieName }

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        if request.isSecure, var cookie = response.cookies[cookieName] {
            cookie.isSecure = true
            response.cookies[cookieName] = cookie
        }
        return response
    }
}
