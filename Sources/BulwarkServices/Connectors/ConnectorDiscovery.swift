import BulwarkConnectors
import BulwarkStorage
import FluentKit
import Foundation
import SQLKit

/// Applies a successful discover to the records (connectors.md §0.2): new assets become `new`
/// records (or, with `auto_map`, get a product and become `good`), mapped records not returned
/// become `missing`, returning ones go back to `good`. `ignored` never changes; nothing is deleted.
struct ConnectorDiscovery {
    let database: any Database
    let now: Date

    func apply(_ found: [DiscoveredRecord], to connector: StoredConnector, counters: inout OperationCounters) async throws {
        let now = self.now
        let result = try await WriteTransaction.run(on: database) { db -> (new: Int, missing: Int) in
            let store = ConnectorStore(db: db)
            let existing = Dictionary(try await store.records(connector: connector.id).map { ($0.externalID, $0) }, uniquingKeysWith: { a, _ in a })
            var seen = Set<String>()
            var created = 0, missing = 0
            for record in found where seen.insert(record.externalID).inserted {
                let metadata = ConnectorStore.json(record.metadata)
                if let current = existing[record.externalID] {
                    var state = current.state
                    if state == "missing" || state == "stale" { state = current.product != nil && current.productName != nil ? "good" : "new" }
                    try await db.raw("""
                        UPDATE connector_records SET name = \(bind: record.name), metadata = \(bind: metadata), last_discovered = \(bind: now),
                          state = \(bind: state) WHERE id = \(bind: current.id)
                        """).run()
                    continue
                }
                var product: SQLBindValue = .null
                var state = "new"
                var finalized: SQLBindValue = .null
                if connector.autoMap {
                    product = .int(try await Self.createProduct(named: record.name, db: db, now: now))
                    state = "good"
                    finalized = .date(now)
                }
                _ = try await BulkInsert(db: db).insert(
                    into: "connector_records",
                    columns: ["connector_id", "external_id", "name", "state", "product_id", "first_discovered", "last_discovered", "finalized_at", "metadata"],
                    rows: [[.int(connector.id), .string(record.externalID), .string(record.name), .string(state), product, .date(now), .date(now),
                            finalized, .string(metadata)]])
                created += 1
            }
            for record in existing.values where !seen.contains(record.externalID) && (record.state == "good" || record.state == "stale") {
                try await store.setRecordState(record.id, state: "missing")
                missing += 1
            }
            return (created, missing)
        }
        counters.recordsNew = result.new
        counters.recordsMissing = result.missing
    }

    /// A product named after the record in the `Connectors` product type; a taken name gets ` (2)`, ` (3)` ….
    static func createProduct(named name: String, db: any SQLDatabase, now: Date) async throws -> Int {
        let insert = BulkInsert(db: db)
        let typeName = ConnectorService.autoMapProductType
        var typeID = try await db.rows("SELECT id FROM product_types WHERE name = \(bind: typeName)").first?.int("id")
        if typeID == nil {
            typeID = try await insert.insert(into: "product_types", columns: ["name", "critical_product", "key_product", "created", "updated"],
                                             rows: [[.string(typeName), .bool(false), .bool(false), .date(now), .date(now)]]).first
        }
        guard let typeID else { throw StorageError(.insertFailed, "product type \(typeName) could not be created") }
        let base = String(name.prefix(240))
        var candidate = base
        var suffix = 1
        while try await db.rows("SELECT id FROM products WHERE name = \(bind: candidate)").first != nil {
            suffix += 1
            candidate = "\(base) (\(suffix))"
        }
        return try await insert.insert(
            into: "products",
            columns: ["name", "description", "created", "updated", "external_audience", "internet_accessible", "enable_product_tag_inheritance",
                      "enable_simple_risk_acceptance", "enable_full_risk_acceptance", "disable_sla_breach_notifications", "prod_type_id",
                      "sla_configuration_id", "tid"],
            rows: [[.string(candidate), .string("Created by a connector for \(name)"), .date(now), .date(now), .bool(false), .bool(false),
                    .bool(false), .bool(false), .bool(true), .bool(false), .int(typeID), .int(1), .int(0)]])[0]
    }
}
