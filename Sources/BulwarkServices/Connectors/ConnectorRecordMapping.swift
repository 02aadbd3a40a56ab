import FluentKit
import Foundation
import SQLKit
import BulwarkStorage

/// How a connector's records are mapped to products or ignored: the rule the API's
/// `connector_records/` updates and the connector page's bulk form share.
///
/// A record with a product is `good`, one without is `new`, and `ignored` stays ignored until it is
/// set back; `stale` and `missing` are set only by discover and sync.
public enum ConnectorRecordMapping {
    /// A state a user may not set.
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public var description: String { "Only \"ignored\", \"new\" or \"good\" can be set; other states follow discover and sync." }
    }

    /// The state after an update.
    /// - Parameters:
    ///   - current: the record's state now.
    ///   - product: the record's product after the update.
    ///   - productSent: whether the update names a product (or clears it).
    ///   - wanted: the state the update asks for, if any.
    public static func state(current: String, product: Int?, productSent: Bool, wanted: String?) throws(Refusal) -> String {
        if let wanted {
            switch wanted {
            case "ignored": return "ignored"
            case "new", "good": return product == nil ? "new" : "good"
            default: throw Refusal()
            }
        }
        guard productSent else { return current }
        if current == "ignored" { return "ignored" }
        return product == nil ? "new" : "good"
    }

    /// What the bulk form does to the selected records.
    public enum BulkChange: Sendable, Equatable {
        /// Maps them to a product (and takes them out of `ignored`).
        case map(product: Int)
        /// Ignores them: they are neither synced nor auto-mapped.
        case ignore
        /// Removes their product; they wait for a mapping again.
        case unmap
    }

    /// Applies `change` to the connector's records among `records`, in one transaction; returns how many changed.
    /// Ids of other connectors' records are skipped; an unknown product is ``ConnectorServiceError/notFound``.
    public static func apply(_ change: BulkChange, records: [Int], connector: Int, now: Date, database: any Database) async throws -> Int {
        guard !records.isEmpty else { return 0 }
        return try await WriteTransaction.run(on: database) { db in
            if case .map(let product) = change,
               try await db.rows("SELECT id FROM products WHERE id = \(bind: product)").isEmpty {
                throw ConnectorServiceError.notFound
            }
            let selected: SQLQueryString = "connector_id = \(bind: connector) AND id IN (\(binds: records))"
            let count = try await db.rows("SELECT COUNT(*) AS n FROM connector_records WHERE \(selected)").first?.int("n") ?? 0
            // The resulting state does not depend on the current one for these three changes, so one statement serves all rows.
            switch change {
            case .map(let product):
                let state = try Self.state(current: "new", product: product, productSent: true, wanted: "good")
                try await db.raw("""
                    UPDATE connector_records SET state = \(bind: state), product_id = \(bind: product), finalized_at = \(bind: now) WHERE \(selected)
                    """).run()
            case .ignore:
                let state = try Self.state(current: "new", product: nil, productSent: false, wanted: "ignored")
                try await db.raw("UPDATE connector_records SET state = \(bind: state) WHERE \(selected)").run()
            case .unmap:
                let state = try Self.state(current: "new", product: nil, productSent: true, wanted: "new")
                try await db.raw("UPDATE connector_records SET state = \(bind: state), product_id = NULL, finalized_at = NULL WHERE \(selected)").run()
            }
            return count
        }
    }
}
