import Foundation
import SQLKit

/// Tags of any taggable object, kept lower-case in one `tags` table keyed by object type and id.
public struct TagStore: Sendable {
    public let db: any SQLDatabase
    public init(db: any SQLDatabase) { self.db = db }

    /// Normalises tag input as DefectDojo does: trimmed, lower-cased, de-duplicated, order kept.
    public static func normalise(_ names: [String]) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for raw in names {
            let name = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            if !name.isEmpty, seen.insert(name).inserted { out.append(name) }
        }
        return out
    }

    /// Tag names per object id for a page of objects, in insertion order.
    public func tagsByObject(objectType: String, ids: [Int]) async throws -> [Int: [String]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await db.rows("""
            SELECT \(ident: "object_id"), \(ident: "name") FROM \(ident: "tags")
            WHERE \(ident: "object_type") = \(bind: objectType) AND \(ident: "object_id") IN (\(binds: ids))
            ORDER BY \(ident: "id")
            """)
        var out: [Int: [String]] = [:]
        for row in rows {
            out[(try row.int("object_id") ?? 0), default: []].append((try row.string("name") ?? ""))
        }
        return out
    }

    /// Replaces the tags of one object.
    public func replace(objectType: String, id: Int, with names: [String]) async throws {
        try await removeAll(objectType: objectType, ids: [id])
        try await add(objectType: objectType, id: id, names: names)
    }

    /// Adds tags an object does not have yet.
    public func add(objectType: String, id: Int, names: [String]) async throws {
        let existing = Set(try await tagsByObject(objectType: objectType, ids: [id])[id] ?? [])
        for name in Self.normalise(names) where !existing.contains(name) {
            try await db.raw("""
                INSERT INTO \(ident: "tags") (\(ident: "object_type"), \(ident: "object_id"), \(ident: "name"))
                VALUES (\(bind: objectType), \(bind: id), \(bind: name))
                """).run()
        }
    }

    /// Removes the named tags of one object.
    public func remove(objectType: String, id: Int, names: [String]) async throws {
        let normalised = Self.normalise(names)
        guard !normalised.isEmpty else { return }
        try await db.raw("""
            DELETE FROM \(ident: "tags") WHERE \(ident: "object_type") = \(bind: objectType)
            AND \(ident: "object_id") = \(bind: id) AND \(ident: "name") IN (\(binds: normalised))
            """).run()
    }

    /// Removes every tag of the given objects.
    public func removeAll(objectType: String, ids: [Int]) async throws {
        guard !ids.isEmpty else { return }
        try await db.raw("""
            DELETE FROM \(ident: "tags") WHERE \(ident: "object_type") = \(bind: objectType) AND \(ident: "object_id") IN (\(binds: ids))
            """).run()
    }
}

/// Lists of ids kept in join tables (`regulations`, `configuration_permissions`, `members`…).
public struct JoinListStore: Sendable {
    public let db: any SQLDatabase
    public init(db: any SQLDatabase) { self.db = db }

    /// The target ids of each owner, ascending.
    public func lists(joinTable: String, ownerColumn: String, targetColumn: String, owners: [Int]) async throws -> [Int: [Int]] {
        guard !owners.isEmpty else { return [:] }
        let rows = try await db.rows("""
            SELECT \(ident: ownerColumn) AS \(ident: "owner"), \(ident: targetColumn) AS \(ident: "target") FROM \(ident: joinTable)
            WHERE \(ident: ownerColumn) IN (\(binds: owners)) ORDER BY \(ident: targetColumn)
            """)
        var out: [Int: [Int]] = [:]
        for row in rows {
            out[(try row.int("owner") ?? 0), default: []].append((try row.int("target") ?? 0))
        }
        return out
    }

    /// Replaces the target ids of one owner.
    public func replace(joinTable: String, ownerColumn: String, targetColumn: String, owner: Int, targets: [Int]) async throws {
        try await db.raw("DELETE FROM \(ident: joinTable) WHERE \(ident: ownerColumn) = \(bind: owner)").run()
        try await BulkInsert(db: db).insert(into: joinTable, columns: [ownerColumn, targetColumn],
                                            rows: Array(Set(targets)).sorted().map { [.int(owner), .int($0)] }, returningIDs: false)
    }
}
