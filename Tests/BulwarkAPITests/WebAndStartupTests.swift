import BulwarkApp
import BulwarkServices
import BulwarkStorage
import BulwarkTesting
import BulwarkWeb
import Foundation
import Testing

@Suite("Login page, session authentication and first start")
struct WebAndStartupTests {
    @Test("GET /health answers without authentication")
    func health() async throws {
        try await withTestServer { server in
            let response = try await server.request(.GET, "/health", token: .some(nil))
            #expect(response.status == .ok)
            #expect(response.json.keys == ["status", "version", "database"])
            #expect(response.json["status"] == .string("ok"))
            #expect(response.json["database"] == .string(server.databaseKind))
        }
    }

    @Test("Logging in sets a session that authenticates API reads; writes also need the CSRF token")
    func sessionAuthentication() async throws {
        try await withTestServer { server in
            // Given
            let session = try #require(try await FormLogin.login(server))
            // Then
            let read = try await server.request(.GET, "/api/v2/users/", token: .some(nil), headers: [("Cookie", session.cookie)])
            #expect(read.status == .ok)
            let noCSRF = try await server.request(.POST, "/api/v2/product_types/", token: .some(nil), json: #"{"name":"A"}"#, headers: [("Cookie", session.cookie)])
            #expect(noCSRF.status == .forbidden)
            let withCSRF = try await server.request(.POST, "/api/v2/product_types/", token: .some(nil), json: #"{"name":"A"}"#,
                                                    headers: [("Cookie", session.cookie), ("X-CSRFToken", session.csrf)])
            #expect(withCSRF.status == .created)
            let keyPage = try await server.request(.GET, "/api/key-v2", token: .some(nil), headers: [("Cookie", session.cookie)])
            #expect(keyPage.status == .ok)
            #expect(keyPage.body.contains(String(server.adminToken.prefix(8))))
            #expect(!keyPage.body.contains(server.adminToken))
            _ = try await server.request(.GET, "/logout", token: .some(nil), headers: [("Cookie", session.cookie)])
            let afterLogout = try await server.request(.GET, "/api/v2/users/", token: .some(nil), headers: [("Cookie", session.cookie)])
            #expect(afterLogout.status == .forbidden)
        }
    }

    @Test("A wrong password shows the form again with a message; next cannot leave the site")
    func failedLogin() async throws {
        try await withTestServer { server in
            #expect(try await FormLogin.login(server, password: "wrong") == nil)
            let page = try await FormLogin.postLogin(server, password: "wrong")
            #expect(page.status == .unauthorized)
            #expect(page.body.contains("Please enter a correct username and password"))
            let form = try await server.request(.GET, "/login?next=//evil.example.com", token: .some(nil))
            #expect(form.body.contains("value=\"/\""))
            #expect(!form.body.contains("evil.example.com"))
        }
    }

    @Test("The login page escapes what it echoes")
    func loginPageEscapes() {
        let html = LoginPage.render(.init(username: "<script>x</script>", error: "a&b"))
        #expect(!html.contains("<script>x"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(html.contains("a&amp;b"))
    }

    @Test("First start without DD_ADMIN_PASSWORD creates the admin with a generated password, once")
    func generatedAdminPassword() async throws {
        try await withTestServer { server in
            // Given a database with no users
            try await server.sql.raw("DELETE FROM users").run()
            let accounts = try server.accounts
            // When
            let first = try await accounts.ensureInitialSuperuser(username: "root", email: "root@example.com", password: nil)
            let second = try await accounts.ensureInitialSuperuser(username: "root", email: "root@example.com", password: nil)
            // Then
            guard case .createdWithGeneratedPassword(let name, let password) = first else {
                Issue.record("expected a generated password, got \(first)")
                return
            }
            #expect(name == "root")
            #expect(password.count >= 20)
            #expect(second == .alreadyInitialised)
            let user = try await accounts.user(username: "root")
            #expect(user?.isSuperuser == true)
            guard case .success = try await accounts.authenticate(username: "root", password: password) else {
                Issue.record("generated password does not log in")
                return
            }
        }
    }

    @Test("AppConfig reads DATABASE_URL and flags, and lists every bad variable", arguments: [
        (["DATABASE_URL": "sqlite:///tmp/x.sqlite"], DatabaseLocation.sqlite(path: "/tmp/x.sqlite")),
        (["DATABASE_URL": "postgres://u:p@db:5432/dojo", "BULWARK_SECRET_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="], DatabaseLocation.postgres(url: "postgres://u:p@db:5432/dojo")),
        ([:], DatabaseLocation.sqlite(path: "bulwark.sqlite")),
    ])
    func configDatabase(environment: [String: String], expected: DatabaseLocation) throws {
        #expect(try AppConfig.fromEnvironment(environment).database == expected)
    }

    @Test("Invalid configuration is reported all at once")
    func configErrors() {
        do {
            _ = try AppConfig.fromEnvironment(["DATABASE_URL": "mysql://x", "DD_API_TOKENS_ENABLED": "perhaps", "BULWARK_BCRYPT_COST": "2"])
            Issue.record("expected an error")
        } catch let error as AppConfig.Invalid {
            #expect(error.problems.count == 3)
        } catch {
            Issue.record("unexpected \(error)")
        }
        let flags = try? AppConfig.fromEnvironment(["DD_API_TOKENS_ENABLED": "False", "DD_API_TOKEN_AUTH_ENDPOINT_ENABLED": "false", "DD_ADMIN_USER": "boss"])
        #expect(flags?.apiTokensEnabled == false)
        #expect(flags?.tokenAuthEndpointEnabled == false)
        #expect(flags?.adminUser == "boss")
        // Token lifetime, audit retention and pool size: defaults, values, and out-of-range values named.
        let defaults = try? AppConfig.fromEnvironment([:])
        #expect(defaults?.tokenMaxAgeDays == nil && defaults?.auditRetentionDays == 365 && defaults?.databasePoolSize == 4)
        let set = try? AppConfig.fromEnvironment(["BULWARK_TOKEN_MAX_AGE_DAYS": "90", "BULWARK_AUDIT_RETENTION_DAYS": "30", "BULWARK_DB_POOL_SIZE": "8"])
        #expect(set?.tokenMaxAgeDays == 90 && set?.auditRetentionDays == 30 && set?.databasePoolSize == 8)
        do {
            _ = try AppConfig.fromEnvironment(["BULWARK_TOKEN_MAX_AGE_DAYS": "0", "BULWARK_AUDIT_RETENTION_DAYS": "forever", "BULWARK_DB_POOL_SIZE": "1000"])
            Issue.record("expected an error")
        } catch let error as AppConfig.Invalid {
            #expect(error.problems.count == 3)
            #expect(error.problems.contains { $0.hasPrefix("BULWARK_TOKEN_MAX_AGE_DAYS=0") })
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
