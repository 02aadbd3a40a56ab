import BulwarkCore
import BulwarkStorage
import Foundation
import SQLKit

/// A product's endpoints by URL parts, creating missing ones in bulk.
struct EndpointCatalog {
    let db: any SQLDatabase
    let product: Int
    private(set) var known: [Key: Int] = [:]

    /// The identity of an endpoint within a product.
    struct Key: Hashable {
        var parts: [String?]
        init(_ endpoint: EndpointURL) {
            parts = [endpoint.protocol, endpoint.userinfo, endpoint.host, endpoint.port.map(String.init), endpoint.path, endpoint.query, endpoint.fragment]
        }
        init(row: ResultRow) throws {
            parts = [try row.string("protocol"), try row.string("userinfo"), try row.string("host"), try row.int("port").map(String.init),
                     try row.string("path"), try row.string("query"), try row.string("fragment")]
        }
    }

    /// Loads the product's endpoints.
    static func load(db: any SQLDatabase, product: Int) async throws -> EndpointCatalog {
        var catalog = EndpointCatalog(db: db, product: product)
        let rows = try await db.rows("SELECT id, protocol, userinfo, host, port, path, query, fragment FROM endpoints WHERE product_id = \(bind: product)")
        for row in rows { catalog.known[try Key(row: row)] = try row.int("id") ?? 0 }
        return catalog
    }

    /// Creates every endpoint of `endpoints` the product does not have yet.
    mutating func ensure(_ endpoints: [EndpointURL]) async throws {
        var missing: [EndpointURL] = []
        var seen = Set<Key>()
        for endpoint in endpoints {
            let key = Key(endpoint)
            if known[key] == nil, seen.insert(key).inserted { missing.append(endpoint) }
        }
        let text = FindingWriter.text, number = FindingWriter.number
        let created = try await BulkInsert(db: db).insert(
            into: "endpoints", columns: ["protocol", "userinfo", "host", "port", "path", "query", "fragment", "product_id"],
            rows: missing.map { e in [text(e.protocol), text(e.userinfo), text(e.host), number(e.port), text(e.path), text(e.query), text(e.fragment), .int(product)] })
        for (endpoint, id) in zip(missing, created) { known[Key(endpoint)] = id }
    }

    /// The id of an endpoint (after ``ensure(_:)``).
    func id(of endpoint: EndpointURL) -> Int? { known[Key(endpoint)] }
}

/// Tags a set of findings (and, when asked, their endpoints) in bulk, skipping tags already there.
struct BulkTagging {
    let db: any SQLDatabase

    func add(_ tags: [String], toFindings findings: [Int], andEndpoints includeEndpoints: Bool) async throws {
        let names = TagStore.normalise(tags)
        guard !names.isEmpty, !findings.isEmpty else { return }
        try await add(names, objectType: "finding", ids: findings)
        guard includeEndpoints else { return }
        var endpoints = Set<Int>()
        for chunk in findings.chunked(500) {
            for row in try await db.rows("SELECT DISTINCT endpoint_id FROM endpoint_status WHERE finding_id IN (\(binds: chunk))") {
                endpoints.insert(try row.int("endpoint_id") ?? 0)
            }
        }
        try await add(names, objectType: "endpoint", ids: endpoints.sorted())
    }

    private func add(_ names: [String], objectType: String, ids: [Int]) async throws {
        var rows: [[SQLBindValue]] = []
        for chunk in ids.chunked(500) {
            var present = Set<String>()
            for row in try await db.rows("""
                SELECT object_id, name FROM tags WHERE object_type = \(bind: objectType) AND object_id IN (\(binds: chunk)) AND name IN (\(binds: names))
                """) {
                present.insert("\(try row.int("object_id") ?? 0)\u{1F}\(try row.string("name") ?? "")")
            }
            for id in chunk {
                for name in names where !present.contains("\(id)\u{1F}\(name)") { rows.append([.string(objectType), .int(id), .string(name)]) }
            }
        }
        try await BulkInsert(db: db).insert(into: "tags", columns: ["object_type", "object_id", "name"], rows: rows, returningIDs: false)
    }
}
