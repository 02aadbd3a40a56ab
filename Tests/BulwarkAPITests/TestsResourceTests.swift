import BulwarkStorage
import BulwarkTesting
import Foundation
import Testing

@Suite("tests/")
struct TestsResourceTests {
    typealias F = EngagementFixtures

    @Test("A test renders DefectDojo 2.58's fields in order; engagement is fixed after create")
    func fieldsAndDefaults() async throws {
        try await withTestServer { server in
            // Given
            let tree = try await F.engagementTree(server)
            let second = try await F.engagement(server, product: tree.product, name: "Second")
            let type = try await F.testType(server, "Trivy Scan")
            // When
            let created = try await server.request(.POST, "/api/v2/tests/", json: """
                {"engagement":\(tree.engagement),"test_type":\(type),"target_start":"2024-01-01T10:00:00+02:00",
                 "target_end":"2024-01-02","environment":1,"tags":["Nightly"]}
                """)
            // Then
            #expect(created.status == .created, "\(created.body)")
            #expect(created.json.keys == F.testFields + ["prefetch"])
            #expect(created.json["test_type_name"] == .string("Trivy Scan"))
            #expect(created.json["target_start"] == .string("2024-01-01T08:00:00Z"))
            #expect(created.json["target_end"] == .string("2024-01-02T00:00:00Z"))
            #expect(created.json["finding_groups"] == .array([]) && created.json["notes"] == .array([]) && created.json["files"] == .array([]))
            #expect(created.json["title"] == .null && created.json["percent_complete"] == .null)
            #expect(created.json["environment"] == .int(1))
            #expect(created.json["tags"] == .array([.string("nightly")]))
            let id = try #require(created.json["id"]?.intValue)
            let patched = try await server.request(.PATCH, "/api/v2/tests/\(id)/", json: #"{"engagement":\#(second),"title":"Renamed"}"#)
            #expect(patched.status == .ok)
            #expect(patched.json["engagement"] == .int(tree.engagement))
            #expect(patched.json["title"] == .string("Renamed"))
            let put = try await server.request(.PUT, "/api/v2/tests/\(id)/", json: #"{"test_type":\#(type),"target_start":"2024-01-01","target_end":"2024-01-03"}"#)
            #expect(put.status == .ok, "\(put.body)")
            let list = try await server.request(.GET, "/api/v2/tests/?prefetch=test_type,engagement")
            #expect(list.json.keys == ["count", "next", "previous", "results", "prefetch"])
            #expect(list.json["prefetch"]?["test_type"]?["\(type)"]?["name"] == .string("Trivy Scan"))
            #expect(list.json["prefetch"]?["engagement"]?["\(tree.engagement)"]?["name"] == .string("E"))
        }
    }

    @Test("Test validation gives DRF's messages",
          arguments: [
              (#"{"test_type":1,"target_start":"2024-01-01","target_end":"2024-01-02"}"#, "engagement", "This field is required."),
              (#"{"engagement":1,"target_start":"2024-01-01","target_end":"2024-01-02"}"#, "test_type", "This field is required."),
              (#"{"engagement":1,"test_type":1,"target_end":"2024-01-02"}"#, "target_start", "This field is required."),
              (#"{"engagement":1,"test_type":1,"target_start":"soon","target_end":"2024-01-02"}"#, "target_start",
               "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."),
              (#"{"engagement":9,"test_type":1,"target_start":"2024-01-01","target_end":"2024-01-02"}"#, "engagement",
               "Invalid pk \"9\" - object does not exist."),
              (#"{"engagement":1,"test_type":1,"target_start":"2024-01-01","target_end":"2024-01-02","environment":99}"#, "environment",
               "Invalid pk \"99\" - object does not exist."),
              (#"{"engagement":1,"test_type":1,"target_start":"2024-01-01","target_end":"2024-01-02","scan_type":""}"#, "scan_type",
               "This field may not be blank."),
              (#"{"engagement":1,"test_type":1,"target_start":"2024-01-01","target_end":"2024-01-02","api_scan_configuration":3}"#,
               "api_scan_configuration", "Invalid pk \"3\" - object does not exist."),
          ])
    func validation(body: String, field: String, message: String) async throws {
        try await withTestServer { server in
            _ = try await F.engagementTree(server)
            _ = try await F.testType(server)
            let response = try await server.request(.POST, "/api/v2/tests/", json: body)
            #expect(response.status == .badRequest)
            #expect(response.json[field]?.items.contains(.string(message)) == true, "\(response.body)")
        }
    }

    @Test("Filters: fields, notes, own tags, engagement tags and product tags; o ordering")
    func filters() async throws {
        try await withTestServer { server in
            // Given
            let type = try await F.productType(server, "Web")
            let shop = try await F.product(server, "Shop", type: type, tags: ["pci"])
            let app = try await F.product(server, "App", type: type, tags: ["mobile"])
            let e1 = try await F.engagement(server, product: shop, tags: ["ci"])
            let e2 = try await F.engagement(server, product: app, tags: ["ci", "release"])
            let zap = try await F.testType(server, "Nmap Scan")
            let trivy = try await F.testType(server, "Trivy Scan")
            let a = try await F.test(server, engagement: e1, type: zap, title: "Alpha", tags: ["dast"], extra: #","branch_tag":"main""#)
            try await F.test(server, engagement: e2, type: trivy, title: "Beta")
            try await F.test(server, engagement: e2, type: zap, title: "Gamma", tags: ["dast", "weekly"])
            let note = try await server.request(.POST, "/api/v2/tests/\(a)/notes/", json: #"{"entry":"x"}"#)
            let noteID = try #require(note.json["id"]?.intValue)
            func titles(_ query: String) async throws -> [String] {
                let response = try await server.request(.GET, "/api/v2/tests/?\(query)")
                #expect(response.status == .ok, "\(query): \(response.body)")
                return response.json["results"]?.items.compactMap { $0["title"]?.stringValue } ?? []
            }
            // Then
            #expect(try await titles("engagement=\(e2)") == ["Beta", "Gamma"])
            #expect(try await titles("test_type=\(zap)") == ["Alpha", "Gamma"])
            #expect(try await titles("title=Beta") == ["Beta"])
            #expect(try await titles("branch_tag=main") == ["Alpha"])
            #expect(try await titles("notes=\(noteID)") == ["Alpha"])
            #expect(try await titles("tags=weekly") == ["Gamma"])
            #expect(try await titles("not_tag=week") == ["Alpha", "Beta"])
            #expect(try await titles("engagement__tags=release") == ["Beta", "Gamma"])
            #expect(try await titles("engagement__tags__and=ci,release") == ["Beta", "Gamma"])
            #expect(try await titles("not_engagement__tags=release") == ["Alpha"])
            #expect(try await titles("engagement__product__tags=pci") == ["Alpha"])
            #expect(try await titles("engagement__product__tags__and=pci,mobile").isEmpty)
            #expect(try await titles("not_engagement__product__tags=pci") == ["Beta", "Gamma"])
            #expect(try await titles("o=-title") == ["Gamma", "Beta", "Alpha"])
            // Test type ids come from the parser registry, so the expected order follows them.
            #expect(try await titles("o=test_type,title") == (zap < trivy ? ["Alpha", "Gamma", "Beta"] : ["Beta", "Alpha", "Gamma"]))
            let bad = try await server.request(.GET, "/api/v2/tests/?engagement=x")
            #expect(bad.json["engagement"] == .array([.string("Enter a number.")]))
        }
    }

    @Test("RBAC goes through the engagement's product")
    func rbac() async throws {
        try await withTestServer { server in
            // Given
            let tree = try await F.engagementTree(server)
            let type = try await F.testType(server)
            let test = try await F.test(server, engagement: tree.engagement, type: type)
            let outsider = try await server.makeUser("outsider")
            let reader = try await F.member(server, "reader", product: tree.product, role: 5)
            let importer = try await F.member(server, "importer", product: tree.product, role: 1)
            let writer = try await F.member(server, "writer", product: tree.product, role: 2)
            let maintainer = try await F.member(server, "maintainer", product: tree.product, role: 3)
            let path = "/api/v2/tests/\(test)/"
            let body = #"{"engagement":\#(tree.engagement),"test_type":\#(type),"target_start":"2024-01-01","target_end":"2024-01-02"}"#
            // Then
            #expect(try await server.request(.GET, "/api/v2/tests/", token: outsider.token).json["count"] == .int(0))
            #expect(try await server.request(.GET, path, token: outsider.token).status == .notFound)
            #expect(try await server.request(.GET, path + "notes/", token: outsider.token).status == .notFound)
            // An engagement outside the outsider's reach is answered as if it did not exist (issue: no existence leaks).
            let outside = try await server.request(.POST, "/api/v2/tests/", token: outsider.token, json: body)
            #expect(outside.status == .badRequest && outside.json["engagement"] != nil, "\(outside.body)")
            #expect(try await server.request(.GET, "/api/v2/tests/", token: reader.token).json["count"] == .int(1))
            #expect(try await server.request(.PATCH, path, token: reader.token, json: #"{"title":"x"}"#).status == .forbidden)
            #expect(try await server.request(.POST, "/api/v2/tests/", token: reader.token, json: body).status == .forbidden)
            #expect(try await server.request(.POST, "/api/v2/tests/", token: importer.token, json: body).status == .forbidden)
            #expect(try await server.request(.PATCH, path, token: importer.token, json: #"{"title":"x"}"#).status == .ok)
            #expect(try await server.request(.POST, "/api/v2/tests/", token: writer.token, json: body).status == .created)
            #expect(try await server.request(.DELETE, path, token: writer.token).status == .forbidden)
            #expect(try await server.request(.DELETE, path, token: maintainer.token).status == .noContent)
        }
    }

    @Test("Deleting a test takes its notes and tags; delete_preview starts with the test")
    func cascade() async throws {
        try await withTestServer { server in
            let tree = try await F.engagementTree(server)
            let type = try await F.testType(server)
            let test = try await F.test(server, engagement: tree.engagement, type: type, title: "Doomed", tags: ["x"])
            _ = try await server.request(.POST, "/api/v2/tests/\(test)/notes/", json: #"{"entry":"bye"}"#)
            let preview = try await server.request(.GET, "/api/v2/tests/\(test)/delete_preview/")
            #expect(preview.json["results"]?.items.first == .object([("model", .string("Test")), ("id", .int(test)), ("name", .string("Doomed"))]))
            #expect(try await server.request(.DELETE, "/api/v2/tests/\(test)/").status == .noContent)
            #expect(try await F.count(server, "SELECT COUNT(*) AS n FROM notes") == 0)
            #expect(try await F.count(server, "SELECT COUNT(*) AS n FROM tags WHERE object_type = 'test'") == 0)
            #expect(try await server.request(.GET, "/api/v2/engagements/\(tree.engagement)/").status == .ok)
        }
    }
}
