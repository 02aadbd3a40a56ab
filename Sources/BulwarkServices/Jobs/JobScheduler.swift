import BulwarkStorage
import FluentKit
import Foundation
import SQLKit

/// Puts periodic work on the queue: each enabled connector's discover and sync at its intervals,
/// and the risk-acceptance expiry check every `expiryInterval`.
public struct JobScheduler: Sendable {
    public let queue: JobQueue
    public let connectors: ConnectorService
    public let expiryInterval: TimeInterval

    public init(queue: JobQueue, connectors: ConnectorService, expiryInterval: TimeInterval = 600) {
        self.queue = queue
        self.connectors = connectors
        self.expiryInterval = expiryInterval
    }

    /// Enqueues whatever is due at `now`; returns how many jobs were added.
    @discardableResult
    public func scheduleDue(now: Date) async throws -> Int {
        guard let sql = queue.database as? any SQLDatabase else { return 0 }
        var added = 0
        let rows = try await sql.rows("""
            SELECT id, discover_interval_minutes, sync_interval_minutes, last_discover_at, last_sync_at FROM connectors
            WHERE enabled = \(bind: true) AND has_secret = \(bind: true) AND health <> 'invalid_secret' ORDER BY id
            """)
        for row in rows {
            guard let id = try row.int("id") else { continue }
            let discoverDue = Self.due(last: try row.date("last_discover_at"), minutes: try row.int("discover_interval_minutes") ?? 1440, now: now)
            let syncDue = Self.due(last: try row.date("last_sync_at"), minutes: try row.int("sync_interval_minutes") ?? 1440, now: now)
            // Discover first; the sync follows on a later pass once the connector is free.
            for (due, type) in [(discoverDue, ConnectorOperationType.discover), (syncDue, .sync)] where due {
                if try await enqueueOperation(connector: id, type: type, trigger: "scheduled", now: now) != nil {
                    added += 1
                    // The interval counts from the attempt, so a failing tool is not asked again on every pass.
                    let column = type == .discover ? "last_discover_at" : "last_sync_at"
                    try await sql.raw("UPDATE connectors SET \(ident: column) = \(bind: now) WHERE id = \(bind: id)").run()
                }
                break
            }
        }
        let lastExpiry = try await sql.rows("""
            SELECT MAX(created) AS last FROM jobs WHERE kind = \(bind: JobKind.riskAcceptanceExpiry.rawValue)
            """).first?.date("last")
        if lastExpiry.map({ now.timeIntervalSince($0) >= expiryInterval }) ?? true,
           try await !queue.pending(.riskAcceptanceExpiry, connector: nil, db: sql) {
            try await queue.enqueue(.riskAcceptanceExpiry, trigger: "scheduled", runAt: now, now: now)
            added += 1
        }
        return added
    }

    static func due(last: Date?, minutes: Int, now: Date) -> Bool {
        guard minutes > 0 else { return false }
        guard let last else { return true }
        return now.timeIntervalSince(last) >= Double(minutes) * 60
    }

    /// Creates the operation and its job; `nil` when the connector is busy.
    public func enqueueOperation(connector: Int, type: ConnectorOperationType, trigger: String, now: Date) async throws -> Int? {
        let operation: Int
        do {
            operation = try await connectors.enqueue(connector: connector, type: type, trigger: trigger)
        } catch ConnectorServiceError.busy {
            return nil
        }
        try await queue.enqueue(.connectorOperation, connector: connector, operation: operation, trigger: trigger, runAt: now, now: now)
        return operation
    }
}
