import BulwarkTesting
import Foundation
import Testing

/// Imports that run at the same time into one new product (issue: on PostgreSQL, concurrent
/// `auto_create_context` imports raced on the product type's unique name and answered 500).
/// These run on SQLite in the main lane and on PostgreSQL in its lane, where the transactions
/// really overlap; the outcome must equal the same work done one request after the other.
@Suite("Concurrent imports into one new product")
struct ConcurrentImportTests {
    typealias R = ImportReports

    static let context: [(String, String)] = [
        ("product_type_name", "Race Type"), ("product_name", "Race Product"), ("engagement_name", "Race CI"), ("auto_create_context", "true"),
    ]

    /// Sends `count` requests at once (`send` gets each one's index) and returns their status codes.
    static func together(_ count: Int, _ send: @escaping @Sendable (Int) async throws -> TestResponse) async throws -> [Int] {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<count { group.addTask { Int(try await send(index).status.code) } }
            var statuses: [Int] = []
            for try await status in group { statuses.append(status) }
            return statuses
        }
    }

    @Test("Eight concurrent import-scan requests create the product type, product and engagement once")
    func concurrentImportsCreateContextOnce() async throws {
        try await withTestServer { server in
            // When eight imports name the same product tree that does not exist yet
            let statuses = try await Self.together(8) { _ in
                try await server.importReport(report: R.generic(R.threeFindings), fields: Self.context)
            }

            // Then every one succeeds and the tree exists once, holding eight tests
            #expect(statuses == Array(repeating: 201, count: 8), "\(statuses)")
            #expect(try await server.count("product_types", where: "name = 'Race Type'") == 1)
            #expect(try await server.count("products", where: "name = 'Race Product'") == 1)
            #expect(try await server.count("engagements", where: "name = 'Race CI'") == 1)
            #expect(try await server.count("tests") == 8)
            #expect(try await server.count("test_types", where: "name = 'Generic Findings Import'") == 1)
            // Dedupe saw each import's predecessors: one original per finding, the rest duplicates.
            #expect(try await server.count("findings", where: "duplicate = false") == 3)
            #expect(try await server.count("findings", where: "duplicate = true") == 21)
        }
    }

    @Test("Six concurrent reimports of one report into a new product create one test with each finding once")
    func concurrentReimportsDoNotDuplicate() async throws {
        try await withTestServer { server in
            // When six reimports of the same report auto-create the same test at once
            let statuses = try await Self.together(6) { _ in
                try await server.importReport("reimport-scan", report: R.generic(R.threeFindings), fields: Self.context)
            }

            // Then the first creates the test and its findings, the others find them unchanged
            #expect(statuses.allSatisfy { $0 == 201 }, "\(statuses)")
            #expect(try await server.count("engagements") == 1)
            #expect(try await server.count("tests") == 1)
            #expect(try await server.count("findings") == 3)
            #expect(try await server.count("findings", where: "active = true AND is_mitigated = false") == 3)
        }
    }

    @Test("Concurrent imports into different new products of one new product type create the type once")
    func concurrentImportsShareNewProductType() async throws {
        try await withTestServer { server in
            // When five imports create five products under one product type that does not exist yet
            let statuses = try await Self.together(5) { index in
                let fields: [(String, String)] = [
                    ("product_type_name", "Shared Type"), ("product_name", "Product \(index)"), ("engagement_name", "CI"), ("auto_create_context", "true"),
                ]
                return try await server.importReport(report: R.generic(R.threeFindings), fields: fields)
            }

            // Then all succeed under one product type
            #expect(statuses == Array(repeating: 201, count: 5), "\(statuses)")
            #expect(try await server.count("product_types", where: "name = 'Shared Type'") == 1)
            #expect(try await server.count("products") == 5)
            #expect(try await server.count("product_type_members") == 1)
        }
    }
}
