import Foundation
import SQLKit

/// One object that a delete would remove, as DefectDojo's `delete_preview` lists it.
public struct DeletePreviewItem: Sendable, Equatable {
    public var model: String
    public var id: Int
    public var name: String

    public var json: JSONValue { .object([("model", .string(model)), ("id", .int(id)), ("name", .string(name))]) }
}

/// Deletes a row with everything that cascades from it, and previews that set.
///
/// The cascade is explicit (``CascadeRule`` trees on the schema) so that tags, which live in
/// one polymorphic table the database cannot cascade, go with their objects.
public struct CascadeDeleter: Sendable {
    public let db: any SQLDatabase
    public init(db: any SQLDatabase) { self.db = db }

    /// The root object and every object removed with it, parents before children.
    public func preview(schema: ResourceSchema, id: Int) async throws -> [DeletePreviewItem] {
        var items: [DeletePreviewItem] = []
        let rootName = try await names(table: schema.table, column: schema.nameColumn, ids: [id])[id] ?? "\(schema.modelName) \(id)"
        items.append(DeletePreviewItem(model: schema.modelName, id: id, name: rootName))
        try await collect(rules: schema.cascades, parentIDs: [id], into: &items)
        return items
    }

    private func collect(rules: [CascadeRule], parentIDs: [Int], into items: inout [DeletePreviewItem]) async throws {
        guard !parentIDs.isEmpty else { return }
        for rule in rules {
            let ids = try await childIDs(rule, parentIDs: parentIDs)
            var names: [Int: String] = [:]
            if let column = rule.nameColumn { names = try await self.names(table: rule.table, column: column, ids: ids) }
            for childID in ids { items.append(DeletePreviewItem(model: rule.model, id: childID, name: names[childID] ?? "\(rule.model) \(childID)")) }
            try await collect(rules: rule.children, parentIDs: ids, into: &items)
        }
    }

    /// Deletes the row and its cascade, children first. Run inside a transaction.
    public func delete(schema: ResourceSchema, id: Int) async throws {
        try await deleteChildren(rules: schema.cascades, parentIDs: [id])
        if let objectType = schema.tagObjectType { try await removeAttachments(objectType: objectType, ids: [id]) }
        try await db.raw("DELETE FROM \(ident: schema.table) WHERE \(ident: "id") = \(bind: id)").run()
    }

    private func deleteChildren(rules: [CascadeRule], parentIDs: [Int]) async throws {
        guard !parentIDs.isEmpty else { return }
        for rule in rules {
            let ids = try await childIDs(rule, parentIDs: parentIDs)
            guard !ids.isEmpty else { continue }
            try await deleteChildren(rules: rule.children, parentIDs: ids)
            if let objectType = rule.tagObjectType { try await removeAttachments(objectType: objectType, ids: ids) }
            for chunk in ids.chunked(500) {
                try await db.raw("DELETE FROM \(ident: rule.table) WHERE \(ident: "id") IN (\(binds: chunk))").run()
            }
        }
    }

    /// Tags and notes point at objects by type and id, so the database cannot cascade them.
    private func removeAttachments(objectType: String, ids: [Int]) async throws {
        try await TagStore(db: db).removeAll(objectType: objectType, ids: ids)
        for chunk in ids.chunked(500) {
            try await db.raw("""
                DELETE FROM \(ident: "notes") WHERE \(ident: "id") IN (SELECT \(ident: "note_id") FROM \(ident: "note_links")
                WHERE \(ident: "object_type") = \(bind: objectType) AND \(ident: "object_id") IN (\(binds: chunk)))
                """).run()
            try await db.raw("""
                DELETE FROM \(ident: "note_links") WHERE \(ident: "object_type") = \(bind: objectType) AND \(ident: "object_id") IN (\(binds: chunk))
                """).run()
        }
    }

    private func childIDs(_ rule: CascadeRule, parentIDs: [Int]) async throws -> [Int] {
        var out: [Int] = []
        for chunk in parentIDs.chunked(500) {
            let rows = try await db.raw("""
                SELECT \(ident: "id") FROM \(ident: rule.table) WHERE \(ident: rule.foreignKey) IN (\(binds: chunk)) ORDER BY \(ident: "id")
                """).all()
            out += try rows.map { try $0.decode(column: "id", as: Int.self) }
        }
        return out
    }

    private func names(table: String, column: String, ids: [Int]) async throws -> [Int: String] {
        guard !ids.isEmpty else { return [:] }
        var out: [Int: String] = [:]
        for chunk in ids.chunked(500) {
            let rows = try await db.raw("""
                SELECT \(ident: "id"), \(ident: column) AS \(ident: "label") FROM \(ident: table) WHERE \(ident: "id") IN (\(binds: chunk))
                """).all()
            for row in rows {
                let id = try row.decode(column: "id", as: Int.self)
                if let label = try? row.decode(column: "label", as: String.self) { out[id] = label }
                else if let number = try? row.decode(column: "label", as: Int.self) { out[id] = String(number) }
            }
        }
        return out
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements (keeps bind lists well under PostgreSQL's limit).
    public func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: Swift.max(1, size)).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
