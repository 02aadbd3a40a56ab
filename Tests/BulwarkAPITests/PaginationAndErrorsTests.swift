import BulwarkStorage
import BulwarkTesting
import Foundation
import Testing

@Suite("Pagination envelope and DefectDojo error shapes")
struct PaginationAndErrorsTests {
    static func makeTypes(_ server: TestServer, count: Int) async throws {
        for index in 1...count {
            let response = try await server.request(.POST, "/api/v2/product_types/", json: #"{"name":"Type \#(index)"}"#)
            #expect(response.status == .created)
        }
    }

    @Test("Default page size is 25 with absolute next/previous links that keep other parameters")
    func envelope() async throws {
        try await withTestServer { server in
            try await Self.makeTypes(server, count: 30)
            // When
            let first = try await server.request(.GET, "/api/v2/product_types/?name__icontains=type")
            // Then
            #expect(first.json.keys == ["count", "next", "previous", "results", "prefetch"])
            #expect(first.json["count"] == .int(30))
            #expect(first.json["results"]?.items.count == 25)
            #expect(first.json["previous"] == .null)
            #expect(first.json["next"] == .string("http://testserver/api/v2/product_types/?limit=25&name__icontains=type&offset=25"))
            let second = try await server.request(.GET, "/api/v2/product_types/?limit=25&name__icontains=type&offset=25")
            #expect(second.json["results"]?.items.count == 5)
            #expect(second.json["next"] == .null)
            #expect(second.json["previous"] == .string("http://testserver/api/v2/product_types/?limit=25&name__icontains=type"))
        }
    }

    @Test("limit and offset page through without overlap; bad values fall back to defaults")
    func limitOffset() async throws {
        try await withTestServer { server in
            try await Self.makeTypes(server, count: 7)
            var seen: [Int] = []
            for offset in stride(from: 0, to: 7, by: 3) {
                let page = try await server.request(.GET, "/api/v2/product_types/?limit=3&offset=\(offset)")
                seen += page.json["results"]?.items.compactMap { $0["id"]?.intValue } ?? []
            }
            #expect(seen == Array(1...7))
            let middle = try await server.request(.GET, "/api/v2/product_types/?limit=2&offset=4")
            #expect(middle.json["previous"] == .string("http://testserver/api/v2/product_types/?limit=2&offset=2"))
            let bad = try await server.request(.GET, "/api/v2/product_types/?limit=abc&offset=-4")
            #expect(bad.status == .ok)
            #expect(bad.json["results"]?.items.count == 7)
            let zero = try await server.request(.GET, "/api/v2/product_types/?limit=0")
            #expect(zero.json["results"]?.items.count == 7)
            let huge = try await server.request(.GET, "/api/v2/product_types/?limit=100000")
            #expect(huge.json["next"] == .null)
        }
    }

    @Test("X-Forwarded-Proto and X-Forwarded-Host shape the links behind a proxy")
    func forwardedLinks() async throws {
        try await withTestServer { server in
            try await Self.makeTypes(server, count: 2)
            let page = try await server.request(.GET, "/api/v2/product_types/?limit=1",
                                                headers: [("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "dojo.example.com")])
            #expect(page.json["next"] == .string("https://dojo.example.com/api/v2/product_types/?limit=1&offset=1"))
        }
    }

    @Test("Error bodies: 404, 405, 415, malformed JSON, non-object JSON")
    func errorShapes() async throws {
        try await withTestServer { server in
            let missing = try await server.request(.GET, "/api/v2/products/999/")
            #expect(missing.status == .notFound)
            #expect(missing.json == .object([("detail", .string("Not found."))]))
            let notNumeric = try await server.request(.GET, "/api/v2/products/abc/")
            #expect(notNumeric.status == .notFound)
            let unknownPath = try await server.request(.GET, "/api/v2/no_such_resource/")
            #expect(unknownPath.status == .notFound)
            #expect(unknownPath.json["detail"] == .string("Not found."))
            let wrongMethod = try await server.request(.DELETE, "/api/v2/products/")
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.json["detail"] == .string("Method \"DELETE\" not allowed."))
            #expect(wrongMethod.headers.first(name: "Allow")?.contains("GET") == true)
            let text = try await server.request(.POST, "/api/v2/product_types/", body: "name=x", contentType: "text/plain")
            #expect(text.status == .unsupportedMediaType)
            #expect(text.json["detail"] == .string("Unsupported media type \"text/plain\" in request."))
            let malformed = try await server.request(.POST, "/api/v2/product_types/", json: #"{"name": "x""#)
            #expect(malformed.status == .badRequest)
            #expect(malformed.json["message"] == .string("JSON request content is malformed"))
            let list = try await server.request(.POST, "/api/v2/product_types/", json: "[1,2]")
            #expect(list.status == .badRequest)
            #expect(list.json["non_field_errors"] != nil)
            let binary = try await server.request(.POST, "/api/v2/product_types/", body: "\u{0}\u{1}\u{2}\u{FFFD}", contentType: "application/json")
            #expect(binary.status == .badRequest)
        }
    }

    @Test("Malformed query values never crash the server", arguments: [
        "limit=%FF", "offset=99999999999999999999999", "id=1,,2", "created=%00", "o=,", "tags=,,,",
        "prod_type=1e9", "user_records__gt=NaN", "created__gt=2024-13-45", "prefetch=,prod_type,,", "has_tags=maybe",
    ])
    func hostileQueries(query: String) async throws {
        try await withTestServer { server in
            let response = try await server.request(.GET, "/api/v2/products/?\(query)")
            #expect(response.status == .ok || response.status == .badRequest, "\(query) → \(response.status)")
            #expect(response.json != .null)
        }
    }

    @Test("Concurrent writes on SQLite all succeed (no 'database is locked')")
    func concurrentWrites() async throws {
        try await withTestServer { server in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<24 {
                    group.addTask {
                        let response = try await server.request(.POST, "/api/v2/product_types/", json: #"{"name":"Parallel \#(index)"}"#)
                        return Int(response.status.code)
                    }
                }
                var statuses: [Int] = []
                for try await status in group { statuses.append(status) }
                #expect(statuses.allSatisfy { $0 == 201 }, "\(statuses)")
            }
            let count = try await server.request(.GET, "/api/v2/product_types/?limit=1")
            #expect(count.json["count"] == .int(24))
        }
    }
}
