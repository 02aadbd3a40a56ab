import BulwarkStorage
import FluentKit
import Foundation
import SQLKit

/// Runs due jobs: schedules periodic work, then claims and runs jobs until none is due.
/// `bulwark serve` (unless `BULWARK_JOBS=off`) and `bulwark worker` call ``runDue(now:)`` in a loop.
public struct JobRunner: Sendable {
    public let queue: JobQueue
    public let scheduler: JobScheduler
    public let connectors: ConnectorService
    /// This instance's name in `locked_by`.
    public let worker: String
    /// Audit events older than this many days are deleted by the maintenance job (`BULWARK_AUDIT_RETENTION_DAYS`).
    public let auditRetentionDays: Int

    public init(queue: JobQueue, connectors: ConnectorService, worker: String, expiryInterval: TimeInterval = 600, auditRetentionDays: Int = 365) {
        self.auditRetentionDays = auditRetentionDays
        self.queue = queue
        self.connectors = connectors
        self.scheduler = JobScheduler(queue: queue, connectors: connectors, expiryInterval: expiryInterval)
        self.worker = worker
    }

    /// One pass; returns how many jobs ran. Job failures are recorded on the job, not thrown.
    @discardableResult
    public func runDue(now: @Sendable () -> Date = { Date() }) async throws -> Int {
        try await scheduler.scheduleDue(now: now())
        var ran = 0
        while let job = try await queue.claim(worker: worker, now: now()) {
            ran += 1
            var failure: String?
            do {
                try await execute(job, now: now())
            } catch {
                failure = "\(error)"
            }
            try await queue.finish(job.id, error: failure, now: now())
        }
        return ran
    }

    func execute(_ job: ClaimedJob, now: Date) async throws {
        switch job.kind {
        case .connectorOperation:
            guard let operation = job.operation else { return }
            guard let user = try await Self.systemUser(db: connectors.sql) else {
                throw StorageError(.notFound, "no active superuser to run connector imports as")
            }
            try await connectors.run(operation: operation, user: user)
        case .riskAcceptanceExpiry:
            // The periodic maintenance job (every 10 minutes): expired risk acceptances, API tokens expired
            // over 30 days ago, and audit events past their retention.
            let retention = auditRetentionDays
            _ = try await WriteTransaction.run(on: queue.database) { sql in
                let expired = try await RiskAcceptances.expire(db: sql, now: now)
                try await AccountService.deleteExpiredTokens(db: sql, now: now)
                try await AuditLog.deleteOlderThan(days: retention, now: now, db: sql)
                return expired
            }
        }
    }

    /// The oldest active superuser: scheduled imports are recorded under this account.
    public static func systemUser(db: any SQLDatabase) async throws -> UserAccount? {
        guard let row = try await db.rows("""
            SELECT id, username, email FROM users WHERE is_superuser = \(bind: true) AND is_active = \(bind: true) ORDER BY id LIMIT 1
            """).first, let id = try row.int("id") else { return nil }
        return UserAccount(id: id, username: try row.string("username") ?? "", email: try row.string("email") ?? "", isActive: true, isSuperuser: true)
    }
}
