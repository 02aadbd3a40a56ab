import BulwarkStorage
import BulwarkTesting
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Connector pages: list with health, records and operations, queued runs, bulk mapping")
struct ConnectorPageTests {
    /// Creates a connector through the API (nothing listens at its location; nothing here runs it).
    static func connector(_ server: TestServer, label: String = "main") async throws -> Int {
        let response = try await server.request(.POST, "/api/v2/connectors/", json: """
            {"tool":"dependency_track","label":"\(label)","location":"http://127.0.0.1:9/","secret":"k3y"}
            """)
        #expect(response.status == .created, "\(response.body)")
        return try #require(response.json["id"]?.intValue)
    }

    /// Adds a discovered record directly, as a discover would.
    static func record(_ server: TestServer, connector: Int, name: String) async throws -> Int {
        let now = Date()
        let row = try await server.sql.raw("""
            INSERT INTO connector_records (connector_id, external_id, name, state, first_discovered, last_discovered, metadata)
            VALUES (\(bind: connector), \(bind: "ext-\(name)"), \(bind: name), 'new', \(bind: now), \(bind: now), '{}') RETURNING id
            """).first()
        return try #require(try row?.decode(column: "id", as: Int.self))
    }

    static func recordState(_ server: TestServer, _ id: Int) async throws -> (state: String, product: Int?) {
        let row = try #require(try await server.sql.raw("SELECT state, product_id FROM connector_records WHERE id = \(bind: id)").first())
        return (try row.decode(column: "state", as: String.self), try row.decode(column: "product_id", as: Int?.self))
    }

    @Test("The list shows each connector's health; the detail page its records; only superusers see them")
    func listAndDetail() async throws {
        try await withTestServer { server in
            // Given
            let id = try await Self.connector(server, label: "Portfolio")
            _ = try await Self.record(server, connector: id, name: "payments-api")
            let session = try #require(try await WebSession.login(server))
            // When
            let list = try await session.get("/connectors")
            let detail = try await session.get("/connectors/\(id)")
            // Then
            #expect(list.status == .ok)
            #expect(list.body.contains("href=\"/connectors/\(id)\">Portfolio</a>"))
            #expect(list.body.contains("dependency_track") && list.body.contains("unknown"))
            #expect(detail.status == .ok)
            #expect(detail.body.contains("payments-api") && detail.body.contains("ext-payments-api"))
            #expect(detail.body.contains("No records yet") == false)
            #expect(try await session.get("/connectors/999999").status == .notFound)
            _ = try await server.makeUser("reader", password: "Us3r-Passw0rd!")
            let reader = try #require(try await WebSession.login(server, username: "reader", password: "Us3r-Passw0rd!"))
            #expect(try await reader.get("/connectors").status == .forbidden)
            #expect(try await reader.get("/connectors/\(id)").status == .forbidden)
        }
    }

    @Test("Sync queues an operation and its job in one go; a second click while it waits is refused; no CSRF, nothing queued")
    func queueSync() async throws {
        try await withTestServer { server in
            // Given
            let id = try await Self.connector(server)
            let session = try #require(try await WebSession.login(server))
            // When
            let forged = try await session.post("/connectors/\(id)/sync", [], csrf: false)
            let first = try await session.post("/connectors/\(id)/sync", [])
            let second = try await session.post("/connectors/\(id)/discover", [])
            // Then
            #expect(forged.status == .forbidden)
            #expect(first.status == .seeOther)
            #expect(second.status == .seeOther)
            #expect(try await server.count("connector_operations") == 1)
            let job = try #require(try await server.sql.raw("SELECT kind, operation_id FROM jobs WHERE connector_id = \(bind: id)").first())
            #expect(try job.decode(column: "kind", as: String.self) == "connector_operation")
            let page = try await session.get("/connectors/\(id)")
            #expect(page.body.contains("is queued or running"))
            #expect(page.body.contains("<td>sync</td><td>manual</td><td>queued</td>"))
        }
    }

    @Test("Bulk mapping maps, ignores and unmaps the selected records with the API's state rules")
    func bulkMapping() async throws {
        try await withTestServer { server in
            // Given
            let id = try await Self.connector(server)
            let other = try await Self.connector(server, label: "other")
            let a = try await Self.record(server, connector: id, name: "a")
            let b = try await Self.record(server, connector: id, name: "b")
            let foreign = try await Self.record(server, connector: other, name: "c")
            let chain = try await server.makeChain(name: "Shop")
            let session = try #require(try await WebSession.login(server))
            // When / Then
            let mapped = try await session.post("/connectors/\(id)/records", [
                ("record", "\(a)"), ("record", "\(b)"), ("record", "\(foreign)"), ("change", "map"), ("product", "\(chain.product)")])
            #expect(mapped.status == .seeOther)
            #expect(try await Self.recordState(server, a) == ("good", chain.product))
            #expect(try await Self.recordState(server, b) == ("good", chain.product))
            #expect(try await Self.recordState(server, foreign) == ("new", nil))
            _ = try await session.post("/connectors/\(id)/records", [("record", "\(a)"), ("change", "ignore")])
            #expect(try await Self.recordState(server, a) == ("ignored", chain.product))
            _ = try await session.post("/connectors/\(id)/records", [("record", "\(b)"), ("change", "unmap")])
            #expect(try await Self.recordState(server, b) == ("new", nil))
            let unknown = try await session.post("/connectors/\(id)/records", [("record", "\(b)"), ("change", "map"), ("product", "999999")])
            #expect(unknown.status == .seeOther)
            #expect(try await Self.recordState(server, b) == ("new", nil))
            let forged = try await session.post("/connectors/\(id)/records", [("record", "\(b)"), ("change", "ignore")], csrf: false)
            #expect(forged.status == .forbidden)
            #expect(try await Self.recordState(server, b) == ("new", nil))
        }
    }
}
