import BulwarkAPI
import BulwarkServices
import BulwarkStorage
import BulwarkTesting
import Foundation
import Testing
import Vapor

@Suite("OpenAPI schema: generated from the served routes, DefectDojo's names, responses that conform")
struct OpenAPITests {
    static func document(_ server: TestServer) async throws -> JSONValue {
        let response = try await server.request(.GET, "/api/v2/oa3/schema/?format=json", token: .some(nil))
        #expect(response.status == .ok)
        return response.json
    }

    /// `(method, path)` of every operation in the document.
    static func operations(_ document: JSONValue) -> [(method: String, path: String, operation: JSONValue)] {
        guard case .object(let paths)? = document["paths"] else { return [] }
        return paths.flatMap { path, item in
            guard case .object(let methods) = item else { return [(method: String, path: String, operation: JSONValue)]() }
            return methods.map { (method: $0.0, path: path, operation: $0.1) }
        }
    }

    @Test("Every API route the router serves is in the document, and nothing else is")
    func everyRouteDocumented() async throws {
        try await withTestServer { server in
            let routes = server.app.routes.all
            #expect(OpenAPIDocument.undocumentedRoutes(routes) == [])
            let documented = Set(Self.operations(try await Self.document(server)).map { "\($0.method.uppercased()) \($0.path)" })
            let served = Set(routes.filter { $0.apiOperation != nil && !$0.isMethodFallback }.map { route in
                "\(route.method.rawValue) /" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/") + "/"
            })
            #expect(documented == served)
            #expect(documented.contains("POST /api/v2/import-scan/"))
            #expect(documented.contains("POST /api/v2/findings/{id}/close/"))
            #expect(documented.contains("GET /api/v2/findings/{id}/delete_preview/"))
            #expect(!documented.contains("DELETE /api/v2/test_types/{id}/"), "test_types has no DELETE")
        }
    }

    @Test("Served as YAML by default and as JSON with ?format=json, without a token; other formats are 404")
    func servedFormats() async throws {
        try await withTestServer { server in
            let yaml = try await server.request(.GET, "/api/v2/oa3/schema/", token: .some(nil))
            #expect(yaml.status == .ok)
            #expect(yaml.headers.first(name: .contentType)?.hasPrefix("application/vnd.oai.openapi") == true)
            let json = try await server.request(.GET, "/api/v2/oa3/schema/?format=json", token: .some(nil))
            #expect(json.headers.first(name: .contentType) == "application/json")
            #expect(json.json["openapi"] == .string("3.0.3"))
            #expect(json.json["info"]?["title"] == .string("DefectDojo API v2"))
            #expect(json.json.yaml() == yaml.body, "the YAML is the same document")
            #expect(yaml.body.hasPrefix("\"openapi\": \"3.0.3\"\n"))
            #expect(try await server.request(.GET, "/api/v2/oa3/schema/?format=xml", token: .some(nil)).status == .notFound)
            #expect(try await server.request(.POST, "/api/v2/oa3/schema/", token: .some(nil)).status == .methodNotAllowed)
        }
    }

    @Test("Components carry DefectDojo's names, every $ref resolves, and filters, o, limit, offset and prefetch are parameters")
    func componentsAndParameters() async throws {
        try await withTestServer { server in
            let document = try await Self.document(server)
            let conformance = SchemaConformance(document: document)
            for name in ["Finding", "FindingCreateRequest", "FindingRequest", "PatchedFindingRequest", "PaginatedFindingList",
                         "ProductType", "ProductTypeRequest", "PatchedProductTypeRequest", "PaginatedProductTypeList",
                         "TestCreateRequest", "TestTypeCreateRequest", "ImportScanRequest", "ImportScan", "ReImportScanRequest",
                         "FindingCloseRequest", "FindingToNotes", "AddNewNoteOptionRequest", "UserProfile", "AuthTokenRequest"] {
                #expect(conformance.component(name) != nil, "missing component \(name)")
            }
            for reference in SchemaConformance.references(in: document) {
                let name = reference.replacingOccurrences(of: "#/components/schemas/", with: "")
                #expect(conformance.component(name) != nil, "unresolved \(reference)")
            }
            let list = try #require(document["paths"]?["/api/v2/findings/"]?["get"])
            let names = list["parameters"]?.items.compactMap { $0["name"]?.stringValue } ?? []
            for expected in ["severity", "active", "test", "tags", "o", "limit", "offset", "prefetch", "cwe"] {
                #expect(names.contains(expected), "findings list lacks \(expected)")
            }
            let ordering = list["parameters"]?.items.first { $0["name"] == .string("o") }
            #expect(ordering?["schema"]?["items"]?["enum"]?.items.contains(.string("-severity")) == true)
            #expect(list["responses"]?["200"]?["content"]?["application/json"]?["schema"]?["$ref"]
                == .string("#/components/schemas/PaginatedFindingList"))
            let create = document["paths"]?["/api/v2/findings/"]?["post"]
            #expect(create?["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"] == .string("#/components/schemas/FindingCreateRequest"))
            // The finding's test is accepted on create only, so PUT's body lacks it.
            #expect(conformance.component("FindingCreateRequest")?["properties"]?["test"] != nil)
            #expect(conformance.component("FindingRequest")?["properties"]?["test"] == nil)
            #expect(conformance.component("Finding")?["properties"]?["id"]?["readOnly"] == .bool(true))
            #expect(conformance.component("UserRequest")?["properties"]?["password"]?["writeOnly"] == .bool(true))
            #expect(conformance.component("User")?["properties"]?["password"] == nil)
            let importBody = document["paths"]?["/api/v2/import-scan/"]?["post"]?["requestBody"]?["content"]
            #expect(importBody?.keys == ["multipart/form-data"])
            #expect(conformance.component("ImportScanRequest")?["properties"]?["file"]?["format"] == .string("binary"))
            #expect(conformance.component("ImportScanRequest")?["required"] == .array([.string("scan_type")]))
            #expect(document["paths"]?["/api/v2/api-token-auth/"]?["post"]?["security"] == nil, "the token endpoint needs no credentials")
        }
    }

    @Test("The import form fields in the document are exactly the fields the import parser reads")
    func importFormFieldsDeclared() throws {
        for reimport in [false, true] {
            guard case .success(let options) = ImportOptions.parse(["scan_type": ["ZAP Scan"]], reimport: reimport, today: Date()) else {
                Issue.record("a form with scan_type parses")
                continue
            }
            #expect(options.fieldsRead == Set(ImportOptions.formFields(reimport: reimport).map(\.name)))
        }
    }
}
