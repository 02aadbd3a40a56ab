import BulwarkStorage
import BulwarkTesting
import Foundation
import Testing

@Suite("engagements/")
struct EngagementsTests {
    typealias F = EngagementFixtures

    @Test("An engagement renders DefectDojo 2.58's fields in order with their defaults")
    func fieldsAndDefaults() async throws {
        try await withTestServer { server in
            // Given
            let type = try await F.productType(server, "Web")
            let product = try await F.product(server, "Shop", type: type)
            // When
            let created = try await server.request(.POST, "/api/v2/engagements/", json: """
                {"product":\(product),"target_start":"2024-03-01","target_end":"2024-03-31","tags":["CI","ci"]}
                """)
            // Then
            #expect(created.status == .created, "\(created.body)")
            #expect(created.json.keys == F.engagementFields)
            #expect(created.json["active"] == .bool(true))
            #expect(created.json["status"] == .string("Not Started"))
            #expect(created.json["engagement_type"] == .string("Interactive"))
            #expect(created.json["progress"] == .string("threat_model"))
            #expect(created.json["tmodel_path"] == .string("none"))
            #expect(created.json["done_testing"] == .bool(false))
            #expect(created.json["threat_model"] == .bool(true) && created.json["check_list"] == .bool(true))
            #expect(created.json["deduplication_on_engagement"] == .bool(false))
            #expect(created.json["name"] == .null && created.json["lead"] == .null)
            #expect(created.json["target_start"] == .string("2024-03-01"))
            #expect(created.json["tags"] == .array([.string("ci")]))
            #expect(created.json["notes"] == .array([]) && created.json["files"] == .array([]) && created.json["risk_acceptance"] == .array([]))
            #expect(created.json["created"]?.stringValue != nil)
            let id = try #require(created.json["id"]?.intValue)
            let list = try await server.request(.GET, "/api/v2/engagements/")
            #expect(list.json.keys == ["count", "next", "previous", "results"])
            #expect(list.json["results"]?.items.first?.keys == F.engagementFields)
            let patched = try await server.request(.PATCH, "/api/v2/engagements/\(id)/", json: #"{"status":"On Hold","active":false}"#)
            #expect(patched.json["status"] == .string("On Hold"))
            #expect(patched.json["active"] == .bool(true))
        }
    }

    @Test("Engagement validation gives DRF's messages",
          arguments: [
              (#"{"target_start":"2024-01-01","target_end":"2024-01-02"}"#, "product", "This field is required."),
              (#"{"product":1,"target_end":"2024-01-02"}"#, "target_start", "This field is required."),
              (#"{"product":1,"target_start":"2024-02-01","target_end":"2024-01-02"}"#, "non_field_errors",
               "Your target start date exceeds your target end date"),
              (#"{"product":1,"target_start":"01/02/2024","target_end":"2024-01-02"}"#, "target_start",
               "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."),
              (#"{"product":1,"target_start":"2024-01-01","target_end":"2024-01-02","status":"Done"}"#, "status", "\"Done\" is not a valid choice."),
              (#"{"product":1,"target_start":"2024-01-01","target_end":"2024-01-02","tracker":"not a url"}"#, "tracker", "Enter a valid URL."),
              (#"{"product":1,"target_start":"2024-01-01","target_end":"2024-01-02","requester":4}"#, "requester",
               "Invalid pk \"4\" - object does not exist."),
              (#"{"product":1,"target_start":"2024-01-01","target_end":"2024-01-02","lead":77}"#, "lead", "Invalid pk \"77\" - object does not exist."),
              (#"{"product":1,"target_start":"2024-01-01","target_end":"2024-01-02","name":null,"version":"\#(String(repeating: "v", count: 101))"}"#,
               "version", "Ensure this field has no more than 100 characters."),
          ])
    func validation(body: String, field: String, message: String) async throws {
        try await withTestServer { server in
            let type = try await F.productType(server, "Web")
            _ = try await F.product(server, "Shop", type: type)
            let response = try await server.request(.POST, "/api/v2/engagements/", json: body)
            #expect(response.status == .badRequest)
            #expect(response.json[field]?.items.contains(.string(message)) == true, "\(response.body)")
        }
    }

    @Test("The start/end check applies on POST only; valid URLs are accepted")
    func startEndOnlyOnCreate() async throws {
        try await withTestServer { server in
            let tree = try await F.engagementTree(server)
            let patch = try await server.request(.PATCH, "/api/v2/engagements/\(tree.engagement)/", json: """
                {"target_start":"2030-01-01","tracker":"https://jira.example.com/browse/X-1","source_code_management_uri":""}
                """)
            #expect(patch.status == .ok, "\(patch.body)")
            #expect(patch.json["tracker"] == .string("https://jira.example.com/browse/X-1"))
        }
    }

    @Test("close and reopen set active and status; other methods are 405")
    func closeAndReopen() async throws {
        try await withTestServer { server in
            // Given
            let tree = try await F.engagementTree(server)
            // When
            let close = try await server.request(.POST, "/api/v2/engagements/\(tree.engagement)/close/")
            // Then
            #expect(close.status == .ok)
            #expect(close.json == .object([]))
            var engagement = try await server.request(.GET, "/api/v2/engagements/\(tree.engagement)/")
            #expect(engagement.json["active"] == .bool(false))
            #expect(engagement.json["status"] == .string("Completed"))
            #expect(try await server.request(.GET, "/api/v2/engagements/?active=false").json["count"] == .int(1))
            let reopen = try await server.request(.POST, "/api/v2/engagements/\(tree.engagement)/reopen/")
            #expect(reopen.status == .ok)
            engagement = try await server.request(.GET, "/api/v2/engagements/\(tree.engagement)/")
            #expect(engagement.json["active"] == .bool(true))
            #expect(engagement.json["status"] == .string("In Progress"))
            #expect(try await server.request(.GET, "/api/v2/engagements/\(tree.engagement)/close/").status == .methodNotAllowed)
            #expect(try await server.request(.POST, "/api/v2/engagements/999/close/").status == .notFound)
        }
    }

    @Test("Filters: fields, product type, tags of the engagement and of its product; o ordering")
    func filters() async throws {
        try await withTestServer { server in
            // Given
            let web = try await F.productType(server, "Web")
            let mobile = try await F.productType(server, "Mobile")
            let shop = try await F.product(server, "Shop", type: web, tags: ["pci", "eu"])
            let app = try await F.product(server, "App", type: mobile, tags: ["eu"])
            try await F.engagement(server, product: shop, name: "Alpha", tags: ["ci"], extra: #","status":"In Progress","version":"1.0""#)
            let beta = try await F.engagement(server, product: shop, name: "Beta")
            _ = try await server.request(.PATCH, "/api/v2/engagements/\(beta)/", json: #"{"target_start":"2023-05-01"}"#)
            try await F.engagement(server, product: app, name: "Gamma", tags: ["ci", "nightly"])
            func names(_ query: String) async throws -> [String] {
                let response = try await server.request(.GET, "/api/v2/engagements/?\(query)")
                #expect(response.status == .ok, "\(query): \(response.body)")
                return response.json["results"]?.items.compactMap { $0["name"]?.stringValue } ?? []
            }
            // Then
            #expect(try await names("product=\(shop)") == ["Alpha", "Beta"])
            #expect(try await names("product__prod_type=\(mobile)") == ["Gamma"])
            #expect(try await names("product__prod_type=\(web),\(mobile)").count == 3)
            #expect(try await names("name=Beta") == ["Beta"])
            #expect(try await names("status=In%20Progress") == ["Alpha"])
            #expect(try await names("version=1.0") == ["Alpha"])
            #expect(try await names("target_start=2023-05-01") == ["Beta"])
            #expect(try await names("tags=ci") == ["Alpha", "Gamma"])
            #expect(try await names("tags__and=ci,nightly") == ["Gamma"])
            #expect(try await names("not_tags=nightly") == ["Alpha", "Beta"])
            #expect(try await names("has_tags=false") == ["Beta"])
            #expect(try await names("product__tags=pci") == ["Alpha", "Beta"])
            #expect(try await names("product__tags__and=pci,eu") == ["Alpha", "Beta"])
            #expect(try await names("not_product__tags=pci") == ["Gamma"])
            #expect(try await names("o=-name") == ["Gamma", "Beta", "Alpha"])
            #expect(try await names("o=target_start,name") == ["Beta", "Alpha", "Gamma"])
            #expect(try await names("o=lead").count == 3)
            let bad = try await server.request(.GET, "/api/v2/engagements/?o=product")
            #expect(bad.status == .badRequest)
            #expect(bad.json["o"] == .array([.string("Select a valid choice. product is not one of the available choices.")]))
            let badType = try await server.request(.GET, "/api/v2/engagements/?product__prod_type=x")
            #expect(badType.json["product__prod_type"] == .array([.string("Enter a number.")]))
        }
    }

    @Test("RBAC: non-members get 404, readers view and add notes but cannot change, writers edit, maintainers delete")
    func rbac() async throws {
        try await withTestServer { server in
            // Given
            let tree = try await F.engagementTree(server)
            let other = try await F.product(server, "Other", type: tree.type)
            let outsider = try await server.makeUser("outsider")
            let reader = try await F.member(server, "reader", product: tree.product, role: 5)
            let writer = try await F.member(server, "writer", product: tree.product, role: 2)
            let importer = try await F.member(server, "importer", product: tree.product, role: 1)
            let maintainer = try await F.member(server, "maintainer", product: tree.product, role: 3)
            let path = "/api/v2/engagements/\(tree.engagement)/"
            // Then: outsiders see nothing
            #expect(try await server.request(.GET, "/api/v2/engagements/", token: outsider.token).json["count"] == .int(0))
            #expect(try await server.request(.GET, path, token: outsider.token).status == .notFound)
            #expect(try await server.request(.POST, path + "close/", token: outsider.token).status == .notFound)
            #expect(try await server.request(.GET, path + "notes/", token: outsider.token).status == .notFound)
            #expect(try await server.request(.GET, path + "delete_preview/", token: outsider.token).status == .notFound)
            // readers view, may add notes (DefectDojo checks Engagement_View), but not change
            #expect(try await server.request(.GET, path, token: reader.token).status == .ok)
            #expect(try await server.request(.PATCH, path, token: reader.token, json: #"{"name":"x"}"#).status == .forbidden)
            #expect(try await server.request(.POST, path + "close/", token: reader.token).status == .forbidden)
            #expect(try await server.request(.POST, path + "notes/", token: reader.token, json: #"{"entry":"seen"}"#).status == .created)
            let readerCreate = try await server.request(.POST, "/api/v2/engagements/", token: reader.token,
                                                        json: #"{"product":\#(tree.product),"target_start":"2024-01-01","target_end":"2024-01-01"}"#)
            #expect(readerCreate.status == .forbidden)
            // writers and API importers create and edit; only maintainers and owners delete
            #expect(try await server.request(.PATCH, path, token: writer.token, json: #"{"name":"x"}"#).status == .ok)
            #expect(try await server.request(.POST, path + "close/", token: writer.token).status == .ok)
            #expect(try await server.request(.DELETE, path, token: writer.token).status == .forbidden)
            let importerCreate = try await server.request(.POST, "/api/v2/engagements/", token: importer.token,
                                                          json: #"{"product":\#(tree.product),"target_start":"2024-01-01","target_end":"2024-01-01"}"#)
            #expect(importerCreate.status == .created)
            let move = try await server.request(.PATCH, path, token: writer.token, json: #"{"product":\#(other)}"#)
            #expect(move.status == .forbidden)
            #expect(move.json["detail"] == .string("You are not permitted to edit engagements in the destination product"))
            #expect(try await server.request(.DELETE, path, token: maintainer.token).status == .noContent)
        }
    }

    @Test("Deleting an engagement takes its tests, notes and tags; delete_preview lists them first")
    func cascade() async throws {
        try await withTestServer { server in
            // Given
            let tree = try await F.engagementTree(server)
            let type = try await F.testType(server)
            let test = try await F.test(server, engagement: tree.engagement, type: type, title: "Nightly", tags: ["t"])
            _ = try await server.request(.PATCH, "/api/v2/engagements/\(tree.engagement)/", json: #"{"tags":["e"]}"#)
            _ = try await server.request(.POST, "/api/v2/engagements/\(tree.engagement)/notes/", json: #"{"entry":"on engagement"}"#)
            _ = try await server.request(.POST, "/api/v2/tests/\(test)/notes/", json: #"{"entry":"on test"}"#)
            // When
            let preview = try await server.request(.GET, "/api/v2/engagements/\(tree.engagement)/delete_preview/")
            // Then
            #expect(preview.status == .ok)
            let items = preview.json["results"]?.items.map { [$0["model"]?.stringValue ?? "", $0["name"]?.stringValue ?? ""] } ?? []
            #expect(items == [["Engagement", "E"], ["Test", "Nightly"]])
            #expect(try await server.request(.DELETE, "/api/v2/engagements/\(tree.engagement)/").status == .noContent)
            #expect(try await server.request(.GET, "/api/v2/tests/\(test)/").status == .notFound)
            #expect(try await F.count(server, "SELECT COUNT(*) AS n FROM notes") == 0)
            #expect(try await F.count(server, "SELECT COUNT(*) AS n FROM note_links") == 0)
            #expect(try await F.count(server, "SELECT COUNT(*) AS n FROM tags WHERE object_type <> 'product'") == 0)
            #expect(try await server.request(.GET, "/api/v2/products/\(tree.product)/").status == .ok)
        }
    }
}
