import BulwarkStorage
import Foundation
import SQLKit
import Vapor

/// Ids of a product type → product → engagement → test chain made for a test.
public struct TestChain: Sendable {
    public let productType: Int
    public let product: Int
    public let engagement: Int
    public let test: Int
    public let testType: Int
}

extension TestServer {
    /// Inserts a product type, product, engagement and test directly (bypassing the API).
    public func makeChain(name: String = "App", scanType: String = "ZAP Scan") async throws -> TestChain {
        let sql = try sql
        let now = Date()
        func insert(_ query: SQLQueryString) async throws -> Int {
            guard let row = try await sql.raw(query + " RETURNING id").first() else { throw TestSupportError("insert failed") }
            return try row.decode(column: "id", as: Int.self)
        }
        let type = try await insert("INSERT INTO product_types (name, critical_product, key_product, created, updated) VALUES (\(bind: name + " type"), \(bind: false), \(bind: false), \(bind: now), \(bind: now))")
        let product = try await insert("""
            INSERT INTO products (name, description, created, updated, external_audience, internet_accessible, enable_product_tag_inheritance,
              enable_simple_risk_acceptance, enable_full_risk_acceptance, disable_sla_breach_notifications, prod_type_id, sla_configuration_id, tid)
            VALUES (\(bind: name), \(bind: "About " + name), \(bind: now), \(bind: now), \(bind: false), \(bind: false), \(bind: false),
              \(bind: true), \(bind: true), \(bind: false), \(bind: type), 1, 0)
            """)
        let engagement = try await insert("""
            INSERT INTO engagements (name, target_start, target_end, threat_model, api_test, pen_test, check_list, status, engagement_type,
              deduplication_on_engagement, product_id, active, progress, tmodel_path, done_testing, created, updated)
            VALUES (\(bind: name + " engagement"), '2024-01-01', '2030-01-01', \(bind: true), \(bind: true), \(bind: true), \(bind: true),
              'In Progress', 'CI/CD', \(bind: false), \(bind: product), \(bind: true), 'threat_model', 'none', \(bind: false), \(bind: now), \(bind: now))
            """)
        let testType: Int
        if let row = try await sql.raw("SELECT id FROM test_types WHERE name = \(bind: scanType)").first() {
            testType = try row.decode(column: "id", as: Int.self)
        } else {
            testType = try await insert("""
                INSERT INTO test_types (name, static_tool, dynamic_tool, active, dynamically_generated)
                VALUES (\(bind: scanType), \(bind: false), \(bind: true), \(bind: true), \(bind: false))
                """)
        }
        let test = try await insert("""
            INSERT INTO tests (engagement_id, test_type_id, scan_type, title, target_start, target_end, percent_complete, created, updated)
            VALUES (\(bind: engagement), \(bind: testType), \(bind: scanType), \(bind: name + " test"), \(bind: now), \(bind: now), 100, \(bind: now), \(bind: now))
            """)
        return TestChain(productType: type, product: product, engagement: engagement, test: test, testType: testType)
    }

    /// Creates a finding through the API and returns its id.
    @discardableResult
    public func makeFinding(_ chain: TestChain, title: String = "SQL Injection", severity: String = "High", extra: String = "") async throws -> Int {
        let response = try await request(.POST, "/api/v2/findings/", json: """
            {"test": \(chain.test), "found_by": [\(chain.testType)], "title": "\(title)", "severity": "\(severity)",
             "description": "Bad things", "active": true, "verified": false\(extra)}
            """)
        guard response.status == .created, let id = response.json["id"]?.intValue else {
            throw TestSupportError("finding not created: \(response.status) \(response.body)")
        }
        return id
    }
}
