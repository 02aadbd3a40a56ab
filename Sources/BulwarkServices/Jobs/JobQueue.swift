import BulwarkStorage
import FluentKit
import Foundation
import SQLKit

/// A claimed job.
public struct ClaimedJob: Sendable, Equatable {
    public var id: Int
    public var kind: JobKind
    public var connector: Int?
    public var operation: Int?
    public var attempts: Int
}

/// What a job does.
public enum JobKind: String, Sendable, CaseIterable {
    /// Runs one connector operation (validate, discover or sync) recorded in `connector_operations`.
    case connectorOperation = "connector_operation"
    /// Expires risk acceptances past their date (formerly the in-process periodic loop).
    case riskAcceptanceExpiry = "risk_acceptance_expiry"
}

/// The job queue in the database. Several instances may share one PostgreSQL database: a claim
/// locks the row with `FOR UPDATE SKIP LOCKED`, so each job runs once; SQLite has one writer and
/// claims inside `BEGIN IMMEDIATE`. A running job whose lease ran out (its instance died) is
/// claimed again.
public struct JobQueue: Sendable {
    public let database: any Database
    /// How long a claim holds before another instance may take the job over.
    public let lease: TimeInterval
    /// Attempts after which a job whose instance keeps dying is marked failed.
    public let maxAttempts: Int

    public init(database: any Database, lease: TimeInterval = 1800, maxAttempts: Int = 3) {
        self.database = database
        self.lease = lease
        self.maxAttempts = maxAttempts
    }

    /// Adds a queued job.
    @discardableResult
    public func enqueue(_ kind: JobKind, connector: Int? = nil, operation: Int? = nil, trigger: String, runAt: Date, now: Date) async throws -> Int {
        guard let sql = database as? any SQLDatabase else { throw StorageError(.constraint, "database driver is not SQL") }
        return try await Self.enqueue(kind, connector: connector, operation: operation, trigger: trigger, runAt: runAt, now: now, db: sql)
    }

    static func enqueue(_ kind: JobKind, connector: Int?, operation: Int?, trigger: String, runAt: Date, now: Date, db: any SQLDatabase) async throws -> Int {
        try await BulkInsert(db: db).insert(
            into: "jobs", columns: ["kind", "connector_id", "operation_id", "trigger", "status", "run_at", "attempts", "created"],
            rows: [[.string(kind.rawValue), connector.map(SQLBindValue.int) ?? .null, operation.map(SQLBindValue.int) ?? .null, .string(trigger),
                    .string("queued"), .date(runAt), .int(0), .date(now)]])[0]
    }

    /// Takes the next due job (or one whose lease expired) for `worker`, or `nil` when none is due.
    public func claim(worker: String, now: Date) async throws -> ClaimedJob? {
        let until = now.addingTimeInterval(lease)
        let maxAttempts = self.maxAttempts
        return try await WriteTransaction.run(on: database) { db in
            // Jobs whose instance died too often are given up.
            try await db.raw("""
                UPDATE jobs SET status = 'failed', finished_at = \(bind: now), last_error = 'the job was interrupted too often (lease expired)'
                WHERE status = 'running' AND locked_until < \(bind: now) AND attempts >= \(bind: maxAttempts)
                """).run()
            let due: SQLQueryString = """
                SELECT id FROM jobs WHERE (status = 'queued' AND run_at <= \(bind: now)) OR (status = 'running' AND locked_until < \(bind: now))
                ORDER BY run_at, id LIMIT 1
                """
            let locking: SQLQueryString = db.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
            guard let id = try await db.rows(due + locking).first?.int("id") else { return nil }
            try await db.raw("""
                UPDATE jobs SET status = 'running', locked_by = \(bind: worker), locked_until = \(bind: until), attempts = attempts + 1
                WHERE id = \(bind: id)
                """).run()
            guard let row = try await db.rows("SELECT id, kind, connector_id, operation_id, attempts FROM jobs WHERE id = \(bind: id)").first,
                  let kind = JobKind(rawValue: try row.string("kind") ?? "") else { return nil }
            return ClaimedJob(id: id, kind: kind, connector: try row.int("connector_id"), operation: try row.int("operation_id"),
                              attempts: try row.int("attempts") ?? 1)
        }
    }

    /// Records the end of a job: `succeeded`, or `failed` with the error.
    public func finish(_ job: Int, error: String?, now: Date) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("""
            UPDATE jobs SET status = \(bind: error == nil ? "succeeded" : "failed"), finished_at = \(bind: now), locked_until = NULL,
              last_error = \((error.map { SQLBindValue.string(String($0.prefix(2000))) } ?? .null).sql) WHERE id = \(bind: job)
            """).run()
    }

    /// Whether a job of this kind (and connector) is queued or running.
    func pending(_ kind: JobKind, connector: Int?, db: any SQLDatabase) async throws -> Bool {
        let scope: SQLQueryString = connector.map { " AND connector_id = \(bind: $0)" } ?? ""
        return try await db.rows("SELECT id FROM jobs WHERE kind = \(bind: kind.rawValue) AND status IN ('queued', 'running')" + scope + " LIMIT 1")
            .first != nil
    }
}
