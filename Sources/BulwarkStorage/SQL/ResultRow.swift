import Foundation
import SQLKit
import SQLiteKit
import SQLiteNIO

/// The column names of one result set, shared by all of its rows, with their positions.
public final class ResultColumns: Sendable {
    /// Column names in SELECT order.
    public let names: [String]
    let positions: [String: Int]

    init(names: [String]) {
        self.names = names
        // The first of several equally named columns wins, as in SQLiteNIO.
        self.positions = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The position of the column called `name`, nil when the result has no such column.
    public func position(of name: String) -> Int? { positions[name] }
}

/// One result row with cheap typed reads, for hot paths (a findings page is ~100 rows × ~90 columns).
///
/// On SQLite the row is a position in ``ResultCells`` (filled by a ``SQLiteSnapshotReader`` or
/// from SQLiteNIO's rows), read by name or (cheaper still) by position. On other dialects it
/// wraps SQLKit's row and decodes as usual.
public struct ResultRow: Sendable {
    /// The SQLite result this row belongs to (nil for other dialects).
    let cells: ResultCells?
    /// This row's index in ``cells``.
    let row: Int
    /// The result's columns (shared by every row of one query).
    public let columns: ResultColumns
    let generic: (any SQLRow)?

    init(cells: ResultCells, row: Int) {
        self.cells = cells
        self.row = row
        self.columns = cells.columns
        self.generic = nil
    }

    init(generic: any SQLRow, columns: ResultColumns) {
        self.cells = nil
        self.row = 0
        self.columns = columns
        self.generic = generic
    }

    private func position(_ column: String) -> Int { columns.positions[column] ?? Int.max }

    /// The value at `position`: from the SQLite cells with `fromCells`, or decoded from a generic
    /// row by column name (a position out of range decodes as missing).
    @inline(__always)
    private func read<Value: Decodable>(_ position: Int, _ fromCells: (ResultCells) -> (Int, Int) -> Value?) throws -> Value? {
        if let cells { return fromCells(cells)(row, position) }
        return try generic?.decode(column: position < columns.names.count ? columns.names[position] : "", as: Value?.self)
    }

    /// The column as an integer, nil when NULL.
    public func int(_ column: String) throws -> Int? { try int(at: position(column)) }

    /// The column at `position` as an integer, nil when NULL.
    public func int(at position: Int) throws -> Int? {
        try read(position, ResultCells.int)
    }

    /// The column as a double, nil when NULL.
    public func double(_ column: String) throws -> Double? { try double(at: position(column)) }

    /// The column at `position` as a double, nil when NULL.
    public func double(at position: Int) throws -> Double? {
        try read(position, ResultCells.double)
    }

    /// The column as text, nil when NULL.
    public func string(_ column: String) throws -> String? { try string(at: position(column)) }

    /// The column at `position` as text, nil when NULL.
    public func string(at position: Int) throws -> String? {
        try read(position, ResultCells.string)
    }

    /// Calls `body` with the UTF-8 bytes of the text column at `position` and returns true, or
    /// returns false when the column is NULL. SQLite's text is not copied into a `String`.
    func withText(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Bool {
        if let cells, cells.kind(row, position) == .text {
            try cells.withBytes(row, position, body)
            return true
        }
        guard var text = try string(at: position) else { return false }
        try text.withUTF8(body)
        return true
    }

    /// The column as a boolean, nil when NULL.
    public func bool(_ column: String) throws -> Bool? { try bool(at: position(column)) }

    /// The column at `position` as a boolean, nil when NULL.
    public func bool(at position: Int) throws -> Bool? {
        try read(position, ResultCells.bool)
    }

    /// The column as an instant, nil when NULL.
    public func date(_ column: String) throws -> Date? { try date(at: position(column)) }

    /// The column at `position` as an instant, nil when NULL.
    public func date(at position: Int) throws -> Date? {
        try read(position, ResultCells.date)
    }
}

extension SQLDatabase {
    /// Runs a query and returns its rows for fast typed reads (see ``ResultRow``).
    ///
    /// On SQLite the statement runs on a read connection of a ``SnapshotReadingDatabase`` or on a
    /// leased SQLiteNIO connection, collecting every row on the database thread: one hop for the
    /// whole result, where the database-level query would hop back to the event loop once per row.
    public func rows(_ query: SQLQueryString) async throws -> [ResultRow] {
        if let found = try await sqliteRows({ _ in (query, ()) }) { return found.rows }
        let rows = try await raw(query).all()
        let columns = ResultColumns(names: rows.first?.allColumns ?? [])
        return rows.map { ResultRow(generic: $0, columns: columns) }
    }

    /// SQLite only (nil otherwise): runs the statement `build` makes for the connection it runs on
    /// (which `build` may use as an identity, as ``CountCache`` does) and returns its rows with
    /// what `build` passed along.
    func sqliteRows<Context: Sendable>(
        _ build: @escaping @Sendable (any AnyObject & Sendable) throws -> (SQLQueryString, Context)
    ) async throws -> (rows: [ResultRow], context: Context)? {
        if let reading = self as? SnapshotReadingDatabase {
            let (cells, context) = try await reading.reader.read { connection in
                let (query, context) = try build(connection)
                let (sql, binds) = try reading.sqliteStatement(query)
                return (try connection.query(sql, binds), context)
            }
            return (cells.rows, context)
        }
        guard let sqlite = self as? any SQLiteDatabase else { return nil }
        let (raw, context) = try await sqlite.withConnection { connection in
            let (query, context) = try build(connection)
            let (sql, binds) = try sqliteStatement(query)
            return (try await connection.query(sql, binds), context)
        }
        return (ResultCells.from(raw).rows, context)
    }

    /// The SQL text of `query` and its values, bound exactly as SQLKit binds them on SQLite.
    func sqliteStatement(_ query: SQLQueryString) throws -> (sql: String, binds: [SQLiteData]) {
        var serializer = SQLSerializer(database: self)
        query.serialize(to: &serializer)
        let encoder = SQLiteDataEncoder()
        return (serializer.sql, try serializer.binds.map { try encoder.encode($0) })
    }
}
