import Foundation
import Vapor

/// Django-style CSRF protection for HTML forms: a `csrftoken` cookie and the same value in a
/// hidden `csrfmiddlewaretoken` field (double submit). A site cannot read another site's cookie,
/// so it cannot forge a form post that carries the matching field.
public enum CSRFToken {
    /// The cookie (Django's name, which Swagger UI and scripts read too).
    public static let cookieName = "csrftoken"
    /// The hidden form field.
    public static let fieldName = "csrfmiddlewaretoken"

    /// The request's token cookie when it is well formed, else nil.
    public static func current(_ request: Request) -> String? {
        guard let value = request.cookies[cookieName]?.string, isWellFormed(value) else { return nil }
        return value
    }

    /// The token to put in a form: the existing cookie, or a new one that `response` sets.
    public static func ensure(_ request: Request, on response: Response) -> String {
        if let existing = current(request) { return existing }
        let token = newToken()
        set(token, on: response, secure: request.isSecure)
        return token
    }

    /// Sets the token cookie (readable by page scripts, as Django's is; SameSite=Lax).
    public static func set(_ token: String, on response: Response, secure: Bool) {
        response.cookies[cookieName] = HTTPCookies.Value(
            string: token, expires: Date(timeIntervalSinceNow: 60 * 60 * 24 * 365), path: "/", isSecure: secure,
            isHTTPOnly: false, sameSite: .lax)
    }

    /// Whether a submitted form field matches the cookie (compared in constant time).
    public static func isValid(_ submitted: String?, for request: Request) -> Bool {
        guard let submitted, let cookie = current(request) else { return false }
        return constantTimeEqual(submitted, cookie)
    }

    /// 32 random bytes as 64 hex digits.
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    static func isWellFormed(_ value: String) -> Bool {
        (32...128).contains(value.utf8.count) && value.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) }
    }

    /// Compares secrets without an early exit on the first differing byte.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<x.count { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}

extension Request {
    /// Whether the client reached us over TLS, directly or through a proxy that says so.
    public var isSecure: Bool {
        url.scheme == "https" || headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https"
    }
}

/// Where a login may send the browser next: same-site paths only.
public enum SafeRedirect {
    /// `raw` when it is a plain path on this site, else `/`. Refuses schemes, hosts (`//x`),
    /// backslashes and every control or whitespace character, which browsers strip or reinterpret
    /// (`/\t/evil.example` becomes `//evil.example`) and which could split the `Location` header.
    public static func path(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), raw.utf8.count <= 2048 else { return "/" }
        for scalar in raw.unicodeScalars {
            if scalar.value < 0x21 || scalar.value == 0x7F || scalar == "\\" { return "/" }
            if scalar.properties.isWhitespace || scalar.properties.generalCategory == .format { return "/" }
        }
        return raw
    }
}
