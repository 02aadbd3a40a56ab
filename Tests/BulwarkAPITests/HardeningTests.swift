import BulwarkCore
import BulwarkHTTP
import BulwarkStorage
import BulwarkTesting
import Foundation
import SQLKit
import Testing

/// Hostile requests get a clear 4xx and the server keeps answering (the "no request takes the
/// server down" properties of SECURITY.md).
@Suite("Hardening: bodies, query strings, login, sessions, headers")
struct HardeningTests {
    @Test("JSON nested 60,000 deep is refused with 400, anonymously and authenticated, and the server keeps answering")
    func deepJSON() async throws {
        try await withTestServer { server in
            // Given a 120 KB body nested 60,000 levels deep
            let deep = String(repeating: "[", count: 60_000) + String(repeating: "]", count: 60_000)
            // When it is posted to the anonymous token endpoint and to a resource
            let anonymous = try await server.request(.POST, "/api/v2/api-token-auth/", token: .some(nil), json: deep)
            let authenticated = try await server.request(.POST, "/api/v2/product_types/", json: #"{"name": "# + deep + "}")
            // Then both are 400 naming the depth limit, and the server is still up
            #expect(anonymous.status == .badRequest)
            #expect(anonymous.body.contains("nested too deeply"))
            #expect(authenticated.status == .badRequest)
            #expect(authenticated.body.contains("nested too deeply"))
            let health = try await server.request(.GET, "/health", token: .some(nil))
            #expect(health.status == .ok)
            // And nesting within the limit still parses
            let shallow = try await server.request(.POST, "/api/v2/product_types/", json: #"{"name": "Web", "extra": [[[[1]]]]}"#)
            #expect(shallow.status == .created)
        }
    }

    @Test("An over-long filter value is a 400 naming the parameter; an over-long query string a 400")
    func queryLimits() async throws {
        try await withTestServer { server in
            let value = String(repeating: "a", count: RequestLimits.maxQueryValueBytes + 1)
            let response = try await server.request(.GET, "/api/v2/findings/?title__contains=\(value)")
            #expect(response.status == .badRequest)
            #expect(response.json["title__contains"]?.items.first?.stringValue?.contains("at most \(RequestLimits.maxQueryValueBytes)") == true)
            let many = (0...(RequestLimits.maxQueryStringBytes / 10)).map { "p\($0)=123456" }.joined(separator: "&")
            let long = try await server.request(.GET, "/api/v2/findings/?\(many)")
            #expect(long.status == .badRequest)
            // A value at the limit is an ordinary filter
            let atLimit = String(repeating: "a", count: RequestLimits.maxQueryValueBytes)
            let ok = try await server.request(.GET, "/api/v2/findings/?title__contains=\(atLimit)")
            #expect(ok.status == .ok)
            #expect(ok.json["count"] == .int(0))
        }
    }

    @Test("The login form needs its CSRF token")
    func loginCSRF() async throws {
        try await withTestServer { server in
            let withoutToken = try await FormLogin.postLogin(server, password: TestServer.adminPassword, csrf: .some(nil))
            #expect(withoutToken.status == .forbidden)
            let wrongToken = try await server.request(
                .POST, "/login", token: .some(nil),
                form: [("username", "admin"), ("password", TestServer.adminPassword), ("csrfmiddlewaretoken", String(repeating: "b", count: 64))],
                headers: [("Cookie", "csrftoken=" + String(repeating: "a", count: 64))])
            #expect(wrongToken.status == .forbidden)
            #expect(try await FormLogin.login(server) != nil)
        }
    }

    @Test("next after login stays on the site", arguments: [
        "/\r\nSet-Cookie: injected=1", "/\t/evil.example/", "//evil.example", "/\\evil.example", "https://evil.example/", "/ok\u{7F}",
    ])
    func loginNext(next: String) async throws {
        try await withTestServer { server in
            let response = try await FormLogin.postLogin(server, password: TestServer.adminPassword, next: next)
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/")
            #expect(!response.headers.contains(name: "injected"))
        }
    }

    @Test("Login rotates the session id, and sessions are stored hashed")
    func sessionRotation() async throws {
        try await withTestServer { server in
            // Given a logged-in session
            let first = try #require(try await FormLogin.login(server))
            // When the same browser logs in again
            let again = try await FormLogin.postLogin(server, password: TestServer.adminPassword, extraCookie: first.cookie)
            let second = try #require(again.headers[.setCookie].first { $0.hasPrefix("sessionid=") }?.split(separator: ";").first.map(String.init))
            // Then it gets a new id and the old one no longer authenticates
            #expect(second != first.cookie)
            let old = try await server.request(.GET, "/api/v2/users/", token: .some(nil), headers: [("Cookie", first.cookie)])
            #expect(old.status == .forbidden)
            let new = try await server.request(.GET, "/api/v2/users/", token: .some(nil), headers: [("Cookie", second)])
            #expect(new.status == .ok)
            // And the table holds the id's digest, never the id
            let id = String(second.dropFirst("sessionid=".count)).removingPercentEncoding ?? ""
            let keys = try await server.sql.raw("SELECT key FROM _fluent_sessions").all().map { try $0.decode(column: "key", as: String.self) }
            #expect(!keys.contains(id))
            #expect(keys.contains(SHA256Digest.hexDigest(Array(id.utf8))))
        }
    }

    @Test("Repeated wrong passwords are throttled with 429 and Retry-After, before any hashing")
    func throttling() async throws {
        // A first lockout of 10 minutes, so no slow run outlasts it.
        try await withTestServer(configure: { $0.loginMaxFailures = 3; $0.loginFirstLockoutSeconds = 600; $0.loginMaxLockoutSeconds = 3_600 }) { server in
            for _ in 0..<4 {
                let wrong = try await server.request(.POST, "/api/v2/api-token-auth/", token: .some(nil), json: #"{"username":"admin","password":"nope"}"#)
                #expect(wrong.status == .badRequest)
            }
            let right = try await server.request(
                .POST, "/api/v2/api-token-auth/", token: .some(nil), json: #"{"username":"admin","password":"\#(TestServer.adminPassword)"}"#)
            #expect(right.status == .tooManyRequests)
            #expect(right.headers.first(name: "Retry-After").flatMap(Int.init) != nil)
            let page = try await FormLogin.postLogin(server, password: TestServer.adminPassword)
            #expect(page.status == .tooManyRequests)
            #expect(page.body.contains("Too many failed attempts"))
            // Token authentication is not affected
            let tokenRead = try await server.request(.GET, "/api/v2/users/")
            #expect(tokenRead.status == .ok)
        }
    }

    @Test("Pages carry CSP, frame, sniffing and referrer headers; API answers at least nosniff")
    func securityHeaders() async throws {
        try await withTestServer { server in
            let login = try await server.request(.GET, "/login", token: .some(nil))
            #expect(login.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            #expect(login.headers.first(name: "X-Frame-Options") == "DENY")
            #expect(login.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(login.headers.first(name: "Referrer-Policy") == "same-origin")
            let cookie = login.headers[.setCookie].first { $0.hasPrefix("csrftoken=") }
            #expect(cookie?.lowercased().contains("samesite=lax") == true)
            let api = try await server.request(.GET, "/api/v2/users/")
            #expect(api.headers.first(name: "X-Content-Type-Options") == "nosniff")
            let missing = try await server.request(.GET, "/api/v2/nothing-here/")
            #expect(missing.headers.first(name: "X-Content-Type-Options") == "nosniff")
        }
    }

    @Test("Multipart forms: too many parts, an over-long text field and an over-declared upload are refused")
    func multipartLimits() async throws {
        try await withTestServer { server in
            var many = MultipartForm([("scan_type", "Generic Findings Import")])
            for index in 0...RequestLimits.maxMultipartParts { many.add("tags", "t\(index)") }
            let tooMany = try await server.upload("import-scan", many)
            #expect(tooMany.status == .badRequest)
            #expect(tooMany.headers.first(name: .connection)?.lowercased() == "close")

            let big = MultipartForm([("scan_type", "Generic Findings Import"), ("version", String(repeating: "v", count: RequestLimits.maxMultipartTextFieldBytes + 1))])
            let tooBig = try await server.upload("import-scan", big)
            #expect(tooBig.status == .payloadTooLarge)
            #expect(tooBig.json["version"] != nil)

            #expect(try await server.count("findings") == 0)
        }
        // A file over BULWARK_MAX_UPLOAD_MB is refused with 413 while it streams, and the connection closed
        try await withTestServer(configure: { $0.maxUploadMegabytes = 1 }) { server in
            var form = MultipartForm([("scan_type", "Generic Findings Import"), ("engagement", "1")])
            form.addFile([UInt8](repeating: UInt8(ascii: " "), count: 2 * 1_048_576), filename: "big.json")
            let tooLarge = try await server.upload("import-scan", form)
            #expect(tooLarge.status == .payloadTooLarge)
            #expect(tooLarge.headers.first(name: .connection)?.lowercased() == "close")
            #expect(try await server.count("findings") == 0)
        }
    }

    @Test("Upload files of stopped processes are swept; this process's are kept")
    func uploadSweep() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let mine = UploadFiles.newURL(in: directory)
        let dead = directory.appendingPathComponent("bulwark-upload-2147483646-\(UUID().uuidString)")
        let legacy = directory.appendingPathComponent("bulwark-upload-\(UUID().uuidString)")
        let other = directory.appendingPathComponent("unrelated.txt")
        for url in [mine, dead, legacy, other] { FileManager.default.createFile(atPath: url.path, contents: Data("x".utf8)) }

        #expect(UploadFiles.sweepOrphans(in: directory) == 2)
        #expect(FileManager.default.fileExists(atPath: mine.path))
        #expect(FileManager.default.fileExists(atPath: other.path))
        #expect(!FileManager.default.fileExists(atPath: dead.path))
        #expect(!FileManager.default.fileExists(atPath: legacy.path))
    }

    @Test("SafeRedirect keeps plain paths", arguments: ["/", "/api/key-v2", "/findings?severity=High&page=2", "/é"])
    func safePaths(path: String) {
        #expect(SafeRedirect.path(path) == path)
    }
}
