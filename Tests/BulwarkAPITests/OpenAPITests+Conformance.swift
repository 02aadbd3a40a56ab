import BulwarkAPI
import BulwarkStorage
import BulwarkTesting
import Foundation
import Testing
import Vapor

extension OpenAPITests {
    /// The schema of a response status of the operation `method path`.
    static func responseSchema(_ document: JSONValue, _ method: String, _ path: String, status: Int) -> JSONValue? {
        document["paths"]?[path]?[method]?["responses"]?[String(status)]?["content"]?["application/json"]?["schema"]
    }

    @Test("Every GET route answers with a body that matches its documented schema, with data from real imports and actions")
    func renderedResponsesConform() async throws {
        try await withTestServer { server in
            // Given: a chain made through the API, an import and a reimport, a note, metadata, an endpoint and a closed finding
            let type = try await EngagementFixtures.productType(server, "Conformance")
            let product = try await EngagementFixtures.product(server, "Conformance app", type: type, tags: ["web"])
            let engagement = try await EngagementFixtures.engagement(server, product: product, tags: ["ci"])
            let document = try await Self.document(server)
            let conformance = SchemaConformance(document: document)
            var problems: [String] = []
            func check(_ response: TestResponse, _ method: String, _ path: String, status: Int) {
                guard response.status.code == UInt(status) else { problems.append("\(method) \(path): \(response.status) \(response.body.prefix(300))"); return }
                guard let schema = Self.responseSchema(document, method, path, status: status) else { problems.append("\(method) \(path): no \(status) schema"); return }
                problems += conformance.problems(response.json, against: schema, at: "\(method) \(path)")
            }
            let report = ImportReports.generic(ImportReports.threeFindings)
            let imported = try await server.importReport(report: report, fields: [("engagement", String(engagement)), ("tags", "nightly")])
            check(imported, "post", "/api/v2/import-scan/", status: 201)
            let test = try #require(imported.json["test"]?.intValue)
            let reimported = try await server.importReport("reimport-scan", report: report, fields: [("test", String(test))])
            check(reimported, "post", "/api/v2/reimport-scan/", status: 201)
            let finding = try #require(try await server.findings(test: test).first?["id"]?.intValue)
            _ = try await server.request(.POST, "/api/v2/findings/\(finding)/notes/", json: #"{"entry":"Looked at it"}"#)
            _ = try await server.request(.POST, "/api/v2/findings/\(finding)/metadata/", json: #"{"name":"team","value":"blue"}"#)
            let endpoint = try await EngagementFixtures.post(server, "endpoints", #"{"host":"shop.example.com","product":\#(product)}"#)
            try await EngagementFixtures.post(server, "endpoint_status", #"{"finding":\#(finding),"endpoint":\#(endpoint)}"#)
            check(try await server.request(.POST, "/api/v2/findings/\(finding)/close/", json: #"{"note":"fixed"}"#),
                  "post", "/api/v2/findings/{id}/close/", status: 200)
            check(try await server.request(.POST, "/api/v2/product_types/", json: #"{"name":"Second"}"#), "post", "/api/v2/product_types/", status: 201)
            check(try await server.request(.PATCH, "/api/v2/findings/\(finding)/", json: #"{"mitigation":"Use prepared statements"}"#),
                  "patch", "/api/v2/findings/{id}/", status: 200)

            // When: every documented GET is called, item routes with the first id of their collection
            var checked = 0
            let preferred = ["/api/v2/findings/": finding]
            for (method, path, _) in Self.operations(document) where method == "get" {
                var url = path
                if let range = path.range(of: "{id}") {
                    let collection = String(path[..<range.lowerBound])
                    var id = preferred[collection]
                    if id == nil { id = try await server.request(.GET, collection + "?limit=1").json["results"]?.items.first?["id"]?.intValue }
                    guard let id else { continue }
                    url = path.replacingCharacters(in: range, with: String(id))
                }
                check(try await server.request(.GET, url + (path.hasSuffix("}/") ? "" : "?limit=3")), "get", path, status: 200)
                checked += 1
            }

            // Then
            #expect(checked >= 30)
            #expect(problems == [])
        }
    }
}
