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
/// On SQLite the query runs through SQLiteNIO directly and columns are read from the raw
/// `SQLiteData`, by name or (cheaper still) by position. On other dialects it wraps SQLKit's row
/// and decodes as usual.
public struct ResultRow: Sendable {
    /// SQLite's cells as SQLiteNIO hands them out (name and value; empty for other dialects).
    let cells: [SQLiteColumn]
    /// The result's columns (shared by every row of one query).
    public let columns: ResultColumns
    let generic: (any SQLRow)?
    /// `generic != nil`, checked first so that SQLite reads never copy the existential.
    let isGeneric: Bool

    init(cells: [SQLiteColumn], columns: ResultColumns) {
        self.cells = cells
        self.columns = columns
        self.generic = nil
        self.isGeneric = false
    }

    init(generic: any SQLRow, columns: ResultColumns) {
        self.cells = []
        self.columns = columns
        self.generic = generic
        self.isGeneric = true
    }

    /// The raw SQLite value at `position` (`.null` for other dialects or out of range).
    @inline(__always)
    func data(at position: Int) -> SQLiteData {
        position < cells.count ? cells[position].data : .null
    }

    private func position(_ column: String) -> Int { columns.positions[column] ?? Int.max }

    /// The name of the column at `position` for generic rows ("" when out of range: decodes as missing).
    private func name(at position: Int) -> String { position < columns.names.count ? columns.names[position] : "" }

    /// The column as an integer, nil when NULL.
    public func int(_ column: String) throws -> Int? { try int(at: position(column)) }

    /// The column at `position` as an integer, nil when NULL.
    public func int(at position: Int) throws -> Int? {
        if isGeneric, let generic { return try generic.decode(column: name(at: position), as: Int?.self) }
        switch data(at: position) {
        case .integer(let value): return value
        case .float(let value): return Int(value)
        case .text(let value): return Int(value)
        default: return nil
        }
    }

    /// The column as a double, nil when NULL.
    public func double(_ column: String) throws -> Double? { try double(at: position(column)) }

    /// The column at `position` as a double, nil when NULL.
    public func double(at position: Int) throws -> Double? {
        if isGeneric, let generic { return try generic.decode(column: name(at: position), as: Double?.self) }
        switch data(at: position) {
        case .float(let value): return value
        case .integer(let value): return Double(value)
        case .text(let value): return Double(value)
        default: return nil
        }
    }

    /// The column as text, nil when NULL.
    public func string(_ column: String) throws -> String? { try string(at: position(column)) }

    /// The column at `position` as text, nil when NULL.
    public func string(at position: Int) throws -> String? {
        if isGeneric, let generic { return try generic.decode(column: name(at: position), as: String?.self) }
        switch data(at: position) {
        case .text(let value): return value
        case .integer(let value): return String(value)
        case .float(let value): return String(value)
        default: return nil
        }
    }

    /// The column as a boolean, nil when NULL.
    public func bool(_ column: String) throws -> Bool? { try bool(at: position(column)) }

    /// The column at `position` as a boolean, nil when NULL.
    public func bool(at position: Int) throws -> Bool? {
        if isGeneric, let generic { return try generic.decode(column: name(at: position), as: Bool?.self) }
        switch data(at: position) {
        case .integer(let value): return value != 0
        case .float(let value): return value != 0
        case .text(let value): return value == "1" || value.lowercased() == "true"
        default: return nil
        }
    }

    /// The column as an instant, nil when NULL.
    public func date(_ column: String) throws -> Date? { try date(at: position(column)) }

    /// The column at `position` as an instant, nil when NULL.
    public func date(at position: Int) throws -> Date? {
        if isGeneric, let generic { return try generic.decode(column: name(at: position), as: Date?.self) }
        let value = data(at: position)
        guard value != .null else { return nil }
        return Date(sqliteData: value)
    }
}

extension SQLDatabase {
    /// Runs a query and returns its rows for fast typed reads (see ``ResultRow``).
    ///
    /// On SQLite the statement runs on a leased connection with SQLiteNIO's async query, which
    /// collects every row on the database thread: one hop for the whole result, where the
    /// database-level query would hop back to the event loop once per row.
    public func rows(_ query: SQLQueryString) async throws -> [ResultRow] {
        guard let sqlite = self as? any SQLiteDatabase else {
            let rows = try await raw(query).all()
            let columns = ResultColumns(names: rows.first?.allColumns ?? [])
            return rows.map { ResultRow(generic: $0, columns: columns) }
        }
        return try await sqliteRows(sqlite) { _ in (query, ()) }.rows
    }

    /// SQLite: runs the statement `build` makes for the leased connection (which it may use as
    /// an identity, as ``CountCache`` does) and returns its rows with what `build` passed along.
    func sqliteRows<Context: Sendable>(
        _ sqlite: any SQLiteDatabase, _ build: @escaping @Sendable (SQLiteConnection) throws -> (SQLQueryString, Context)
    ) async throws -> (rows: [ResultRow], context: Context) {
        let (raw, context) = try await sqlite.withConnection { connection in
            let (query, context) = try build(connection)
            var serializer = SQLSerializer(database: self)
            query.serialize(to: &serializer)
            // SQLiteKit's own encoder, so values bind exactly as through SQLKit.
            let encoder = SQLiteDataEncoder()
            let binds = try serializer.binds.map { try encoder.encode($0) }
            return (try await connection.query(serializer.sql, binds), context)
        }
        guard let first = raw.first else { return ([], context) }
        let columns = ResultColumns(names: first.columns.map(\.name))
        return (raw.map { ResultRow(cells: $0.columns, columns: columns) }, context)
    }
}
