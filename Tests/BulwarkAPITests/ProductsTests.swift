import BulwarkStorage
import BulwarkTesting
import Foundation
import Testing

@Suite("product_types/ and products/")
struct ProductsTests {
    static let productFields = [
        "id", "findings_count", "findings_list", "tags", "product_meta", "name", "description", "created", "prod_numeric_grade",
        "business_criticality", "platform", "lifecycle", "origin", "user_records", "revenue", "external_audience", "internet_accessible",
        "enable_product_tag_inheritance", "enable_simple_risk_acceptance", "enable_full_risk_acceptance", "disable_sla_breach_notifications",
        "product_manager", "technical_contact", "team_manager", "prod_type", "sla_configuration", "regulations", "members", "authorization_groups",
    ]

    @discardableResult
    static func makeProduct(_ server: TestServer, name: String, type: Int, tags: [String] = [], extra: String = "") async throws -> Int {
        let tagList = tags.map { "\"\($0)\"" }.joined(separator: ",")
        let response = try await server.request(.POST, "/api/v2/products/", json: """
            {"name":"\(name)","description":"About \(name)","prod_type":\(type),"tags":[\(tagList)]\(extra)}
            """)
        #expect(response.status == .created, "\(response.body)")
        return try #require(response.json["id"]?.intValue)
    }

    static func makeType(_ server: TestServer, name: String) async throws -> Int {
        let response = try await server.request(.POST, "/api/v2/product_types/", json: #"{"name":"\#(name)"}"#)
        #expect(response.status == .created, "\(response.body)")
        return try #require(response.json["id"]?.intValue)
    }

    @Test("A product type round-trips with DefectDojo's fields and defaults")
    func productTypeCRUD() async throws {
        try await withTestServer { server in
            // When
            let created = try await server.request(.POST, "/api/v2/product_types/", json: #"{"name":"Payments","critical_product":true}"#)
            // Then
            #expect(created.status == .created)
            #expect(created.json.keys == ["id", "name", "description", "critical_product", "key_product", "created", "updated",
                                          "members", "authorization_groups", "prefetch"])
            #expect(created.json["critical_product"] == .bool(true))
            #expect(created.json["key_product"] == .bool(false))
            #expect(created.json["description"] == .null)
            let id = try #require(created.json["id"]?.intValue)
            let put = try await server.request(.PUT, "/api/v2/product_types/\(id)/", json: #"{"name":"Payments EU","description":"x"}"#)
            #expect(put.status == .ok)
            #expect(put.json["name"] == .string("Payments EU"))
            let putMissing = try await server.request(.PUT, "/api/v2/product_types/\(id)/", json: #"{"description":"x"}"#)
            #expect(putMissing.status == .badRequest)
            #expect(putMissing.json["name"] == .array([.string("This field is required.")]))
            let duplicate = try await server.request(.POST, "/api/v2/product_types/", json: #"{"name":"Payments EU"}"#)
            #expect(duplicate.json["name"] == .array([.string("product_ type with this name already exists.")]))
        }
    }

    @Test("A product renders every field in DefectDojo 2.x order with its defaults")
    func productFieldsAndDefaults() async throws {
        try await withTestServer { server in
            let type = try await Self.makeType(server, name: "Web")
            let id = try await Self.makeProduct(server, name: "Shop", type: type, tags: ["PCI", "pci", " web "])
            let product = try await server.request(.GET, "/api/v2/products/\(id)/")
            #expect(product.json.keys == Self.productFields + ["prefetch"])
            #expect(product.json["tags"] == .array([.string("pci"), .string("web")]))
            #expect(product.json["enable_full_risk_acceptance"] == .bool(true))
            #expect(product.json["sla_configuration"] == .int(1))
            #expect(product.json["members"] == .array([.int(1)]))
            #expect(product.json["findings_count"] == .int(0))
        }
    }

    @Test("Product validation gives DRF's field messages",
          arguments: [
              (#"{"name":"P","description":"d"}"#, "prod_type", "This field is required."),
              (#"{"name":"P","description":"d","prod_type":99}"#, "prod_type", "Invalid pk \"99\" - object does not exist."),
              (#"{"name":"P","description":"d","prod_type":"one"}"#, "prod_type", "Incorrect type. Expected pk value, received str."),
              (#"{"name":"P","description":"d","prod_type":1,"platform":"mainframe"}"#, "platform", "\"mainframe\" is not a valid choice."),
              (#"{"name":"P","description":"d","prod_type":1,"user_records":-1}"#, "user_records", "Ensure this value is greater than or equal to 0."),
              (#"{"name":"P","description":"d","prod_type":1,"prod_numeric_grade":"x"}"#, "prod_numeric_grade", "A valid integer is required."),
              (#"{"name":"P","prod_type":1}"#, "description", "This field is required."),
              (#"{"name":"","description":"d","prod_type":1}"#, "name", "This field may not be blank."),
              (#"{"name":null,"description":"d","prod_type":1}"#, "name", "This field may not be null."),
              (#"{"name":"P","description":"d","prod_type":1,"regulations":[5]}"#, "regulations", "Invalid pk \"5\" - object does not exist."),
          ])
    func productValidation(body: String, field: String, message: String) async throws {
        try await withTestServer { server in
            _ = try await Self.makeType(server, name: "Web")
            let response = try await server.request(.POST, "/api/v2/products/", json: body)
            #expect(response.status == .badRequest)
            #expect(response.json[field]?.items.contains(.string(message)) == true, "\(response.body)")
        }
    }

    @Test("Forms and multipart bodies create products like JSON does")
    func formBodies() async throws {
        try await withTestServer { server in
            let type = try await Self.makeType(server, name: "Web")
            let form = try await server.request(.POST, "/api/v2/products/", form: [
                ("name", "FormApp"), ("description", "d"), ("prod_type", "\(type)"), ("tags", "a"), ("tags", "b"), ("internet_accessible", "true"),
            ])
            #expect(form.status == .created, "\(form.body)")
            #expect(form.json["tags"] == .array([.string("a"), .string("b")]))
            #expect(form.json["internet_accessible"] == .bool(true))
            let boundary = "XyZ"
            let multipart = [("name", "MultiApp"), ("description", "d"), ("prod_type", "\(type)")]
                .map { "--\(boundary)\r\nContent-Disposition: form-data; name=\"\($0.0)\"\r\n\r\n\($0.1)\r\n" }.joined() + "--\(boundary)--\r\n"
            let response = try await server.request(.POST, "/api/v2/products/", body: multipart, contentType: "multipart/form-data; boundary=\(boundary)")
            #expect(response.status == .created, "\(response.body)")
            #expect(response.json["name"] == .string("MultiApp"))
        }
    }

    @Test("Filters: named ones, tag filters and generic lookups")
    func filters() async throws {
        try await withTestServer { server in
            // Given
            let web = try await Self.makeType(server, name: "Web")
            let mobile = try await Self.makeType(server, name: "Mobile")
            try await Self.makeProduct(server, name: "Alpha Shop", type: web, tags: ["pci", "eu"], extra: #","platform":"web","user_records":10"#)
            try await Self.makeProduct(server, name: "Beta App", type: mobile, tags: ["eu"], extra: #","platform":"mobile","user_records":500"#)
            try await Self.makeProduct(server, name: "Gamma", type: web, extra: #","platform":"iot""#)
            func names(_ query: String) async throws -> [String] {
                let response = try await server.request(.GET, "/api/v2/products/?\(query)")
                #expect(response.status == .ok, "\(query): \(response.body)")
                return response.json["results"]?.items.compactMap { $0["name"]?.stringValue } ?? []
            }
            // Then
            #expect(try await names("name=shop") == ["Alpha Shop"])
            #expect(try await names("name_exact=gamma") == ["Gamma"])
            #expect(try await names("prod_type=\(web)") == ["Alpha Shop", "Gamma"])
            #expect(try await names("prod_type=\(web),\(mobile)").count == 3)
            #expect(try await names("platform=web&platform=mobile") == ["Alpha Shop", "Beta App"])
            #expect(try await names("tags=pci") == ["Alpha Shop"])
            #expect(try await names("tags=pci,eu") == ["Alpha Shop", "Beta App"])
            #expect(try await names("tags__and=pci,eu") == ["Alpha Shop"])
            #expect(try await names("not_tags=eu") == ["Gamma"])
            #expect(try await names("tag=p") == ["Alpha Shop"])
            #expect(try await names("not_tag=e") == ["Gamma"])
            #expect(try await names("has_tags=false") == ["Gamma"])
            #expect(try await names("has_tags=true").count == 2)
            #expect(try await names("user_records__gt=100") == ["Beta App"])
            #expect(try await names("user_records__lt=100") == ["Alpha Shop"])
            #expect(try await names("name__contains=App") == ["Beta App"])
            #expect(try await names("name__icontains=APP") == ["Beta App"])
            #expect(try await names("platform__in=iot,web") == ["Alpha Shop", "Gamma"])
            #expect(try await names("created__gt=2000-01-01").count == 3)
            #expect(try await names("created__lt=2000-01-01").isEmpty)
            #expect(try await names("created=1").count == 3)
            #expect(try await names("unknown_param=1&name__bogus=2").count == 3)
            #expect(try await names("o=-name") == ["Gamma", "Beta App", "Alpha Shop"])
            let bad = try await server.request(.GET, "/api/v2/products/?id=abc")
            #expect(bad.status == .badRequest)
            #expect(bad.json["id"] == .array([.string("Enter a number.")]))
        }
    }

    @Test("Deleting a product type cascades; delete_preview lists what would go")
    func cascade() async throws {
        try await withTestServer { server in
            let type = try await Self.makeType(server, name: "Doomed")
            let product = try await Self.makeProduct(server, name: "Gone", type: type, tags: ["x"])
            let preview = try await server.request(.GET, "/api/v2/product_types/\(type)/delete_preview/")
            #expect(preview.status == .ok)
            let models = preview.json["results"]?.items.compactMap { $0["model"]?.stringValue } ?? []
            #expect(models.contains("Product_Type") && models.contains("Product"))
            #expect(preview.json["results"]?.items.first?.keys == ["model", "id", "name"])
            let delete = try await server.request(.DELETE, "/api/v2/product_types/\(type)/")
            #expect(delete.status == .noContent)
            #expect(try await server.request(.GET, "/api/v2/products/\(product)/").status == .notFound)
            let tagRows = try await server.sql.raw("SELECT COUNT(*) AS n FROM tags").first()
            #expect(try tagRows?.decode(column: "n", as: Int.self) == 0)
        }
    }

    @Test("Non-members see nothing; readers may view but not change; owners may")
    func rbac() async throws {
        try await withTestServer { server in
            // Given
            let type = try await Self.makeType(server, name: "Secret")
            let product = try await Self.makeProduct(server, name: "Vault", type: type)
            let outsider = try await server.makeUser("outsider")
            let reader = try await server.makeUser("reader")
            let owner = try await server.makeUser("owner")
            try await server.sql.raw("INSERT INTO product_members (product_id, user_id, role_id) VALUES (\(bind: product), \(bind: reader.id), 5)").run()
            try await server.sql.raw("INSERT INTO product_type_members (product_type_id, user_id, role_id) VALUES (\(bind: type), \(bind: owner.id), 4)").run()
            // Then
            let outsiderList = try await server.request(.GET, "/api/v2/products/", token: outsider.token)
            #expect(outsiderList.json["count"] == .int(0))
            #expect(try await server.request(.GET, "/api/v2/products/\(product)/", token: outsider.token).status == .notFound)
            #expect(try await server.request(.GET, "/api/v2/products/\(product)/", token: reader.token).status == .ok)
            let readerPatch = try await server.request(.PATCH, "/api/v2/products/\(product)/", token: reader.token, json: #"{"description":"x"}"#)
            #expect(readerPatch.status == .forbidden)
            let ownerPatch = try await server.request(.PATCH, "/api/v2/products/\(product)/", token: owner.token, json: #"{"description":"x"}"#)
            #expect(ownerPatch.status == .ok)
            let readerTypes = try await server.request(.GET, "/api/v2/product_types/", token: reader.token)
            #expect(readerTypes.json["count"] == .int(1))
            let createType = try await server.request(.POST, "/api/v2/product_types/", token: reader.token, json: #"{"name":"Mine"}"#)
            #expect(createType.status == .forbidden)
            let createProduct = try await server.request(.POST, "/api/v2/products/", token: owner.token,
                                                         json: #"{"name":"New","description":"d","prod_type":\#(type)}"#)
            #expect(createProduct.status == .created)
        }
    }

    @Test("prefetch adds the referred objects keyed by id")
    func prefetch() async throws {
        try await withTestServer { server in
            let type = try await Self.makeType(server, name: "Web")
            try await Self.makeProduct(server, name: "Shop", type: type)
            let response = try await server.request(.GET, "/api/v2/products/?prefetch=prod_type,members")
            #expect(response.json.keys == ["count", "next", "previous", "results", "prefetch"])
            #expect(response.json["prefetch"]?["prod_type"]?["\(type)"]?["name"] == .string("Web"))
            #expect(response.json["prefetch"]?["members"]?["1"]?["username"] == .string("admin"))
        }
    }
}
