import BulwarkStorage
import Fluent
import Foundation
import SQLKit
import Vapor

/// `bulwark seed --findings N --products P`: fills the database with synthetic products,
/// engagements, tests and findings for benchmarks (see README, "Performance").
struct SeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "findings", help: "How many findings (default 100000)") var findings: Int?
        @Option(name: "products", help: "How many products to spread them over (default 50)") var products: Int?
    }

    var help: String { "Fills the database with synthetic findings for benchmarks." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let total = max(0, signature.findings ?? 100_000)
        let productCount = max(1, signature.products ?? 50)
        guard let sql = context.application.db as? any SQLDatabase else { throw CommandFailure("database is not SQL") }
        let clock = ContinuousClock()
        let started = clock.now
        let now = Date()
        let severities = ["Critical", "High", "Medium", "Low", "Info"]
        let numerical = ["S0", "S1", "S2", "S3", "S4"]
        try await WriteTransaction.run(on: context.application.db) { db in
            let insert = BulkInsert(db: db)
            let stamp = UUID().uuidString.prefix(8)
            let typeID = try await insert.insert(into: "product_types", columns: ["name", "critical_product", "key_product", "created", "updated"],
                                                 rows: [[.string("Seed \(stamp)"), .bool(false), .bool(false), .date(now), .date(now)]])[0]
            let testTypeRows = try await db.raw("SELECT id FROM test_types WHERE name = 'Generic Findings Import'").all()
            var testType = try testTypeRows.first?.decode(column: "id", as: Int.self) ?? 0
            if testTypeRows.isEmpty {
                testType = try await insert.insert(
                    into: "test_types", columns: ["name", "static_tool", "dynamic_tool", "active", "dynamically_generated"],
                    rows: [[.string("Generic Findings Import"), .bool(false), .bool(false), .bool(true), .bool(false)]])[0]
            }
            var chains: [(product: Int, engagement: Int, test: Int)] = []
            for index in 0..<productCount {
                let product = try await insert.insert(
                    into: "products",
                    columns: ["name", "description", "created", "updated", "external_audience", "internet_accessible", "enable_product_tag_inheritance",
                              "enable_simple_risk_acceptance", "enable_full_risk_acceptance", "disable_sla_breach_notifications", "prod_type_id",
                              "sla_configuration_id", "tid"],
                    rows: [[.string("Seed \(stamp) product \(index)"), .string("Synthetic"), .date(now), .date(now), .bool(false), .bool(false),
                            .bool(false), .bool(false), .bool(true), .bool(false), .int(typeID), .int(1), .int(0)]])[0]
                let engagement = try await insert.insert(
                    into: "engagements",
                    columns: ["name", "target_start", "target_end", "threat_model", "api_test", "pen_test", "check_list", "status", "engagement_type",
                              "deduplication_on_engagement", "product_id", "active", "progress", "tmodel_path", "done_testing", "created", "updated"],
                    rows: [[.string("CI"), .string("2024-01-01"), .string("2030-01-01"), .bool(true), .bool(true), .bool(true), .bool(true),
                            .string("In Progress"), .string("CI/CD"), .bool(false), .int(product), .bool(true), .string("threat_model"),
                            .string("none"), .bool(false), .date(now), .date(now)]])[0]
                let test = try await insert.insert(
                    into: "tests", columns: ["engagement_id", "test_type_id", "scan_type", "title", "target_start", "target_end", "percent_complete", "created", "updated"],
                    rows: [[.int(engagement), .int(testType), .string("Generic Findings Import"), .string("Seed"), .date(now), .date(now), .int(100), .date(now), .date(now)]])[0]
                chains.append((product, engagement, test))
            }
            let columns = ["test_id", "engagement_id", "product_id", "title", "date", "cwe", "severity", "numerical_severity", "description",
                           "active", "verified", "false_p", "duplicate", "out_of_scope", "risk_accepted", "under_review", "under_defect_review",
                           "is_mitigated", "known_exploited", "ransomware_used", "static_finding", "dynamic_finding", "thread_id", "hash_code",
                           "file_path", "line", "component_name", "component_version", "unique_id_from_tool", "reporter_id", "created", "updated",
                           "last_status_update"]
            var rows: [[SQLBindValue]] = []
            rows.reserveCapacity(min(total, 5_000))
            var done = 0
            while done < total {
                let chain = chains[done % chains.count]
                let severity = done % 5
                let day = DateFormatting.day(now.addingTimeInterval(-Double(done % 365) * 86_400))
                rows.append([
                    .int(chain.test), .int(chain.engagement), .int(chain.product), .string("Synthetic finding \(done) in component \(done % 997)"),
                    .string(day), .int([79, 89, 22, 352, 0][severity]), .string(severities[severity]), .string(numerical[severity]),
                    .string("Synthetic description \(done): user input reaches a sensitive sink without validation."),
                    .bool(done % 3 != 0), .bool(done % 4 == 0), .bool(false), .bool(false), .bool(false), .bool(false), .bool(false), .bool(false),
                    .bool(done % 3 == 0), .bool(false), .bool(false), .bool(true), .bool(false), .int(0),
                    .string(String(format: "%064x", done)), .string("src/module\(done % 50)/file\(done % 211).swift"), .int(done % 400 + 1),
                    .string("component-\(done % 997)"), .string("1.\(done % 20).0"), .string("seed-\(stamp)-\(done)"), .int(1), .date(now), .date(now), .date(now),
                ])
                done += 1
                if rows.count == 5_000 || done == total {
                    let ids = try await insert.insert(into: "findings", columns: columns, rows: rows)
                    // Every tenth finding gets a tag and a vulnerability id, so the list loads related rows.
                    let tagged = ids.enumerated().filter { $0.offset % 10 == 0 }.map(\.element)
                    try await insert.insert(into: "tags", columns: ["object_type", "object_id", "name"],
                                            rows: tagged.map { [.string("finding"), .int($0), .string("seed")] }, returningIDs: false)
                    try await insert.insert(into: "vulnerability_ids", columns: ["finding_id", "vulnerability_id"],
                                            rows: tagged.map { [.int($0), .string("CVE-2024-\($0 % 10_000)")] }, returningIDs: false)
                    rows.removeAll(keepingCapacity: true)
                }
            }
        }
        context.console.print("Seeded \(total) findings across \(productCount) products in \(clock.now - started).")
    }
}
