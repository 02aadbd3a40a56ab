import BulwarkStorage
import Foundation
import SQLKit

/// One recorded change.
public struct AuditEvent: Sendable, Equatable {
    public var id: Int
    public var created: Date
    public var actorID: Int?
    public var actorName: String
    /// `create`, `update`, `delete`, `import`, `reimport`, or a triage action (`close`, `verify` …).
    public var action: String
    /// The changed object's kind in lower case: `finding`, `product`, `engagement`, `product_member` …
    public var objectType: String
    public var objectID: Int?
    public var objectName: String?
    /// `{"field": {"before": …, "after": …}}`; an import's statistics under `statistics`.
    public var changes: JSONValue
}

/// What to list from the audit log.
public struct AuditQuery: Sendable, Equatable {
    public var objectType: String?
    public var objectID: Int?
    public var actorID: Int?
    public var action: String?
    public var from: Date?
    public var to: Date?
    public var limit = 100
    public var offset = 0

    public init(objectType: String? = nil, objectID: Int? = nil, actorID: Int? = nil, action: String? = nil, from: Date? = nil, to: Date? = nil,
                limit: Int = 100, offset: Int = 0) {
        self.objectType = objectType
        self.objectID = objectID
        self.actorID = actorID
        self.action = action
        self.from = from
        self.to = to
        self.limit = limit
        self.offset = offset
    }
}

/// The audit log: every service that changes something records here, inside the change's own
/// transaction, so an event exists exactly when its change was committed.
public enum AuditLog {
    /// Fields that change on every write and say nothing about who changed what.
    static let noise: Set<String> = ["updated", "last_status_update", "prefetch"]

    /// Records one event. `changes` of `.null` or an empty object on an update means nothing changed: no event.
    public static func record(db: any SQLDatabase, actor: UserAccount?, action: String, objectType: String, objectID: Int?,
                              objectName: String?, changes: JSONValue, now: Date) async throws {
        if action == "update", changes.keys.isEmpty { return }
        try await db.raw("""
            INSERT INTO audit_log (created, actor_id, actor_name, action, object_type, object_id, object_name, changes)
            VALUES (\(bind: now), \(bind: actor?.id), \(bind: actor?.username ?? "system"), \(bind: action), \(bind: objectType), \(bind: objectID),
                    \(bind: objectName.map { String($0.prefix(200)) }), \(bind: changes.serializedString()))
            """).run()
    }

    /// The fields that differ between two renderings of an object, as `{"field": {"before": …, "after": …}}`.
    /// A create has no `before` (every field is listed with its value), a delete no `after`.
    public static func changes(before: JSONValue?, after: JSONValue?) -> JSONValue {
        let old = pairs(before), new = pairs(after)
        var keys = new.map(\.0)
        for (key, _) in old where !keys.contains(key) { keys.append(key) }
        var out: [(String, JSONValue)] = []
        for key in keys where !noise.contains(key) {
            let was = old.first { $0.0 == key }?.1, now = new.first { $0.0 == key }?.1
            if let was, let now, was == now { continue }
            var change: [(String, JSONValue)] = []
            if before != nil { change.append(("before", was ?? .null)) }
            if after != nil { change.append(("after", now ?? .null)) }
            out.append((key, .object(change)))
        }
        return .object(out)
    }

    private static func pairs(_ value: JSONValue?) -> [(String, JSONValue)] {
        guard case .object(let members)? = value else { return [] }
        return members
    }

    /// Events matching `query`, newest first, with the total count.
    public static func events(_ query: AuditQuery, db: any SQLDatabase) async throws -> (count: Int, events: [AuditEvent]) {
        var condition: SQLQueryString = "1 = 1"
        if let type = query.objectType { condition = condition + " AND object_type = \(bind: type)" }
        if let id = query.objectID { condition = condition + " AND object_id = \(bind: id)" }
        if let actor = query.actorID { condition = condition + " AND actor_id = \(bind: actor)" }
        if let action = query.action { condition = condition + " AND action = \(bind: action)" }
        if let from = query.from { condition = condition + " AND created >= \(bind: from)" }
        if let to = query.to { condition = condition + " AND created <= \(bind: to)" }
        let count = try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE " + condition).first()?.decode(column: "n", as: Int.self) ?? 0
        let rows = try await db.raw("""
            SELECT id, created, actor_id, actor_name, action, object_type, object_id, object_name, changes FROM audit_log WHERE
            """ + " " + condition + " ORDER BY id DESC LIMIT \(bind: query.limit) OFFSET \(bind: query.offset)").all()
        let events = try rows.map { row in
            AuditEvent(
                id: try row.decode(column: "id", as: Int.self), created: try row.decode(column: "created", as: Date.self),
                actorID: try row.decode(column: "actor_id", as: Int?.self), actorName: try row.decode(column: "actor_name", as: String.self),
                action: try row.decode(column: "action", as: String.self), objectType: try row.decode(column: "object_type", as: String.self),
                objectID: try row.decode(column: "object_id", as: Int?.self), objectName: try row.decode(column: "object_name", as: String?.self),
                changes: JSONValue.parseOrdered(try row.decode(column: "changes", as: String.self)) ?? .null)
        }
        return (count, events)
    }

    /// Deletes events older than `days` (the periodic maintenance job, `BULWARK_AUDIT_RETENTION_DAYS`).
    public static func deleteOlderThan(days: Int, now: Date, db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM audit_log WHERE created < \(bind: now.addingTimeInterval(-Double(days) * 86_400))").run()
    }
}
