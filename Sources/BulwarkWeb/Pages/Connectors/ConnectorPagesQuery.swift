import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit

extension ConnectorPages {
    /// Reads connectors, their records and operations (superusers only, as the API's `connectors/`).
    struct Query: Sendable {
        var db: any SQLDatabase

        static func stamp(_ date: Date?) -> String { date.map(DateFormatting.instant) ?? "" }

        func summaries(id: Int? = nil) async throws -> [Summary] {
            let condition: SQLQueryString = id.map { "WHERE c.id = \(bind: $0)" } ?? ""
            let rows = try await db.rows("""
                SELECT c.id, c.tool, c.label, c.location, c.health, c.enabled, c.last_sync_at,
                  (SELECT COUNT(*) FROM connector_records r WHERE r.connector_id = c.id) AS records,
                  (SELECT COUNT(*) FROM connector_records r WHERE r.connector_id = c.id AND r.product_id IS NOT NULL) AS mapped
                FROM connectors c \(condition) ORDER BY c.tool, c.label LIMIT 500
                """)
            return try rows.map { row in
                Summary(id: try row.int("id") ?? 0, tool: try row.string("tool") ?? "", label: try row.string("label") ?? "",
                        location: try row.string("location") ?? "", health: try row.string("health") ?? "unknown",
                        enabled: try row.bool("enabled") ?? false, records: try row.int("records") ?? 0, mapped: try row.int("mapped") ?? 0,
                        lastSync: Self.stamp(try row.date("last_sync_at")))
            }
        }

        func detail(_ id: Int, csrfToken: String) async throws -> DetailModel? {
            guard let summary = try await summaries(id: id).first,
                  let row = try await db.rows("""
                      SELECT health_message, discover_interval_minutes, sync_interval_minutes FROM connectors WHERE id = \(bind: id)
                      """).first else { return nil }
            let records = try await db.rows("""
                SELECT r.id, r.name, r.external_id, r.state, p.name AS product, r.last_synced_at, r.last_sync_error
                FROM connector_records r LEFT JOIN products p ON p.id = r.product_id
                WHERE r.connector_id = \(bind: id) ORDER BY r.name, r.id LIMIT 1000
                """).map { row in
                Record(id: try row.int("id") ?? 0, name: try row.string("name") ?? "", externalID: try row.string("external_id") ?? "",
                       state: try row.string("state") ?? "", product: try row.string("product") ?? "",
                       lastSync: Self.stamp(try row.date("last_synced_at")), lastError: try row.string("last_sync_error") ?? "")
            }
            let operations = try await db.rows("""
                SELECT id, type, "trigger", status, started_at, records_new, records_missing, records_failed,
                  findings_new, findings_updated, findings_closed, findings_reopened, error
                FROM connector_operations WHERE connector_id = \(bind: id) ORDER BY id DESC LIMIT 20
                """).map { row in
                let counters = [("records new", "records_new"), ("missing", "records_missing"), ("failed", "records_failed"),
                                ("findings new", "findings_new"), ("updated", "findings_updated"), ("closed", "findings_closed"),
                                ("reopened", "findings_reopened")]
                    .compactMap { label, column -> String? in
                        guard let value = try? row.int(column), value > 0 else { return nil }
                        return "\(value) \(label)"
                    }.joined(separator: ", ")
                return Operation(id: try row.int("id") ?? 0, type: try row.string("type") ?? "", trigger: try row.string("trigger") ?? "",
                                 status: try row.string("status") ?? "", started: Self.stamp(try row.date("started_at")),
                                 counters: counters, error: try row.string("error") ?? "")
            }
            let products = try await db.rows("SELECT id, name FROM products ORDER BY name LIMIT 2000").map { row in
                ProductChoice(id: try row.int("id") ?? 0, name: try row.string("name") ?? "")
            }
            let discover = try row.int("discover_interval_minutes") ?? 0, sync = try row.int("sync_interval_minutes") ?? 0
            let every = { (minutes: Int) in minutes == 0 ? "never scheduled" : "every \(minutes) min" }
            return DetailModel(summary: summary, healthMessage: try row.string("health_message") ?? "",
                               intervals: "discover \(every(discover)), sync \(every(sync))",
                               records: records, operations: operations, products: products, csrfToken: csrfToken)
        }
    }
}
