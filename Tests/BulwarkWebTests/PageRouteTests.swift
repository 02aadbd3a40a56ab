import BulwarkStorage
import BulwarkTesting
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Pages through HTTP: sign-in, filters, triage, bulk actions, imports, CSRF")
struct PageRouteTests {
    static func flag(_ server: TestServer, _ id: Int, _ column: String) async throws -> Bool {
        let row = try await server.sql.raw("SELECT \(ident: column) AS v FROM findings WHERE id = \(bind: id)").first()
        return try row?.decode(column: "v", as: Bool.self) ?? false
    }

    @Test("Pages need a session: the dashboard redirects to the login form, then renders")
    func signIn() async throws {
        try await withTestServer { server in
            // Given / When
            let anonymous = try await server.request(.GET, "/finding?severity=High", token: .some(nil))
            // Then
            #expect(anonymous.status == .seeOther || anonymous.status == .found)
            #expect(anonymous.headers.first(name: .location) == "/login?next=%2Ffinding%3Fseverity%3DHigh")
            let session = try #require(try await WebSession.login(server))
            let dashboard = try await session.get("/")
            #expect(dashboard.status == .ok)
            #expect(dashboard.body.contains("<h1>Dashboard</h1>"))
            #expect(dashboard.body.contains("<svg class=\"chart\""))
            #expect(try await session.get("/static/bulwark.css").status == .ok)
        }
    }

    @Test("The findings list filters by severity, status and text, and keeps the filters in the URL")
    func listFilters() async throws {
        try await withTestServer { server in
            // Given
            let chain = try await server.makeChain()
            let high = try await server.makeFinding(chain, title: "SQL Injection", severity: "High")
            let low = try await server.makeFinding(chain, title: "Verbose banner", severity: "Low")
            let session = try #require(try await WebSession.login(server))
            // When
            let highOnly = try await session.get("/finding?severity=High")
            let search = try await session.get("/finding?q=banner")
            let all = try await session.get("/finding")
            // Then
            #expect(highOnly.body.contains("href=\"/finding/\(high)\""))
            #expect(!highOnly.body.contains("href=\"/finding/\(low)\""))
            #expect(search.body.contains("href=\"/finding/\(low)\"") && !search.body.contains("href=\"/finding/\(high)\""))
            #expect(all.body.contains("Findings (2)"))
            #expect(highOnly.body.contains("<option value=\"High\" selected>High</option>"))
            let detail = try await session.get("/finding/\(high)")
            #expect(detail.status == .ok)
            #expect(detail.body.contains("SQL Injection"))
            #expect(try await session.get("/finding/999999").status == .notFound)
        }
    }

    @Test("Closing a finding from its page goes through the triage service; without the CSRF field nothing changes")
    func closeWithCSRF() async throws {
        try await withTestServer { server in
            // Given
            let chain = try await server.makeChain()
            let id = try await server.makeFinding(chain)
            let session = try #require(try await WebSession.login(server))
            // When
            let refused = try await session.post("/finding/\(id)/close", [("note", "fixed")], csrf: false)
            // Then
            #expect(refused.status == .forbidden)
            #expect(refused.body.contains("CSRF token missing"))
            #expect(try await Self.flag(server, id, "active"))
            // When
            let closed = try await session.post("/finding/\(id)/close", [("note", "fixed in 2.1")])
            // Then
            #expect(closed.status == .seeOther)
            #expect(closed.headers.first(name: .location) == "/finding/\(id)")
            #expect(try await !Self.flag(server, id, "active"))
            #expect(try await Self.flag(server, id, "is_mitigated"))
            let page = try await session.get("/finding/\(id)")
            #expect(page.body.contains("Finding closed."))
            #expect(page.body.contains("fixed in 2.1"))
        }
    }

    @Test("A wrong CSRF value is refused too")
    func wrongCSRF() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let id = try await server.makeFinding(chain)
            let session = try #require(try await WebSession.login(server))
            let response = try await session.post("/finding/\(id)/verify", [("csrfmiddlewaretoken", "forged")], csrf: false)
            #expect(response.status == .forbidden)
            #expect(try await !Self.flag(server, id, "verified"))
        }
    }

    @Test("Bulk verify two findings, then bulk tag them")
    func bulk() async throws {
        try await withTestServer { server in
            // Given
            let chain = try await server.makeChain()
            let a = try await server.makeFinding(chain, title: "A"), b = try await server.makeFinding(chain, title: "B")
            let untouched = try await server.makeFinding(chain, title: "C")
            let session = try #require(try await WebSession.login(server))
            // When
            let response = try await session.post("/finding/bulk", [("finding", "\(a)"), ("finding", "\(b)"), ("action", "verify"), ("return", "severity=High")])
            // Then
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/finding?severity=High")
            #expect(try await Self.flag(server, a, "verified"))
            #expect(try await Self.flag(server, b, "verified"))
            #expect(try await !Self.flag(server, untouched, "verified"))
            _ = try await session.post("/finding/bulk", [("finding", "\(a)"), ("finding", "\(b)"), ("action", "tag"), ("tags", "pci, q4")])
            let tagged = try await session.get("/finding?tag=q4")
            #expect(tagged.body.contains("Findings (2)"))
        }
    }

    @Test("Risk acceptance from the finding page makes it inactive until the expiry date")
    func acceptRisk() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let id = try await server.makeFinding(chain)
            let session = try #require(try await WebSession.login(server))
            let response = try await session.post("/finding/\(id)/accept_risk", [("reason", "compensating WAF rule"), ("expiration", "2030-01-01")])
            #expect(response.status == .seeOther)
            #expect(try await Self.flag(server, id, "risk_accepted"))
            #expect(try await !Self.flag(server, id, "active"))
            let row = try await server.sql.raw("SELECT decision_details, expiration_date FROM risk_acceptances").first()
            #expect(try row?.decode(column: "decision_details", as: String.self) == "compensating WAF rule")
        }
    }

    @Test("Importing through the engagement's form creates the findings; a wrong file shows the parser's message")
    func importForm() async throws {
        try await withTestServer { server in
            // Given
            let chain = try await server.makeChain()
            let session = try #require(try await WebSession.login(server))
            let report = #"{"findings": [{"title": "Open redirect", "severity": "Medium", "description": "d"}, {"title": "Weak TLS", "severity": "Low", "description": "d"}]}"#
            // When
            let form = MultipartForm([("scan_type", "Generic Findings Import"), ("active", "true"), ("csrfmiddlewaretoken", session.csrf)], file: report)
            let response = try await session.postMultipart("/engagement/\(chain.engagement)/import_scan_results", form)
            // Then
            #expect(response.status == .ok)
            #expect(response.body.contains("Import finished"))
            let count = try await server.sql.raw("SELECT COUNT(*) AS n FROM findings WHERE engagement_id = \(bind: chain.engagement)").first()
            #expect(try count?.decode(column: "n", as: Int.self) == 2)
            // When
            let bad = MultipartForm([("scan_type", "Generic Findings Import"), ("csrfmiddlewaretoken", session.csrf)], file: "{not json")
            let refused = try await session.postMultipart("/engagement/\(chain.engagement)/import_scan_results", bad)
            // Then
            #expect(refused.status == .badRequest)
            #expect(refused.body.contains("field-file-error"))
            #expect(refused.body.contains("<option value=\"Generic Findings Import\" selected>"))
            let noToken = MultipartForm([("scan_type", "Generic Findings Import")], file: report)
            #expect(try await session.postMultipart("/engagement/\(chain.engagement)/import_scan_results", noToken).status == .forbidden)
        }
    }

    @Test("Change password applies the API's password rules and the old password")
    func changePassword() async throws {
        try await withTestServer { server in
            let session = try #require(try await WebSession.login(server))
            let short = try await session.post("/change_password", [("old_password", TestServer.adminPassword), ("new_password1", "123"), ("new_password2", "123")])
            #expect(short.status == .badRequest)
            #expect(short.body.contains("This password is too short."))
            let wrongOld = try await session.post("/change_password", [("old_password", "nope"), ("new_password1", "N3w-Passw0rd!"), ("new_password2", "N3w-Passw0rd!")])
            #expect(wrongOld.body.contains("Your old password was entered incorrectly"))
            let ok = try await session.post("/change_password", [("old_password", TestServer.adminPassword), ("new_password1", "N3w-Passw0rd!"),
                                                                 ("new_password2", "N3w-Passw0rd!")])
            #expect(ok.status == .seeOther)
            #expect(try await WebSession.login(server, password: "N3w-Passw0rd!") != nil)
        }
    }

    @Test("The key page creates a key shown once, lists keys without them, and revokes; it is absent when tokens are disabled")
    func keyPage() async throws {
        try await withTestServer { server in
            let session = try #require(try await WebSession.login(server))
            // The stored key is never shown again, only its first characters.
            let page = try await session.get("/api/key-v2")
            #expect(!page.body.contains(server.adminToken))
            #expect(page.body.contains(String(server.adminToken.prefix(8)) + "…"))
            let refused = try await session.post("/api/key-v2", [("id", "1")], csrf: false)
            #expect(refused.status == .forbidden)

            // Generating shows the new key once, and it works against the API, read-only as asked.
            let created = try await session.post("/api/key-v2", [("id", "1"), ("name", "laptop"), ("expires_days", "30"), ("scope", "read")])
            #expect(created.status == .ok)
            let header = try #require(created.body.firstMatch(of: /Token ([0-9a-f]{40})</)?.1)
            let key = String(header)
            #expect(try await server.request(.GET, "/api/v2/findings/", token: key).status == .ok)
            #expect(try await server.request(.POST, "/api/v2/product_types/", token: key, json: #"{"name":"x"}"#).status == .forbidden)
            #expect(!(try await session.get("/api/key-v2").body.contains(key)))

            // A bad expiry is a form error, not a key.
            let bad = try await session.post("/api/key-v2", [("name", "x"), ("expires_days", "-3")])
            #expect(bad.status == .badRequest)

            // Revoking stops the key.
            let token = try #require(try await server.accounts.tokens(ofUser: 1).first { $0.name == "laptop" })
            let revoked = try await session.post("/api/key-v2/revoke", [("token", String(token.id))])
            #expect(revoked.status == .seeOther)
            #expect(try await server.request(.GET, "/api/v2/findings/", token: key).status == .forbidden)
        }
        try await withTestServer(configure: { $0.apiTokensEnabled = false }) { server in
            let session = try #require(try await WebSession.login(server))
            #expect(try await session.get("/api/key-v2").status == .notFound)
            #expect(!(try await session.get("/").body.contains("/api/key-v2")))
        }
    }

    @Test("Product tree pages render for the admin and hide other products from a member")
    func productTree() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain(name: "Shop")
            let session = try #require(try await WebSession.login(server))
            for path in ["/product", "/product/type", "/product/\(chain.product)", "/product/type/\(chain.productType)",
                         "/engagement/\(chain.engagement)", "/test/\(chain.test)", "/imports", "/profile", "/change_password",
                         "/engagement/\(chain.engagement)/import_scan_results", "/test/\(chain.test)/re_import_scan_results"] {
                #expect(try await session.get(path).status == .ok, "GET \(path)")
            }
            _ = try await server.makeUser("mallory", password: "Us3r-Passw0rd!")
            let other = try #require(try await WebSession.login(server, username: "mallory", password: "Us3r-Passw0rd!"))
            #expect(try await other.get("/product/\(chain.product)").status == .notFound)
            #expect(!(try await other.get("/product").body.contains("Shop")))
        }
    }
}
