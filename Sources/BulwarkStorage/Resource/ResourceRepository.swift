import Foundation
import SQLKit

/// Reads and writes rows of one resource with SQLKit, rendering them as ordered JSON.
///
/// Every list query is bounded: one COUNT, one page SELECT with LIMIT/OFFSET, then one query
/// per tag, join-list or computed field for the whole page (never one per row).
public struct ResourceRepository: Sendable {
    public let schema: ResourceSchema
    public let db: any SQLDatabase

    public init(schema: ResourceSchema, db: any SQLDatabase) {
        self.schema = schema
        self.db = db
    }

    private func whereClause(_ conditions: [SQLQueryString]) -> SQLQueryString {
        conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
    }

    /// Counts rows matching all conditions.
    public func count(where conditions: [SQLQueryString]) async throws -> Int {
        let query: SQLQueryString = "SELECT COUNT(*) AS \(ident: "n") FROM \(ident: schema.table)" + whereClause(conditions)
        guard let row = try await db.rows(query).first else { return 0 }
        return try row.int(at: 0) ?? 0
    }

    /// One page of rendered rows.
    public func list(where conditions: [SQLQueryString], orderBy: [SQLQueryString], limit: Int, offset: Int) async throws -> [JSONValue] {
        try await render(try await db.rows(pageQuery(where: conditions, orderBy: orderBy, limit: limit, offset: offset)))
    }

    /// The number of rows matching `conditions` and one page of them as the UTF-8 text of a JSON
    /// array, written straight from the rows (the same objects as ``list(where:orderBy:limit:offset:)``,
    /// without building value trees).
    ///
    /// The count rides along with the page as a scalar subquery (one statement, one trip to the
    /// database thread); on SQLite it is not recomputed while the database is unchanged (see
    /// ``CountCache``). Only a page past the end needs a separate COUNT.
    public func countedListJSON(where conditions: [SQLQueryString], orderBy: [SQLQueryString], limit: Int, offset: Int) async throws -> (count: Int, json: [UInt8]) {
        let countQuery: SQLQueryString = "SELECT COUNT(*) FROM \(ident: schema.table)" + whereClause(conditions)
        let rows: [ResultRow]
        // SQLite: an unchanged database reuses the last count of the same query (see ``CountCache``).
        let names = (count: Self.countColumn, dataVersion: Self.dataVersionColumn, totalChanges: Self.totalChangesColumn)
        let page = (conditions, orderBy, limit, offset)
        if let (found, context) = try await db.sqliteRows({ [self] connection in
            let key = try CountCache.key(countQuery, connection: connection, database: db)
            let leading = CountCache.selectItems(count: countQuery, cached: CountCache.shared.entry(key, connection: connection), names: names)
            return (pageQuery(where: page.0, orderBy: page.1, limit: page.2, offset: page.3, leading: leading), (key, connection))
        }) {
            rows = found
            if let first = rows.first, let count = try first.int(Self.countColumn),
               let dataVersion = try first.int(Self.dataVersionColumn), let totalChanges = try first.int(Self.totalChangesColumn) {
                let (key, connection) = context
                CountCache.shared.store(.init(connection: connection, dataVersion: dataVersion, totalChanges: totalChanges, count: count), key: key)
            }
        } else {
            rows = try await db.rows(pageQuery(where: conditions, orderBy: orderBy, limit: limit, offset: offset,
                                               leading: "(" + countQuery + ") AS \(ident: Self.countColumn), "))
        }
        guard let first = rows.first else {
            // No rows from the first page of a non-empty limit: nothing matches. Otherwise count separately.
            return (offset == 0 && limit > 0 ? 0 : try await self.count(where: conditions), Array("[]".utf8))
        }
        return (try first.int(Self.countColumn) ?? 0, try await renderJSON(rows))
    }

    private static let dataVersionColumn = "__bulwark_data_version"
    private static let totalChangesColumn = "__bulwark_total_changes"
    private static let countColumn = "__bulwark_count"

    private func pageQuery(where conditions: [SQLQueryString], orderBy: [SQLQueryString], limit: Int, offset: Int,
                           leading: SQLQueryString = "") -> SQLQueryString {
        "SELECT " + leading + selectList() + " FROM \(ident: schema.table)" + whereClause(conditions)
            + " ORDER BY " + orderBy.joined(separator: ", ")
            + " LIMIT \(literal: max(0, limit)) OFFSET \(literal: max(0, offset))"
    }

    /// The rendered row with `id`, or nil when it does not exist or is outside `conditions`.
    public func fetch(id: Int, where conditions: [SQLQueryString] = []) async throws -> JSONValue? {
        let all = ["\(ident: schema.table).\(ident: "id") = \(bind: id)"] + conditions
        let query: SQLQueryString = "SELECT " + selectList() + " FROM \(ident: schema.table)" + whereClause(all)
        return try await render(try await db.rows(query)).first
    }

    /// `true` when a row with `id` exists (ignoring visibility).
    public func exists(id: Int, where conditions: [SQLQueryString] = []) async throws -> Bool {
        let all = ["\(ident: schema.table).\(ident: "id") = \(bind: id)"] + conditions
        let query: SQLQueryString = "SELECT 1 AS \(ident: "one") FROM \(ident: schema.table)" + whereClause(all)
        return try await db.raw(query).first() != nil
    }

    private func selectList() -> SQLQueryString {
        // Both supported dialects quote identifiers with double quotes: use the plan's pre-built text.
        if ["sqlite", "postgresql"].contains(db.dialect.name) { return "\(unsafeRaw: schema.renderPlan.selectSQL)" }
        var columns: [SQLQueryString] = ["\(ident: schema.table).\(ident: "id")"]
        for column in schema.renderPlan.columns { columns.append("\(ident: schema.table).\(ident: column)") }
        return columns.joined(separator: ", ")
    }

    /// Renders raw rows, loading tags, id lists and computed fields for all of them at once.
    public func render(_ rows: [ResultRow]) async throws -> [JSONValue] {
        let (ids, extras) = try await pageData(rows)
        var sink = JSONTreeSink(names: schema.renderPlan.names)
        try schema.renderPlan.write(rows, ids: ids, extras: extras, into: &sink)
        return sink.objects
    }

    /// Renders raw rows as the UTF-8 text of a JSON array (see ``render(_:)``).
    public func renderJSON(_ rows: [ResultRow]) async throws -> [UInt8] {
        let (ids, extras) = try await pageData(rows)
        var sink = JSONBytesSink(capacity: 64 + rows.count * 32 * schema.renderPlan.names.count)
        try schema.renderPlan.write(rows, ids: ids, extras: extras, into: &sink)
        return sink.finish()
    }

    /// The rows' ids, and the values of tags, id lists and computed fields by plan slot and id.
    private func pageData(_ rows: [ResultRow]) async throws -> (ids: [Int], extras: [[Int: JSONValue]?]) {
        let idPosition = rows.first?.columns.position(of: "id") ?? Int.max
        let ids = try rows.map { try $0.int(at: idPosition) ?? 0 }
        var extras: [String: [Int: JSONValue]] = [:]
        if !ids.isEmpty {
            let page = PageRows(ids: ids, rows: rows)
            for group in schema.computedGroups {
                for (name, values) in try await group(page, db) { extras[name] = values }
            }
            for field in schema.fields where field.isRendered {
                switch field.kind {
                case .tags where extras[field.name] == nil:
                    extras[field.name] = try await TagStore(db: db).tagsByObject(objectType: schema.tagObjectType ?? schema.table, ids: ids)
                        .mapValues { JSONValue.array($0.map(JSONValue.string)) }
                case .idList(let joinTable, let ownerColumn, let targetColumn, _) where extras[field.name] == nil:
                    extras[field.name] = try await JoinListStore(db: db)
                        .lists(joinTable: joinTable, ownerColumn: ownerColumn, targetColumn: targetColumn, owners: ids)
                        .mapValues { JSONValue.array($0.map(JSONValue.int)) }
                case .computed:
                    if extras[field.name] == nil, let loader = schema.computed[field.name] { extras[field.name] = try await loader(ids, db) }
                default: break
                }
            }
        }
        return (ids, schema.renderPlan.extraNames.map { extras[$0] })
    }

    /// Inserts a row and returns its id.
    public func insert(_ values: [(String, SQLBindValue)]) async throws -> Int {
        let columns = values.map(\.0)
        let query: SQLQueryString = "INSERT INTO \(ident: schema.table) (\(idents: columns, joinedBy: ", ")) VALUES ("
            + values.map(\.1.sql).joined(separator: ", ") + ") RETURNING \(ident: "id")"
        guard let row = try await db.raw(query).first() else { throw StorageError(.insertFailed, "no id returned for \(schema.table)") }
        return try row.decode(column: "id", as: Int.self)
    }

    /// Updates the given columns of row `id`.
    public func update(id: Int, _ values: [(String, SQLBindValue)]) async throws {
        guard !values.isEmpty else { return }
        let assignments = values.map { pair -> SQLQueryString in "\(ident: pair.0) = " + pair.1.sql }
        let query: SQLQueryString = "UPDATE \(ident: schema.table) SET " + assignments.joined(separator: ", ")
            + " WHERE \(ident: "id") = \(bind: id)"
        try await db.raw(query).run()
    }
}
