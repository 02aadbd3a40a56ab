import BulwarkConnectors
import BulwarkStorage
import Foundation
import SQLKit

/// A stored connector configuration (the secret still sealed).
public struct StoredConnector: Sendable {
    public var id: Int
    public var tool: String
    public var label: String
    public var location: String
    public var sealedSecret: String?
    public var extra: [String: String]
    public var autoMap: Bool
    public var minimumSeverity: String?
    public var verifyTLS: Bool
    public var enabled: Bool
    public var discoverIntervalMinutes: Int
    public var syncIntervalMinutes: Int
}

/// A record as discover and sync need it.
struct StoredRecord: Sendable {
    var id: Int
    var externalID: String
    var name: String
    var state: String
    var product: Int?
    var productName: String?
    var metadata: [String: String]
}

/// The counters of one operation (connectors.md §0.2).
public struct OperationCounters: Sendable, Equatable {
    public var recordsNew = 0, recordsMissing = 0, recordsFailed = 0
    public var findingsNew = 0, findingsUpdated = 0, findingsClosed = 0, findingsReopened = 0
    public var retries = 0
    public init() {}
}

/// SQL for the connector tables. Used by ``ConnectorService`` only; every write runs inside the
/// caller's transaction or is a single statement.
struct ConnectorStore {
    let db: any SQLDatabase

    static func json(_ value: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// A JSON object of strings; other values are kept as their JSON text, a bad document gives `[:]`.
    static func dictionary(_ text: String?) -> [String: String] {
        guard let text, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
        var out: [String: String] = [:]
        for (key, value) in object {
            switch value {
            case let string as String: out[key] = string
            case let number as NSNumber: out[key] = number.stringValue
            default:
                if let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]) {
                    out[key] = String(decoding: data, as: UTF8.self)
                }
            }
        }
        return out
    }

    func connector(_ id: Int) async throws -> StoredConnector? {
        guard let row = try await db.rows("""
            SELECT id, tool, label, location, secret_ciphertext, extra, auto_map, minimum_severity, verify_tls, enabled,
              discover_interval_minutes, sync_interval_minutes
            FROM connectors WHERE id = \(bind: id)
            """).first else { return nil }
        return StoredConnector(
            id: try row.int("id") ?? id, tool: try row.string("tool") ?? "", label: try row.string("label") ?? "",
            location: try row.string("location") ?? "", sealedSecret: try row.string("secret_ciphertext"),
            extra: Self.dictionary(try row.string("extra")), autoMap: try row.bool("auto_map") ?? false,
            minimumSeverity: try row.string("minimum_severity"), verifyTLS: try row.bool("verify_tls") ?? true,
            enabled: try row.bool("enabled") ?? true, discoverIntervalMinutes: try row.int("discover_interval_minutes") ?? 1440,
            syncIntervalMinutes: try row.int("sync_interval_minutes") ?? 1440)
    }

    func records(connector: Int, state: String? = nil) async throws -> [StoredRecord] {
        let condition: SQLQueryString = state.map { " AND r.state = \(bind: $0)" } ?? ""
        let rows = try await db.rows("""
            SELECT r.id, r.external_id, r.name, r.state, r.product_id, r.metadata, p.name AS product_name
            FROM connector_records r LEFT JOIN products p ON p.id = r.product_id WHERE r.connector_id = \(bind: connector)
            """ + condition + " ORDER BY r.id")
        return try rows.map { row in
            StoredRecord(id: try row.int("id") ?? 0, externalID: try row.string("external_id") ?? "", name: try row.string("name") ?? "",
                         state: try row.string("state") ?? "new", product: try row.int("product_id"), productName: try row.string("product_name"),
                         metadata: Self.dictionary(try row.string("metadata")))
        }
    }

    func setHealth(_ connector: Int, health: String, message: String?, now: Date) async throws {
        try await db.raw("""
            UPDATE connectors SET health = \(bind: health), health_message = \((message.map(SQLBindValue.string) ?? .null).sql),
              health_checked_at = \(bind: now) WHERE id = \(bind: connector)
            """).run()
    }

    func setRecordSync(_ record: Int, status: String, error: String?, now: Date) async throws {
        try await db.raw("""
            UPDATE connector_records SET last_synced_at = \(bind: now), last_sync_status = \(bind: status),
              last_sync_error = \((error.map(SQLBindValue.string) ?? .null).sql) WHERE id = \(bind: record)
            """).run()
    }

    func setRecordState(_ record: Int, state: String) async throws {
        try await db.raw("UPDATE connector_records SET state = \(bind: state) WHERE id = \(bind: record)").run()
    }

    /// The queued or running operation of a connector, if any.
    func activeOperation(connector: Int) async throws -> Int? {
        try await db.rows("""
            SELECT id FROM connector_operations WHERE connector_id = \(bind: connector) AND status IN ('queued', 'running') ORDER BY id LIMIT 1
            """).first?.int("id")
    }

    /// Marks operations started before `before` that no live job will finish as failed.
    func failAbandoned(connector: Int, before: Date, now: Date) async throws {
        try await db.raw("""
            UPDATE connector_operations SET status = 'failed', finished_at = \(bind: now), error = 'abandoned: the process running it stopped'
            WHERE connector_id = \(bind: connector) AND status IN ('queued', 'running') AND started_at < \(bind: before)
              AND id NOT IN (SELECT operation_id FROM jobs WHERE operation_id IS NOT NULL AND status IN ('queued', 'running'))
            """).run()
    }

    func insertOperation(connector: Int, type: String, trigger: String, now: Date) async throws -> Int {
        try await BulkInsert(db: db).insert(
            into: "connector_operations",
            columns: ["connector_id", "type", "trigger", "status", "started_at", "records_new", "records_missing", "records_failed",
                      "findings_new", "findings_updated", "findings_closed", "findings_reopened", "retries"],
            rows: [[.int(connector), .string(type), .string(trigger), .string("queued"), .date(now), .int(0), .int(0), .int(0), .int(0), .int(0),
                    .int(0), .int(0), .int(0)]])[0]
    }

    func operation(_ id: Int) async throws -> (connector: Int, type: String, status: String)? {
        guard let row = try await db.rows("SELECT connector_id, type, status FROM connector_operations WHERE id = \(bind: id)").first else { return nil }
        return (try row.int("connector_id") ?? 0, try row.string("type") ?? "", try row.string("status") ?? "")
    }

    func markRunning(_ operation: Int, now: Date) async throws {
        try await db.raw("UPDATE connector_operations SET status = 'running', started_at = \(bind: now) WHERE id = \(bind: operation)").run()
    }

    func finish(_ operation: Int, status: String, counters: OperationCounters, error: String?, now: Date) async throws {
        try await db.raw("""
            UPDATE connector_operations SET status = \(bind: status), finished_at = \(bind: now),
              records_new = \(bind: counters.recordsNew), records_missing = \(bind: counters.recordsMissing),
              records_failed = \(bind: counters.recordsFailed), findings_new = \(bind: counters.findingsNew),
              findings_updated = \(bind: counters.findingsUpdated), findings_closed = \(bind: counters.findingsClosed),
              findings_reopened = \(bind: counters.findingsReopened), retries = \(bind: counters.retries),
              error = \((error.map { SQLBindValue.string(String($0.prefix(2000))) } ?? .null).sql)
            WHERE id = \(bind: operation)
            """).run()
    }
}
