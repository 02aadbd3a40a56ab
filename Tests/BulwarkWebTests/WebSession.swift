import BulwarkTesting
import Foundation
import Testing
import Vapor

/// A browser-like session for route tests: logs in through the form and sends the cookies back.
struct WebSession {
    let server: TestServer
    let cookie: String
    let csrf: String

    /// Logs in as `username` through `/login`; nil when the login failed.
    static func login(_ server: TestServer, username: String = "admin", password: String = TestServer.adminPassword) async throws -> WebSession? {
        let response = try await FormLogin.postLogin(server, username: username, password: password, next: "/")
        guard response.status == .seeOther || response.status == .found else { return nil }
        var session: String?, csrf: String?
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";").first.map(String.init) ?? ""
            if pair.hasPrefix("sessionid=") { session = pair }
            if pair.hasPrefix("csrftoken=") { csrf = String(pair.dropFirst("csrftoken=".count)) }
        }
        guard let session, let csrf else { return nil }
        return WebSession(server: server, cookie: "\(session); csrftoken=\(csrf)", csrf: csrf)
    }

    func get(_ path: String) async throws -> TestResponse {
        try await server.request(.GET, path, token: .some(nil), headers: [("Cookie", cookie)])
    }

    /// Posts a form, with the CSRF field unless `csrf` is false.
    func post(_ path: String, _ fields: [(String, String)], csrf withToken: Bool = true) async throws -> TestResponse {
        let form = withToken ? fields + [("csrfmiddlewaretoken", csrf)] : fields
        return try await server.request(.POST, path, token: .some(nil), form: form, headers: [("Cookie", cookie)])
    }

    /// Posts a multipart form (the import pages).
    func postMultipart(_ path: String, _ form: MultipartForm) async throws -> TestResponse {
        let body = String(decoding: form.bytes, as: UTF8.self)
        return try await server.request(.POST, path, token: .some(nil), body: body, contentType: form.contentType, headers: [("Cookie", cookie)])
    }
}
