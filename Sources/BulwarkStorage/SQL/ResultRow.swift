import Foundation
import SQLKit
import SQLiteKit
import SQLiteNIO

/// One result row with cheap typed reads, for hot paths (a findings page is ~100 rows × ~90 columns).
///
/// On SQLite the query runs through SQLiteNIO directly and columns are read from the raw
/// `SQLiteData`, an order of magnitude cheaper than SQLKit's `Decodable` row decoding. On other
/// dialects it wraps SQLKit's row and decodes as usual.
public struct ResultRow: Sendable {
    let sqlite: SQLiteRow?
    let generic: (any SQLRow)?

    init(sqlite: SQLiteRow) {
        self.sqlite = sqlite
        self.generic = nil
    }

    init(generic: any SQLRow) {
        self.sqlite = nil
        self.generic = generic
    }

    private func data(_ column: String) -> SQLiteData? { sqlite?.column(column) }

    /// The column as an integer, nil when NULL.
    public func int(_ column: String) throws -> Int? {
        if let generic { return try generic.decode(column: column, as: Int?.self) }
        switch data(column) {
        case .integer(let value)?: return value
        case .float(let value)?: return Int(value)
        case .text(let value)?: return Int(value)
        default: return nil
        }
    }

    /// The column as a double, nil when NULL.
    public func double(_ column: String) throws -> Double? {
        if let generic { return try generic.decode(column: column, as: Double?.self) }
        switch data(column) {
        case .float(let value)?: return value
        case .integer(let value)?: return Double(value)
        case .text(let value)?: return Double(value)
        default: return nil
        }
    }

    /// The column as text, nil when NULL.
    public func string(_ column: String) throws -> String? {
        if let generic { return try generic.decode(column: column, as: String?.self) }
        switch data(column) {
        case .text(let value)?: return value
        case .integer(let value)?: return String(value)
        case .float(let value)?: return String(value)
        default: return nil
        }
    }

    /// The column as a boolean, nil when NULL.
    public func bool(_ column: String) throws -> Bool? {
        if let generic { return try generic.decode(column: column, as: Bool?.self) }
        switch data(column) {
        case .integer(let value)?: return value != 0
        case .float(let value)?: return value != 0
        case .text(let value)?: return value == "1" || value.lowercased() == "true"
        default: return nil
        }
    }

    /// The column as an instant, nil when NULL.
    public func date(_ column: String) throws -> Date? {
        if let generic { return try generic.decode(column: column, as: Date?.self) }
        guard let value = data(column), value != .null else { return nil }
        return Date(sqliteData: value)
    }
}

extension SQLDatabase {
    /// Runs a query and returns its rows for fast typed reads (see ``ResultRow``).
    public func rows(_ query: SQLQueryString) async throws -> [ResultRow] {
        guard let sqlite = self as? any SQLiteDatabase else {
            return try await raw(query).all().map(ResultRow.init(generic:))
        }
        var serializer = SQLSerializer(database: self)
        query.serialize(to: &serializer)
        // SQLiteKit's own encoder, so values bind exactly as through SQLKit.
        let encoder = SQLiteDataEncoder()
        let binds = try serializer.binds.map { try encoder.encode($0) }
        return try await sqlite.query(serializer.sql, binds).map(ResultRow.init(sqlite:))
    }
}
