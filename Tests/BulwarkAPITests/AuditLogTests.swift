import BulwarkAPI
import BulwarkServices
import BulwarkStorage
import BulwarkTesting
import Foundation
import SQLKit
import Testing

/// The audit log: who changed what on findings, products, engagements, tests, memberships, connectors
/// and tokens, with before and after values; `audit_log/` and its filters; retention.
@Suite("Audit log")
struct AuditLogTests {
    typealias R = ImportReports

    static func events(_ server: TestServer, _ query: String = "") async throws -> [JSONValue] {
        let response = try await server.request(.GET, "/api/v2/audit_log/?limit=1000" + query)
        #expect(response.status == .ok, "\(response.body)")
        return response.json["results"]?.items ?? []
    }

    @Test("Creating, changing and deleting a product records who did it and only the fields that changed")
    func productLifecycle() async throws {
        try await withTestServer { server in
            // When
            let type = try #require(try await server.request(.POST, "/api/v2/product_types/", json: #"{"name":"Web"}"#).json["id"]?.intValue)
            let product = try #require(try await server.request(.POST, "/api/v2/products/", json: #"{"name":"Shop","description":"Store","prod_type":\#(type)}"#)
                .json["id"]?.intValue)
            _ = try await server.request(.PATCH, "/api/v2/products/\(product)/", json: #"{"description":"Storefront"}"#)
            _ = try await server.request(.DELETE, "/api/v2/products/\(product)/")

            // Then
            let events = try await Self.events(server, "&object_type=product&object_id=\(product)")
            #expect(events.map { $0["action"]?.stringValue } == ["delete", "update", "create"])
            #expect(events.allSatisfy { $0["actor_name"] == .string("admin") && $0["actor"] == .int(1) && $0["object_name"] == .string("Shop") })
            let update = events[1]["changes"]
            #expect(update?.keys == ["description"])
            #expect(update?["description"]?["before"] == .string("Store"))
            #expect(update?["description"]?["after"] == .string("Storefront"))
            #expect(events[2]["changes"]?["name"]?["after"] == .string("Shop"))
            #expect(events[2]["changes"]?["name"]?["before"] == nil)
            #expect(events[0]["changes"]?["description"]?["before"] == .string("Storefront"))
            // A PATCH that changes nothing records nothing.
            let typeEvents = try await Self.events(server, "&object_type=product_type")
            _ = try await server.request(.PATCH, "/api/v2/product_types/\(type)/", json: #"{"name":"Web"}"#)
            #expect(try await Self.events(server, "&object_type=product_type").count == typeEvents.count)
        }
    }

    @Test("An import is one event with its statistics; triage records the status change, also on the finding's page")
    func importAndTriage() async throws {
        try await withTestServer { server in
            // Given an import of three findings
            let imported = try await server.importReport(report: R.generic(R.threeFindings), fields: [
                ("product_type_name", "Web"), ("product_name", "Shop"), ("engagement_name", "CI"), ("auto_create_context", "true"),
            ])
            let test = try #require(imported.json["test"]?.intValue)
            let importEvents = try await Self.events(server, "&action=import")
            #expect(importEvents.count == 1)
            #expect(importEvents.first?["object_type"] == .string("test") && importEvents.first?["object_id"] == .int(test))
            #expect(importEvents.first?["changes"]?["created"] == .int(3))
            #expect(try await Self.events(server, "&object_type=finding").isEmpty)

            // When one finding is closed
            let finding = try #require(try await server.findings(test: test).first?["id"]?.intValue)
            #expect(try await server.request(.POST, "/api/v2/findings/\(finding)/close/", json: "{}").status == .ok)

            // Then the close is recorded with its before and after
            let closes = try await Self.events(server, "&object_type=finding&object_id=\(finding)&action=close")
            #expect(closes.count == 1)
            #expect(closes.first?["changes"]?["active"]?["before"] == .bool(true))
            #expect(closes.first?["changes"]?["active"]?["after"] == .bool(false))
            #expect(closes.first?["changes"]?["is_mitigated"]?["after"] == .bool(true))

            // And the finding's page lists it
            let session = try #require(try await FormLogin.login(server))
            let page = try await server.request(.GET, "/finding/\(finding)", token: .some(nil), headers: [("Cookie", session.cookie)])
            #expect(page.body.contains("Who changed this finding"))
            #expect(page.body.contains("active: yes → no"))
        }
    }

    @Test("Tokens are recorded without their keys")
    func tokens() async throws {
        try await withTestServer { server in
            let created = try await server.request(.POST, "/api/v2/api_tokens/", json: #"{"name":"ci","scope":"read"}"#)
            let key = try #require(created.json["key"]?.stringValue)
            let id = try #require(created.json["token"]?["id"]?.intValue)
            _ = try await server.request(.DELETE, "/api/v2/api_tokens/\(id)/")
            let response = try await server.request(.GET, "/api/v2/audit_log/?object_type=token&object_id=\(id)")
            #expect(response.json["count"] == .int(2))
            #expect(!response.body.contains(key))
            #expect(response.body.contains(String(key.prefix(8))))
        }
    }

    @Test("Filters: object, actor, action and date range; superusers only; malformed values are 400s")
    func filtersAndAccess() async throws {
        try await withTestServer { server in
            let alice = try await server.makeUser("alice")
            _ = try await server.request(.POST, "/api/v2/product_types/", json: #"{"name":"One"}"#)
            #expect(try await Self.events(server, "&actor=1&action=create&object_type=product_type").count == 1)
            #expect(try await Self.events(server, "&actor=\(alice.id)").isEmpty)
            #expect(try await Self.events(server, "&created_after=2999-01-01T00:00:00Z").isEmpty)
            #expect(try await Self.events(server, "&created_before=2000-01-01").isEmpty)
            #expect(try await server.request(.GET, "/api/v2/audit_log/", token: alice.token).status == .forbidden)
            for bad in ["object_id=x", "actor=-1", "created_after=yesterday"] {
                #expect(try await server.request(.GET, "/api/v2/audit_log/?\(bad)").status == .badRequest, "\(bad)")
            }
        }
    }

    @Test("The maintenance job deletes events past BULWARK_AUDIT_RETENTION_DAYS")
    func retention() async throws {
        try await withTestServer(configure: { $0.auditRetentionDays = 10 }) { server in
            // Given one old and one recent event
            _ = try await server.request(.POST, "/api/v2/product_types/", json: #"{"name":"Old"}"#)
            _ = try await server.request(.POST, "/api/v2/product_types/", json: #"{"name":"New"}"#)
            try await server.sql.raw("UPDATE audit_log SET created = \(bind: Date().addingTimeInterval(-11 * 86_400)) WHERE object_name = 'Old'").run()

            // When the maintenance job runs
            let runtime = try #require(server.app.connectorRuntime)
            let runner = JobRunner(queue: JobQueue(database: server.app.db), connectors: runtime.service(server.app.db), worker: "t",
                                   auditRetentionDays: try #require(server.app.apiSettings?.auditRetentionDays))
            _ = try await runner.runDue()

            // Then only the recent one is left
            #expect(try await Self.events(server, "&object_type=product_type").compactMap { $0["object_name"]?.stringValue } == ["New"])
        }
    }
}
