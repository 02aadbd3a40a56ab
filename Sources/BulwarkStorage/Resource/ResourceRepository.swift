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
        guard let row = try await db.raw(query).first() else { return 0 }
        return try row.decode(column: "n", as: Int.self)
    }

    /// One page of rendered rows.
    public func list(where conditions: [SQLQueryString], orderBy: [SQLQueryString], limit: Int, offset: Int) async throws -> [JSONValue] {
        let query: SQLQueryString = "SELECT " + selectList() + " FROM \(ident: schema.table)" + whereClause(conditions)
            + " ORDER BY " + orderBy.joined(separator: ", ")
            + " LIMIT \(literal: max(0, limit)) OFFSET \(literal: max(0, offset))"
        return try await render(try await db.rows(query))
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
        var columns: [SQLQueryString] = ["\(ident: schema.table).\(ident: "id")"]
        for field in schema.storedFields where field.isRendered && field.column != "id" {
            if let column = field.column { columns.append("\(ident: schema.table).\(ident: column)") }
        }
        return columns.joined(separator: ", ")
    }

    /// Renders raw rows, loading tags, id lists and computed fields for all of them at once.
    public func render(_ rows: [ResultRow]) async throws -> [JSONValue] {
        let ids = try rows.map { try $0.int("id") ?? 0 }
        var extras: [String: [Int: JSONValue]] = [:]
        if !ids.isEmpty {
            for group in schema.computedGroups {
                for (name, values) in try await group(ids, db) { extras[name] = values }
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
        var out: [JSONValue] = []
        out.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            let id = ids[index]
            var pairs: [(String, JSONValue)] = []
            pairs.reserveCapacity(schema.fields.count)
            for field in schema.fields where field.isRendered {
                if field.name == "id" { pairs.append(("id", .int(id))); continue }
                switch field.kind {
                case .tags, .idList: pairs.append((field.name, extras[field.name]?[id] ?? .array([])))
                case .computed: pairs.append((field.name, extras[field.name]?[id] ?? .null))
                default: pairs.append((field.name, try Self.decode(row, field: field)))
                }
            }
            out.append(.object(pairs))
        }
        return out
    }

    /// Decodes one stored column as its JSON form.
    static func decode(_ row: ResultRow, field: FieldSpec) throws -> JSONValue {
        guard let column = field.column else { return .null }
        switch field.kind {
        case .integer, .foreignKey: return try row.int(column).map(JSONValue.int) ?? .null
        case .float: return try row.double(column).map(JSONValue.double) ?? .null
        case .boolean: return try row.bool(column).map(JSONValue.bool) ?? .null
        case .dateTime: return try row.date(column).map { .string(DateFormatting.instant($0)) } ?? .null
        default: return try row.string(column).map(JSONValue.string) ?? .null
        }
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
