import BulwarkServices
@testable import BulwarkStorage
import BulwarkTesting
import Foundation
import SQLKit
import Testing

/// Hashed, named, expiring and scoped API tokens (`api_tokens/`, `api-tokens/revoke/`).
@Suite("API tokens: hashed, named, scoped, expiring, revocable")
struct APITokenTests {
    typealias R = ImportReports

    /// Creates a token through the API and returns its key and id.
    static func create(_ server: TestServer, _ json: String, token: String?? = .none) async throws -> (key: String, id: Int) {
        let response = try await server.request(.POST, "/api/v2/api_tokens/", token: token, json: json)
        #expect(response.status == .created, "\(response.body)")
        return (try #require(response.json["key"]?.stringValue), try #require(response.json["token"]?["id"]?.intValue))
    }

    @Test("Keys are stored as hashes: no column holds a usable key")
    func storedHashed() async throws {
        try await withTestServer { server in
            let rows = try await server.sql.raw("SELECT key_hash, key_prefix FROM api_tokens").all()
            #expect(rows.count == 1)
            let stored = try rows[0].decode(column: "key_hash", as: String.self)
            #expect(stored != server.adminToken)
            #expect(stored == APITokenHash.of(server.adminToken))
            #expect(stored.count == 64)
            #expect(try rows[0].decode(column: "key_prefix", as: String.self) == String(server.adminToken.prefix(8)))
            // The plain-text table is gone.
            await #expect(throws: (any Error).self) { try await server.sql.raw("SELECT * FROM auth_tokens").all() }
        }
    }

    @Test("A created key works once shown; lists never show keys; last use is recorded")
    func createListAndLastUse() async throws {
        try await withTestServer { server in
            let made = try await Self.create(server, #"{"name":"ci","expires":"2099-01-01T00:00:00Z"}"#)
            #expect(made.key.count == 40)
            #expect(try await server.request(.GET, "/api/v2/findings/", token: made.key).status == .ok)

            let list = try await server.request(.GET, "/api/v2/api_tokens/")
            #expect(list.status == .ok)
            #expect(!list.body.contains(made.key))
            let entry = try #require(list.json["results"]?.items.first { $0["id"]?.intValue == made.id })
            #expect(entry["name"] == .string("ci"))
            #expect(entry["prefix"] == .string(String(made.key.prefix(8))))
            #expect(entry["expires"]?.stringValue?.hasPrefix("2099-01-01") == true)
            #expect(entry["scope"] == .string("full"))
            #expect(entry["last_used"]?.stringValue != nil)
        }
    }

    @Test("Bad token requests are 400s naming the field")
    func validation() async throws {
        try await withTestServer { server in
            for (json, field) in [(#"{}"#, "name"), (#"{"name":"  "}"#, "name"), (#"{"name":"x","scope":"admin"}"#, "scope"),
                                  (#"{"name":"x","expires":"soon"}"#, "expires"), (#"{"name":"x","expires":"2001-01-01T00:00:00Z"}"#, "expires"),
                                  (#"{"name":"x","scope":"import"}"#, "products")] {
                let response = try await server.request(.POST, "/api/v2/api_tokens/", json: json)
                #expect(response.status == .badRequest, "\(json): \(response.body)")
                #expect(response.json[field] != nil, "\(json): \(response.body)")
            }
        }
    }

    @Test("An expired key is refused")
    func expiry() async throws {
        try await withTestServer { server in
            let made = try await Self.create(server, #"{"name":"short"}"#)
            #expect(try await server.request(.GET, "/api/v2/findings/", token: made.key).status == .ok)
            try await server.sql.raw("UPDATE api_tokens SET expires = \(bind: Date().addingTimeInterval(-1)) WHERE id = \(bind: made.id)").run()
            let refused = try await server.request(.GET, "/api/v2/findings/", token: made.key)
            #expect(refused.status == .forbidden)
            #expect(refused.json["detail"] == .string("Invalid token."))
        }
    }

    @Test("BULWARK_TOKEN_MAX_AGE_DAYS sets the default expiry and the longest one")
    func maxAge() async throws {
        try await withTestServer(configure: { $0.tokenMaxAgeDays = 10 }) { server in
            let made = try await Self.create(server, #"{"name":"default-life"}"#)
            let token = try #require(try await server.accounts.token(id: made.id))
            let expires = try #require(token.expires)
            #expect(abs(expires.timeIntervalSinceNow - 10 * 86_400) < 120)
            let tooLong = try await server.request(.POST, "/api/v2/api_tokens/", json: #"{"name":"x","expires":"2099-01-01T00:00:00Z"}"#)
            #expect(tooLong.status == .badRequest)
            // api-token-auth's keys get the default lifetime too.
            let login = try await server.request(.POST, "/api/v2/api-token-auth/", token: nil, json: #"{"username":"admin","password":"\#(TestServer.adminPassword)"}"#)
            let key = try #require(login.json["token"]?.stringValue)
            let issued = try #require(try await server.accounts.tokens(ofUser: 1).first { $0.prefix == String(key.prefix(8)) })
            #expect(issued.expires != nil)
        }
    }

    @Test("The periodic maintenance job deletes tokens expired over 30 days ago and keeps the rest")
    func expiredTokensSwept() async throws {
        try await withTestServer { server in
            // Given one token long expired and one expired yesterday
            let old = try await Self.create(server, #"{"name":"old"}"#)
            let recent = try await Self.create(server, #"{"name":"recent"}"#)
            try await server.sql.raw("UPDATE api_tokens SET expires = \(bind: Date().addingTimeInterval(-40 * 86_400)) WHERE id = \(bind: old.id)").run()
            try await server.sql.raw("UPDATE api_tokens SET expires = \(bind: Date().addingTimeInterval(-86_400)) WHERE id = \(bind: recent.id)").run()

            // When the scheduled maintenance runs
            let runtime = try #require(server.app.connectorRuntime)
            let runner = JobRunner(queue: JobQueue(database: server.app.db), connectors: runtime.service(server.app.db), worker: "t")
            _ = try await runner.runDue()

            // Then only the long-expired token is gone
            #expect(try await server.accounts.token(id: old.id) == nil)
            #expect(try await server.accounts.token(id: recent.id) != nil)
            #expect(try await server.accounts.token(id: 1) != nil)
        }
    }

    @Test("A read-only key reads but cannot write")
    func readOnlyScope() async throws {
        try await withTestServer { server in
            let made = try await Self.create(server, #"{"name":"reader","scope":"read"}"#)
            #expect(try await server.request(.GET, "/api/v2/products/", token: made.key).status == .ok)
            let write = try await server.request(.POST, "/api/v2/product_types/", token: made.key, json: #"{"name":"Nope"}"#)
            #expect(write.status == .forbidden)
            #expect(write.json["detail"] == .string("This token is read-only."))
            #expect(try await server.count("product_types", where: "name = 'Nope'") == 0)
        }
    }

    @Test("An import-only key imports into its named products only, and nothing else")
    func importOnlyScope() async throws {
        try await withTestServer { server in
            let made = try await Self.create(server, #"{"name":"pipeline","scope":"import","products":["Shop"]}"#)
            let fields: (String) -> [(String, String)] = { product in
                [("product_type_name", "Web"), ("product_name", product), ("engagement_name", "CI"), ("auto_create_context", "true")]
            }
            let allowed = try await server.importReport(report: R.generic(R.threeFindings), fields: fields("Shop"), token: made.key)
            #expect(allowed.status == .created, "\(allowed.body)")
            let reimported = try await server.importReport("reimport-scan", report: R.generic(R.threeFindings), fields: fields("Shop"), token: made.key)
            #expect(reimported.status == .created, "\(reimported.body)")
            let elsewhere = try await server.importReport(report: R.generic(R.threeFindings), fields: fields("Other"), token: made.key)
            #expect(elsewhere.status == .forbidden)
            #expect(try await server.count("products", where: "name = 'Other'") == 0)
            let write = try await server.request(.POST, "/api/v2/product_types/", token: made.key, json: #"{"name":"Nope"}"#)
            #expect(write.status == .forbidden)
            #expect(write.json["detail"] == .string("This token may only import scans."))
        }
    }

    @Test("Revoking by id or by key stops the key; another user's key is out of reach")
    func revoke() async throws {
        try await withTestServer { server in
            let first = try await Self.create(server, #"{"name":"one"}"#)
            #expect(try await server.request(.DELETE, "/api/v2/api_tokens/\(first.id)/").status == .noContent)
            #expect(try await server.request(.GET, "/api/v2/findings/", token: first.key).status == .forbidden)

            let second = try await Self.create(server, #"{"name":"two"}"#)
            let alice = try await server.makeUser("alice")
            // Alice cannot see, delete or revoke the admin's keys: each answers as if they did not exist.
            #expect(try await server.request(.GET, "/api/v2/api_tokens/\(second.id)/", token: alice.token).status == .notFound)
            #expect(try await server.request(.DELETE, "/api/v2/api_tokens/\(second.id)/", token: alice.token).status == .notFound)
            let foreign = try await server.request(.POST, "/api/v2/api-tokens/revoke/", token: alice.token, json: #"{"key":"\#(second.key)"}"#)
            #expect(foreign.status == .notFound)
            #expect(try await server.request(.GET, "/api/v2/api_tokens/?user=all", token: alice.token).status == .forbidden)
            #expect(try await server.request(.GET, "/api/v2/findings/", token: second.key).status == .ok)

            // The owner (or a superuser) revokes by key.
            let revoked = try await server.request(.POST, "/api/v2/api-tokens/revoke/", json: #"{"key":"\#(second.key)"}"#)
            #expect(revoked.status == .noContent)
            #expect(try await server.request(.GET, "/api/v2/findings/", token: second.key).status == .forbidden)
            #expect(try await server.request(.POST, "/api/v2/api-tokens/revoke/", json: #"{"key":"\#(second.key)"}"#).status == .notFound)
            #expect(try await server.request(.POST, "/api/v2/api-tokens/revoke/", json: #"{}"#).status == .badRequest)
        }
    }

    @Test("api-token-auth issues a new working key per call and keeps the newest twenty")
    func loginTokens() async throws {
        try await withTestServer { server in
            var keys: [String] = []
            for _ in 0..<22 {
                let response = try await server.request(.POST, "/api/v2/api-token-auth/", token: nil,
                                                        json: #"{"username":"admin","password":"\#(TestServer.adminPassword)"}"#)
                keys.append(try #require(response.json["token"]?.stringValue))
            }
            #expect(Set(keys).count == 22)
            #expect(try await server.request(.GET, "/api/v2/findings/", token: keys.last).status == .ok)
            #expect(try await server.request(.GET, "/api/v2/findings/", token: keys.first).status == .forbidden)
            #expect(try await server.count("api_tokens", where: "name = 'api-token-auth'") == 20)
        }
    }

    @Test("Keys from before the hashed store keep working through the migration")
    func migrationKeepsKeys() async throws {
        try await withTestServer { server in
            // Given the schema as it was: a plain-text key in auth_tokens, no api_tokens
            let sql = try server.sql
            try await sql.raw("DROP TABLE api_tokens").run()
            try await sql.raw("CREATE TABLE auth_tokens (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, user_id INTEGER NOT NULL UNIQUE, created TIMESTAMP NOT NULL)").run()
            let legacy = "00112233445566778899aabbccddeeff00112233"
            try await sql.raw("INSERT INTO auth_tokens (id, key, user_id, created) VALUES (1, \(bind: legacy), 1, \(bind: Date()))").run()

            // When the migration runs
            try await CreateAPITokens().prepare(on: server.app.db)

            // Then the old key authenticates, and only its hash is stored
            #expect(try await server.request(.GET, "/api/v2/findings/", token: legacy).status == .ok)
            let stored = try await sql.raw("SELECT key_hash, name FROM api_tokens").all()
            #expect(try stored.map { try $0.decode(column: "key_hash", as: String.self) } == [APITokenHash.of(legacy)])
            #expect(try stored.first?.decode(column: "name", as: String.self) == "default")
        }
    }
}
