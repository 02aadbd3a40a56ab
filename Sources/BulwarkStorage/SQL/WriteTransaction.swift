import FluentKit
import Foundation
import SQLKit
import SQLiteNIO

/// Runs a write transaction that concurrent writers cannot break.
///
/// On SQLite a plain `BEGIN` starts a read snapshot; if another connection commits first, the
/// later write fails at once with "database is locked" (the busy handler cannot help a stale
/// snapshot). `BEGIN IMMEDIATE` takes the write lock up front instead.
///
/// Waiting for that lock must not block a thread: SQLiteNIO's busy handler retries at once,
/// forever, on the shared NIO thread pool, so two writers waiting for a third that needs a pool
/// thread to finish would spin there and never let it finish (a livelock seen with concurrent
/// imports on a two-core machine). So the transaction switches the connection's busy handler
/// off, tries `BEGIN IMMEDIATE`, and while the lock is held elsewhere waits asynchronously with
/// backoff, up to ``lockWait``; then it gives up with ``WriteLockTimeout`` (the API answers 503).
/// Afterwards the connection gets a sleeping busy handler for its ordinary statements.
///
/// PostgreSQL uses Fluent's ordinary transaction.
public enum WriteTransaction {
    /// How long a writer waits for SQLite's write lock before giving up.
    public static let lockWait: Duration = .seconds(60)

    public static func run<T: Sendable>(on database: any Database, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        guard let sql = database as? any SQLDatabase else { throw StorageError(.constraint, "database driver is not SQL") }
        guard sql.dialect.name == "sqlite" else {
            return try await database.transaction { transaction in
                guard let scoped = transaction as? any SQLDatabase else { throw StorageError(.constraint, "database driver is not SQL") }
                return try await body(scoped)
            }
        }
        return try await database.withConnection { connection in
            guard let scoped = connection as? any SQLDatabase else { throw StorageError(.constraint, "database driver is not SQL") }
            try await beginImmediate(scoped)
            do {
                let result = try await body(scoped)
                try await scoped.raw("COMMIT").run()
                await restoreBusyHandler(scoped)
                return result
            } catch {
                try? await scoped.raw("ROLLBACK").run()
                await restoreBusyHandler(scoped)
                throw error
            }
        }
    }

    /// Gives the connection back a sleeping busy handler (5 s) for the statements it runs outside transactions.
    static func restoreBusyHandler(_ connection: any SQLDatabase) async {
        try? await connection.raw("PRAGMA busy_timeout = 5000").run()
    }

    /// Takes the write lock, waiting asynchronously (1 ms doubling to 50 ms) while another connection holds it.
    static func beginImmediate(_ connection: any SQLDatabase) async throws {
        try await connection.raw("PRAGMA busy_timeout = 0").run()
        let clock = ContinuousClock()
        let deadline = clock.now + lockWait
        var pause: Duration = .milliseconds(1)
        while true {
            do {
                try await connection.raw("BEGIN IMMEDIATE").run()
                return
            } catch let error as SQLiteError where error.reason == .busy {
                guard clock.now < deadline else {
                    await restoreBusyHandler(connection)
                    throw WriteLockTimeout(waited: lockWait)
                }
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .milliseconds(50))
            }
        }
    }
}

/// SQLite's write lock stayed taken for longer than a writer may wait: the server is overloaded.
public struct WriteLockTimeout: Error, Sendable, CustomStringConvertible {
    public var waited: Duration
    public var description: String { "the database stayed locked by other writers for \(waited)" }
}
