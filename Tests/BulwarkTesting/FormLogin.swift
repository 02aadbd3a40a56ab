import Foundation
import Vapor

/// Signs in through the HTML login form as a browser does: GET the form for its CSRF cookie, then
/// POST the credentials with the token in the cookie and the hidden field.
public enum FormLogin {
    /// GETs the login form and returns the `csrftoken` cookie it set and the hidden field's value.
    public static func loginFormToken(_ server: TestServer) async throws -> String? {
        let form = try await server.request(.GET, "/login", token: .some(nil))
        return form.headers[.setCookie].lazy.compactMap { header -> String? in
            let pair = header.split(separator: ";").first.map(String.init) ?? ""
            return pair.hasPrefix("csrftoken=") ? String(pair.dropFirst("csrftoken=".count)) : nil
        }.first
    }

    /// Posts the login form (with a fresh form token unless `csrf` is given) and returns the response.
    public static func postLogin(
        _ server: TestServer, username: String = "admin", password: String, next: String = "/api/key-v2", csrf: String?? = .none,
        extraCookie: String? = nil
    ) async throws -> TestResponse {
        let token: String?
        if let csrf { token = csrf } else { token = try await loginFormToken(server) }
        var cookies = token.map { ["csrftoken=\($0)"] } ?? []
        if let extraCookie { cookies.append(extraCookie) }
        var form = [("username", username), ("password", password), ("next", next)]
        if let token { form.append(("csrfmiddlewaretoken", token)) }
        return try await server.request(.POST, "/login", token: .some(nil), form: form, headers: cookies.isEmpty ? [] : [("Cookie", cookies.joined(separator: "; "))])
    }

    /// Logs in through the HTML form and returns the Cookie header value and CSRF token.
    public static func login(_ server: TestServer, password: String = TestServer.adminPassword) async throws -> (cookie: String, csrf: String)? {
        let response = try await postLogin(server, password: password)
        guard response.status == .seeOther || response.status == .found else { return nil }
        var session: String?
        var csrf: String?
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";").first.map(String.init) ?? ""
            if pair.hasPrefix("sessionid=") { session = pair }
            if pair.hasPrefix("csrftoken=") { csrf = String(pair.dropFirst("csrftoken=".count)) }
        }
        guard let session, let csrf else { return nil }
        return (session, csrf)
    }
}
