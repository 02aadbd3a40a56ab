import Logging
import NIOCore
import SQLKit

/// A database for requests that only read: ``SQLDatabase/rows(_:)`` runs on the
/// ``SQLiteSnapshotReader``'s connections, everything else on `base` as usual.
///
/// Never hand it to code that writes or runs inside a transaction: its fast reads would not see
/// that transaction's uncommitted rows.
public struct SnapshotReadingDatabase: SQLDatabase {
    /// The pooled database every other call goes to.
    public let base: any SQLDatabase
    /// The read connections behind ``SQLDatabase/rows(_:)``.
    public let reader: SQLiteSnapshotReader

    public init(base: any SQLDatabase, reader: SQLiteSnapshotReader) {
        self.base = base
        self.reader = reader
    }

    public var logger: Logger { base.logger }
    public var eventLoop: any EventLoop { base.eventLoop }
    public var version: (any SQLDatabaseReportedVersion)? { base.version }
    public var dialect: any SQLDialect { base.dialect }
    public var queryLogLevel: Logger.Level? { base.queryLogLevel }

    public func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        base.execute(sql: query, onRow)
    }

    public func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try await base.execute(sql: query, onRow)
    }
}
