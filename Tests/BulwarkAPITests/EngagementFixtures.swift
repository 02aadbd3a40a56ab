import BulwarkStorage
import BulwarkTesting
import Foundation
import SQLKit
import Testing

/// Arranges product types, products, engagements, test types and tests through the API as the admin.
enum EngagementFixtures {
    static let engagementFields = [
        "id", "tags", "created", "updated", "name", "description", "version", "first_contacted", "target_start", "target_end",
        "reason", "active", "tracker", "test_strategy", "threat_model", "api_test", "pen_test", "check_list", "status", "progress",
        "tmodel_path", "done_testing", "engagement_type", "build_id", "commit_hash", "branch_tag", "source_code_management_uri",
        "deduplication_on_engagement", "lead", "requester", "preset", "report_type", "product", "build_server",
        "source_code_management_server", "orchestration_engine", "notes", "files", "risk_acceptance",
    ]

    static let testFields = [
        "id", "tags", "test_type_name", "finding_groups", "scan_type", "title", "description", "target_start", "target_end",
        "percent_complete", "updated", "created", "version", "build_id", "commit_hash", "branch_tag", "engagement", "lead",
        "test_type", "environment", "api_scan_configuration", "notes", "files",
    ]

    static let noteFields = ["id", "author", "editor", "history", "note_type", "entry", "date", "private", "edited", "edit_time"]

    @discardableResult
    static func post(_ server: TestServer, _ path: String, _ json: String) async throws -> Int {
        let response = try await server.request(.POST, "/api/v2/\(path)/", json: json)
        #expect(response.status == .created, "\(path): \(response.body)")
        return try #require(response.json["id"]?.intValue)
    }

    static func productType(_ server: TestServer, _ name: String) async throws -> Int {
        try await post(server, "product_types", #"{"name":"\#(name)"}"#)
    }

    @discardableResult
    static func product(_ server: TestServer, _ name: String, type: Int, tags: [String] = []) async throws -> Int {
        try await post(server, "products", #"{"name":"\#(name)","description":"d","prod_type":\#(type),"tags":\#(list(tags))}"#)
    }

    @discardableResult
    static func engagement(_ server: TestServer, product: Int, name: String = "E", tags: [String] = [], extra: String = "") async throws -> Int {
        try await post(server, "engagements", """
            {"product":\(product),"name":"\(name)","target_start":"2024-01-01","target_end":"2024-02-01","tags":\(list(tags))\(extra)}
            """)
    }

    @discardableResult
    /// The test type named `name`: the registered one when a parser has that scan type, else a new one.
    static func testType(_ server: TestServer, _ name: String = "Nmap Scan") async throws -> Int {
        let query = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? name
        let existing = try await server.request(.GET, "/api/v2/test_types/?name=\(query)")
        if let id = existing.json["results"]?.items.first?["id"]?.intValue { return id }
        return try await post(server, "test_types", #"{"name":"\#(name)"}"#)
    }

    @discardableResult
    static func test(_ server: TestServer, engagement: Int, type: Int, title: String = "T", tags: [String] = [], extra: String = "") async throws -> Int {
        try await post(server, "tests", """
            {"engagement":\(engagement),"test_type":\(type),"title":"\(title)","target_start":"2024-01-01T10:00:00Z",
             "target_end":"2024-01-02T10:00:00Z","tags":\(list(tags))\(extra)}
            """)
    }

    /// A product type, a product in it and one engagement: (type, product, engagement).
    static func engagementTree(_ server: TestServer, name: String = "Shop") async throws -> (type: Int, product: Int, engagement: Int) {
        let type = try await productType(server, "\(name) type")
        let product = try await product(server, name, type: type)
        return (type, product, try await engagement(server, product: product))
    }

    /// Makes a user a member of a product with a DefectDojo role id (1 importer, 2 writer, 3 maintainer, 4 owner, 5 reader).
    static func member(_ server: TestServer, _ name: String, product: Int, role: Int) async throws -> (id: Int, token: String) {
        let user = try await server.makeUser(name)
        try await server.sql.raw("""
            INSERT INTO product_members (product_id, user_id, role_id) VALUES (\(bind: product), \(bind: user.id), \(bind: role))
            """).run()
        return user
    }

    static func count(_ server: TestServer, _ sql: String) async throws -> Int {
        let row = try await server.sql.raw("\(unsafeRaw: sql)").first()
        return try #require(try row?.decode(column: "n", as: Int.self))
    }

    static func list(_ items: [String]) -> String { "[" + items.map { "\"\($0)\"" }.joined(separator: ",") + "]" }
}
