import Foundation
import SQLKit
import SQLiteKit
import SQLiteNIO

/// Remembers COUNT results per SQLite connection (SQLiteNIO's or a ``SQLiteReadConnection``) while the database is provably unchanged, so a
/// list page re-asked with the same filters skips re-counting (13,000 index entries cost ~0.5 ms).
///
/// A count is reused only inside the statement that would otherwise compute it:
/// `CASE WHEN <stamp unchanged> THEN <cached> ELSE (SELECT COUNT(*) …) END` (stamp and count bound), where the stamp
/// is the connection's `PRAGMA data_version` (changes when any other connection, in this
/// process or another, commits) and `total_changes()` (changes when this connection writes).
/// SQLite evaluates the ELSE branch only when needed, and reads the stamp in the same snapshot
/// as the rows, so a reused count is always the count the statement would have computed.
final class CountCache: @unchecked Sendable {
    static let shared = CountCache()

    /// A count and the stamp of the snapshot it was computed (or last confirmed) in.
    struct Entry {
        /// Kept to compare by identity (`===`): a live reference cannot be confused with a new connection.
        let connection: any AnyObject & Sendable
        let dataVersion: Int
        let totalChanges: Int
        let count: Int
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private static let maximumEntries = 512

    func entry(_ key: String, connection: any AnyObject & Sendable) -> Entry? {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = entries[key], entry.connection === connection else { return nil }
        return entry
    }

    func store(_ entry: Entry, key: String) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= Self.maximumEntries && entries[key] == nil { entries.removeAll(keepingCapacity: true) }
        entries[key] = entry
    }

    /// The cache key of a COUNT statement on one connection: its SQL and bound values.
    static func key(_ count: SQLQueryString, connection: any AnyObject & Sendable, database: any SQLDatabase) throws -> String {
        let (sql, binds) = try database.sqliteStatement(count)
        var key = "\(ObjectIdentifier(connection).hashValue)\u{0}\(sql)"
        for bind in binds {
            switch bind {
            case .integer(let value): key += "\u{0}i\(value)"
            case .float(let value): key += "\u{0}f\(value.bitPattern)"
            case .text(let value): key += "\u{0}t\(value)"
            case .blob(let value): key += "\u{0}b\(Array(value.readableBytesView))"
            case .null: key += "\u{0}n"
            }
        }
        return key
    }

    /// The SELECT-list items giving the count (reused or computed) and the stamp, named by `names`.
    /// The cached values are bound, so the statement's text is the same whether or not a count is
    /// cached (read connections keep it prepared); without one, the stamp can never match.
    static func selectItems(count: SQLQueryString, cached: Entry?, names: (count: String, dataVersion: String, totalChanges: String)) -> SQLQueryString {
        let stamp: SQLQueryString = "(SELECT data_version FROM pragma_data_version)"
        let counted: SQLQueryString = "CASE WHEN " + stamp + " = \(bind: cached?.dataVersion ?? -1) AND total_changes() = \(bind: cached?.totalChanges ?? -1) THEN \(bind: cached?.count ?? 0) ELSE (" + count + ") END"
        return counted + " AS \(ident: names.count), " + stamp + " AS \(ident: names.dataVersion), total_changes() AS \(ident: names.totalChanges), "
    }
}
