import CBulwarkSQLite
import Foundation
import NIOPosix
import SQLiteNIO

/// Read-only SQLite connections of its own for the hot read paths (list pages, token lookups).
///
/// Compared with a query through SQLiteNIO it keeps each connection's prepared statements
/// (a findings page's SQL is parsed once, not on every request) and copies result cells into one
/// ``ResultCells`` buffer instead of a value per cell. SQLite's WAL mode lets these connections
/// read while the pooled SQLiteNIO connections write; each read sees the last committed state.
///
/// Only for requests that do not write: a read here does not see the uncommitted changes of a
/// transaction open on another connection. Work runs on `threadPool`; a connection is used by
/// one work item at a time and returns to the idle list afterwards.
public final class SQLiteSnapshotReader: @unchecked Sendable {
    private let path: String
    private let threadPool: NIOThreadPool
    private let lock = NSLock()
    /// Connections not in use; nil once closed.
    private var idle: [SQLiteReadConnection]? = []

    /// - Parameters:
    ///   - path: the SQLite file the server's pool also opens (it must exist, in WAL mode).
    ///   - threadPool: where statements run (the pool SQLiteNIO uses).
    public init(path: String, threadPool: NIOThreadPool) {
        self.path = path
        self.threadPool = threadPool
    }

    /// Runs `body` with a connection on the thread pool: several statements, one hop.
    public func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteReadConnection) throws -> T) async throws -> T {
        try await threadPool.runIfActive { [self] in
            let connection = try checkOut()
            defer { checkIn(connection) }
            return try body(connection)
        }
    }

    /// Closes the idle connections; later reads fail. Call at shutdown.
    public func close() {
        let connections = lock.withLock { () -> [SQLiteReadConnection] in
            defer { idle = nil }
            return idle ?? []
        }
        for connection in connections { connection.close() }
    }

    private func checkOut() throws -> SQLiteReadConnection {
        let reused = try lock.withLock { () throws -> SQLiteReadConnection? in
            guard idle != nil else { throw SQLiteReadError(message: "the read connections are closed", sql: nil) }
            return idle?.popLast()
        }
        return try reused ?? SQLiteReadConnection(path: path)
    }

    private func checkIn(_ connection: SQLiteReadConnection) {
        let keep = lock.withLock { () -> Bool in
            guard idle != nil else { return false }
            idle?.append(connection)
            return true
        }
        if !keep { connection.close() }
    }
}

/// A failed statement on a read connection, with SQLite's message and the statement.
public struct SQLiteReadError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let sql: String?
    public var description: String { "SQLite read failed: \(message)" + (sql.map { " (in \($0.prefix(200)))" } ?? "") }
}

/// One read-only SQLite connection with its prepared statements, used by one thread at a time
/// (see ``SQLiteSnapshotReader``).
public final class SQLiteReadConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    /// A prepared statement, its result columns and when it was last used.
    private struct Prepared {
        let statement: OpaquePointer
        let columns: ResultColumns
        var lastUse: Int
    }
    /// Prepared statements by SQL text; the least recently used goes when the cache is full.
    private var statements: [String: Prepared] = [:]
    private var uses = 0
    private static let maximumStatements = 64

    init(path: String) throws {
        var handle: OpaquePointer?
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, BULWARK_SQLITE_OPEN_READWRITE | BULWARK_SQLITE_OPEN_NOMUTEX, nil)
        self.handle = handle
        guard status == BULWARK_SQLITE_OK else {
            let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "status \(status)"
            close()
            throw SQLiteReadError(message: "cannot open \(path): \(message)", sql: nil)
        }
        _ = sqlite_nio_sqlite3_busy_timeout(handle, 5_000)
        // Never writes, even by mistake; temporary b-trees (ORDER BY, UNION) in memory.
        try execute("PRAGMA query_only=1; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32768")
    }

    deinit { close() }

    func close() {
        for prepared in statements.values { sqlite_nio_sqlite3_finalize(prepared.statement) }
        statements = [:]
        if let handle { sqlite_nio_sqlite3_close_v2(handle) }
        handle = nil
    }

    private func execute(_ sql: String) throws {
        guard sqlite_nio_sqlite3_exec(handle, sql, nil, nil, nil) == BULWARK_SQLITE_OK else { throw error(sql) }
    }

    private func error(_ sql: String?) -> SQLiteReadError {
        SQLiteReadError(message: handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "connection closed", sql: sql)
    }

    /// The prepared statement for `sql` and its columns, reused while it stays among the most recent ones.
    private func prepared(_ sql: String) throws -> Prepared {
        uses += 1
        if let index = statements.index(forKey: sql) {
            statements.values[index].lastUse = uses
            return statements.values[index]
        }
        guard handle != nil else { throw error(sql) }
        var statement: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(BULWARK_SQLITE_PREPARE_PERSISTENT), &statement, nil) == BULWARK_SQLITE_OK,
              let statement
        else { throw error(sql) }
        if statements.count >= Self.maximumStatements, let oldest = statements.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            sqlite_nio_sqlite3_finalize(oldest.value.statement)
            statements[oldest.key] = nil
        }
        let count = sqlite_nio_sqlite3_column_count(statement)
        let names = (0..<count).map { sqlite_nio_sqlite3_column_name(statement, $0).map { String(cString: $0) } ?? "" }
        let prepared = Prepared(statement: statement, columns: ResultColumns(names: names), lastUse: uses)
        statements[sql] = prepared
        return prepared
    }

    /// Runs one statement with `binds` (SQLiteNIO's values, as SQLiteKit encodes them) and returns all its rows.
    public func query(_ sql: String, _ binds: [SQLiteData]) throws -> ResultCells {
        let prepared = try prepared(sql)
        let statement = prepared.statement
        defer {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
        }
        for (offset, value) in binds.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            switch value {
            case .integer(let integer): status = sqlite_nio_sqlite3_bind_int64(statement, index, Int64(integer))
            case .float(let double): status = sqlite_nio_sqlite3_bind_double(statement, index, double)
            case .null: status = sqlite_nio_sqlite3_bind_null(statement, index)
            case .text(var text): status = text.withUTF8 { bulwark_sqlite_bind_text(statement, index, $0.baseAddress, Int32($0.count)) }
            case .blob(let blob): status = blob.withUnsafeReadableBytes { bulwark_sqlite_bind_blob(statement, index, $0.baseAddress, Int32($0.count)) }
            }
            guard status == BULWARK_SQLITE_OK else { throw error(sql) }
        }
        let columnCount = Int32(prepared.columns.names.count)
        var builder = ResultCells.Builder(columnCount: Int(columnCount))
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            if status == BULWARK_SQLITE_DONE { break }
            guard status == BULWARK_SQLITE_ROW else { throw error(sql) }
            for column in 0..<columnCount {
                switch sqlite_nio_sqlite3_column_type(statement, column) {
                case BULWARK_SQLITE_INTEGER: builder.integer(sqlite_nio_sqlite3_column_int64(statement, column))
                case BULWARK_SQLITE_FLOAT: builder.float(sqlite_nio_sqlite3_column_double(statement, column))
                case BULWARK_SQLITE_TEXT:
                    let text = sqlite_nio_sqlite3_column_text(statement, column)
                    builder.text(UnsafeRawBufferPointer(start: text, count: Int(sqlite_nio_sqlite3_column_bytes(statement, column))))
                case BULWARK_SQLITE_BLOB:
                    let blob = sqlite_nio_sqlite3_column_blob(statement, column)
                    builder.text(UnsafeRawBufferPointer(start: blob, count: Int(sqlite_nio_sqlite3_column_bytes(statement, column))), kind: .blob)
                default: builder.null()
                }
            }
            builder.endRow()
        }
        return builder.finish(columns: prepared.columns)
    }
}
