import Vapor

/// Adds the browser-hardening headers to every response: no MIME sniffing, no framing, no
/// referrer leaks to other sites, and a Content-Security-Policy on HTML pages that do not set
/// their own (the Swagger UI page sets one naming its asset origin).
public struct SecurityHeadersMiddleware: AsyncMiddleware {
    /// The policy for Bulwark's own pages: everything from this origin, nothing inline but styles.
    public static let defaultPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    public init() {}

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        Self.apply(to: response, request: request)
        return response
    }

    /// Sets the headers on `response` (also used for error responses built outside the chain).
    public static func apply(to response: Response, request: Request) {
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        let isHTML = response.headers.contentType.map { $0.type == "text" && $0.subType == "html" } ?? false
        if isHTML, !response.headers.contains(name: "Content-Security-Policy") {
            response.headers.replaceOrAdd(name: "Content-Security-Policy", value: defaultPolicy)
        }
    }
}
