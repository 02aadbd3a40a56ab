import FluentKit
import SQLKit

/// Runs a write transaction that concurrent writers cannot break.
///
/// On SQLite a plain `BEGIN` starts a read snapshot; if another connection commits first, the
/// later write fails at once with "database is locked" (the busy handler cannot help a stale
/// snapshot). `BEGIN IMMEDIATE` takes the write lock up front, so writers queue on the busy
/// handler instead. PostgreSQL uses Fluent's ordinary transaction.
public enum WriteTransaction {
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
            try await scoped.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(scoped)
                try await scoped.raw("COMMIT").run()
                return result
            } catch {
                try? await scoped.raw("ROLLBACK").run()
                throw error
            }
        }
    }
}
