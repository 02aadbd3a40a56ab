import BulwarkApp
import BulwarkTesting
import BulwarkWeb
import Foundation
import Testing
import Vapor

@Suite("Swagger UI page, its assets and /api/v2/doc/")
struct SwaggerUITests {
    @Test("Without a session the page sends the browser to the login form; /api/v2/doc/ redirects to the page")
    func loginRequired() async throws {
        try await withTestServer { server in
            let anonymous = try await server.request(.GET, "/api/v2/oa3/swagger-ui/", token: .some(nil))
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers.first(name: .location) == "/login?next=/api/v2/oa3/swagger-ui/")
            let doc = try await server.request(.GET, "/api/v2/doc/", token: .some(nil))
            #expect(doc.status == .seeOther)
            #expect(doc.headers.first(name: .location) == "/api/v2/oa3/swagger-ui/")
        }
    }

    @Test("Logged in, the page loads Swagger UI from the CDN by default and points it at the JSON schema with the CSRF token")
    func pageWithSession() async throws {
        try await withTestServer { server in
            let session = try #require(try await FormLogin.login(server))
            let page = try await server.request(.GET, "/api/v2/oa3/swagger-ui/", token: .some(nil), headers: [("Cookie", session.cookie)])
            #expect(page.status == .ok)
            #expect(page.headers.first(name: .contentType)?.hasPrefix("text/html") == true)
            #expect(page.body.contains(#"src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js""#))
            #expect(page.body.contains(#"href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css""#))
            #expect(page.body.contains(#"url: "/api/v2/oa3/schema/?format=json""#))
            #expect(page.body.contains("X-CSRFToken"))
            // The key page links to it, as DefectDojo's user menu does.
            let keyPage = try await server.request(.GET, "/api/key-v2", token: .some(nil), headers: [("Cookie", session.cookie)])
            #expect(keyPage.body.contains(#"href="/api/v2/oa3/swagger-ui/""#))
        }
    }

    @Test("With BULWARK_SWAGGER_UI_URL naming a folder, Bulwark serves the files itself and nothing outside the folder")
    func localFolder() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-swagger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("window.SwaggerUIBundle = function () {};".utf8).write(to: folder.appendingPathComponent("swagger-ui-bundle.js"))
        try Data("body { margin: 0 }".utf8).write(to: folder.appendingPathComponent("swagger-ui.css"))
        let config = try AppConfig.fromEnvironment(["BULWARK_SWAGGER_UI_URL": folder.path])
        #expect(config.swaggerUI == .localFolder(path: folder.path))
        try await withTestServer(configure: { $0.swaggerUI = config.swaggerUI }) { server in
            let session = try #require(try await FormLogin.login(server))
            let page = try await server.request(.GET, "/api/v2/oa3/swagger-ui/", token: .some(nil), headers: [("Cookie", session.cookie)])
            #expect(page.body.contains(#"src="/api/v2/oa3/swagger-ui/assets/swagger-ui-bundle.js""#))
            let script = try await server.request(.GET, "/api/v2/oa3/swagger-ui/assets/swagger-ui-bundle.js", token: .some(nil))
            #expect(script.status == .ok)
            #expect(script.body == "window.SwaggerUIBundle = function () {};")
            #expect(script.headers.first(name: .contentType)?.hasPrefix("application/javascript") == true)
            let css = try await server.request(.GET, "/api/v2/oa3/swagger-ui/assets/swagger-ui.css", token: .some(nil))
            #expect(css.headers.first(name: .contentType)?.hasPrefix("text/css") == true)
            #expect(try await server.request(.GET, "/api/v2/oa3/swagger-ui/assets/..%2F..%2Fetc%2Fpasswd", token: .some(nil)).status == .notFound)
            #expect(try await server.request(.GET, "/api/v2/oa3/swagger-ui/assets/missing.js", token: .some(nil)).status == .notFound)
        }
    }

    @Test("BULWARK_SWAGGER_UI_URL: an https URL is a CDN base; a folder without Swagger UI's files is a configuration error")
    func configuration() throws {
        #expect(try AppConfig.fromEnvironment([:]).swaggerUI == .defaultCDN)
        #expect(try AppConfig.fromEnvironment(["BULWARK_SWAGGER_UI_URL": "https://unpkg.com/swagger-ui-dist@5.17.14"]).swaggerUI
            == .remote(baseURL: "https://unpkg.com/swagger-ui-dist@5.17.14"))
        #expect {
            try AppConfig.fromEnvironment(["BULWARK_SWAGGER_UI_URL": "/nonexistent/swagger"])
        } throws: { error in
            "\(error)".contains("BULWARK_SWAGGER_UI_URL=/nonexistent/swagger") && "\(error)".contains("swagger-ui-bundle.js")
        }
    }
}
