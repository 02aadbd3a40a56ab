import BulwarkConnectors
import BulwarkParsers
import BulwarkStorage
import BulwarkTesting
import Foundation
import Testing

@Suite("test_types/, development_environments/, note_type/, sla_configurations/")
struct ConfigurationResourcesTests {
    typealias F = EngagementFixtures

    @Test("test_types: name is set on create only, there is no DELETE, anyone reads, superusers write")
    func testTypes() async throws {
        try await withTestServer { server in
            // Given
            let user = try await server.makeUser("someone")
            // When
            let created = try await server.request(.POST, "/api/v2/test_types/", json: #"{"name":"In-house Scanner","static_tool":true}"#)
            // Then
            #expect(created.status == .created, "\(created.body)")
            #expect(created.json.keys == ["id", "name", "static_tool", "dynamic_tool", "active"])
            #expect(created.json["static_tool"] == .bool(true) && created.json["dynamic_tool"] == .bool(false) && created.json["active"] == .bool(true))
            let id = try #require(created.json["id"]?.intValue)
            let put = try await server.request(.PUT, "/api/v2/test_types/\(id)/", json: #"{"name":"Renamed","active":false}"#)
            #expect(put.status == .ok)
            #expect(put.json["name"] == .string("In-house Scanner"))
            #expect(put.json["active"] == .bool(false))
            #expect(try await server.request(.DELETE, "/api/v2/test_types/\(id)/").status == .methodNotAllowed)
            #expect(try await server.request(.GET, "/api/v2/test_types/\(id)/delete_preview/").status != .ok)
            let duplicate = try await server.request(.POST, "/api/v2/test_types/", json: #"{"name":"In-house Scanner"}"#)
            #expect(duplicate.json["name"] == .array([.string("test_ type with this name already exists.")]))
            let missing = try await server.request(.POST, "/api/v2/test_types/", json: #"{}"#)
            #expect(missing.json["name"] == .array([.string("This field is required.")]))
            // A name no parser is registered under, so the fixture creates it.
            try await F.testType(server, "Manual Code Review")
            #expect(try await server.request(.GET, "/api/v2/test_types/?name=Manual%20Code%20Review").json["count"] == .int(1))
            // Every registered scan type is listed from the start, plus the two made here.
            let seeded = ParserRegistry.descriptors.count + ConnectorRegistry.descriptors.count
            #expect(try await server.request(.GET, "/api/v2/test_types/", token: user.token).json["count"] == .int(seeded + 2))
            #expect(try await server.request(.GET, "/api/v2/test_types/?name=ZAP%20Scan").json["count"] == .int(1))
            #expect(try await server.request(.POST, "/api/v2/test_types/", token: user.token, json: #"{"name":"X"}"#).status == .forbidden)
            #expect(try await server.request(.PATCH, "/api/v2/test_types/\(id)/", token: user.token, json: #"{"active":true}"#).status == .forbidden)
        }
    }

    @Test("development_environments: DefectDojo's six defaults, CRUD for superusers, 409 when a test uses one")
    func developmentEnvironments() async throws {
        try await withTestServer { server in
            let user = try await server.makeUser("someone")
            let list = try await server.request(.GET, "/api/v2/development_environments/", token: user.token)
            #expect(list.json["count"] == .int(6))
            #expect(list.json["results"]?.items.first?.keys == ["id", "name"])
            #expect(try await server.request(.POST, "/api/v2/development_environments/", token: user.token, json: #"{"name":"QA"}"#).status == .forbidden)
            let qa = try await F.post(server, "development_environments", #"{"name":"QA"}"#)
            let renamed = try await server.request(.PATCH, "/api/v2/development_environments/\(qa)/", json: #"{"name":"QA-2"}"#)
            #expect(renamed.json == .object([("id", .int(qa)), ("name", .string("QA-2"))]))
            let blank = try await server.request(.POST, "/api/v2/development_environments/", json: #"{"name":""}"#)
            #expect(blank.json["name"] == .array([.string("This field may not be blank.")]))
            let tree = try await F.engagementTree(server)
            let type = try await F.testType(server)
            try await F.test(server, engagement: tree.engagement, type: type, extra: #","environment":\#(qa)"#)
            let refused = try await server.request(.DELETE, "/api/v2/development_environments/\(qa)/")
            #expect(refused.status == .conflict)
            #expect(refused.json["message"]?.stringValue?.contains("'Test.environment'") == true)
            #expect(try await server.request(.DELETE, "/api/v2/development_environments/1/").status == .noContent)
        }
    }

    @Test("note_type: fields, defaults and filters for superusers; deleting a type deletes its notes")
    func noteTypes() async throws {
        try await withTestServer { server in
            // Given
            let user = try await server.makeUser("someone")
            let created = try await server.request(.POST, "/api/v2/note_type/", json: #"{"name":"Review","description":"Peer review"}"#)
            #expect(created.status == .created, "\(created.body)")
            #expect(created.json.keys == ["id", "name", "description", "is_single", "is_active", "is_mandatory"])
            #expect(created.json["is_single"] == .bool(false) && created.json["is_active"] == .bool(true) && created.json["is_mandatory"] == .bool(true))
            let id = try #require(created.json["id"]?.intValue)
            let noDescription = try await server.request(.POST, "/api/v2/note_type/", json: #"{"name":"Other"}"#)
            #expect(noDescription.json["description"] == .array([.string("This field is required.")]))
            #expect(try await server.request(.GET, "/api/v2/note_type/?is_single=false").json["count"] == .int(1))
            #expect(try await server.request(.GET, "/api/v2/note_type/?name=Nope").json["count"] == .int(0))
            #expect(try await server.request(.GET, "/api/v2/note_type/", token: user.token).status == .forbidden)
            let tree = try await F.engagementTree(server)
            _ = try await server.request(.POST, "/api/v2/engagements/\(tree.engagement)/notes/", json: #"{"entry":"typed","note_type":\#(id)}"#)
            // When
            let preview = try await server.request(.GET, "/api/v2/note_type/\(id)/delete_preview/")
            // Then
            #expect(preview.json["results"]?.items.compactMap { $0["model"]?.stringValue }.prefix(2) == ["Note_Type", "Notes"])
            #expect(try await server.request(.DELETE, "/api/v2/note_type/\(id)/").status == .noContent)
            let notes = try await server.request(.GET, "/api/v2/engagements/\(tree.engagement)/notes/")
            #expect(notes.json["notes"] == .array([]))
        }
    }

    @Test("sla_configurations: fields and defaults; the default and used ones cannot be deleted")
    func slaConfigurations() async throws {
        try await withTestServer { server in
            let user = try await server.makeUser("someone")
            let fields = ["id", "name", "description", "critical", "enforce_critical", "high", "enforce_high", "medium", "enforce_medium",
                          "low", "enforce_low", "restart_sla_on_reactivation"]
            let listed = try await server.request(.GET, "/api/v2/sla_configurations/")
            #expect(listed.json["count"] == .int(1))
            #expect(listed.json["results"]?.items.first?.keys == fields)
            let created = try await server.request(.POST, "/api/v2/sla_configurations/", json: #"{"name":"Strict","critical":1}"#)
            #expect(created.status == .created, "\(created.body)")
            #expect(created.json.keys == fields)
            #expect(created.json["critical"] == .int(1) && created.json["high"] == .int(30) && created.json["medium"] == .int(90))
            #expect(created.json["low"] == .int(120) && created.json["enforce_low"] == .bool(true))
            #expect(created.json["restart_sla_on_reactivation"] == .bool(false) && created.json["description"] == .null)
            let strict = try #require(created.json["id"]?.intValue)
            let duplicate = try await server.request(.POST, "/api/v2/sla_configurations/", json: #"{"name":"Strict"}"#)
            #expect(duplicate.status == .badRequest)
            let badDays = try await server.request(.PATCH, "/api/v2/sla_configurations/\(strict)/", json: #"{"high":"soon"}"#)
            #expect(badDays.json["high"] == .array([.string("A valid integer is required.")]))
            #expect(try await server.request(.GET, "/api/v2/sla_configurations/", token: user.token).status == .forbidden)
            let defaultDelete = try await server.request(.DELETE, "/api/v2/sla_configurations/1/")
            #expect(defaultDelete.status == .badRequest)
            #expect(defaultDelete.json["message"] == .string("['Unable to delete default SLA Configuration']"))
            let type = try await F.productType(server, "Web")
            let product = try await F.product(server, "Shop", type: type)
            _ = try await server.request(.PATCH, "/api/v2/products/\(product)/", json: #"{"sla_configuration":\#(strict)}"#)
            let used = try await server.request(.DELETE, "/api/v2/sla_configurations/\(strict)/")
            #expect(used.status == .conflict)
            #expect(used.json.keys == ["message"])
            _ = try await server.request(.PATCH, "/api/v2/products/\(product)/", json: #"{"sla_configuration":1}"#)
            #expect(try await server.request(.DELETE, "/api/v2/sla_configurations/\(strict)/").status == .noContent)
        }
    }
}
