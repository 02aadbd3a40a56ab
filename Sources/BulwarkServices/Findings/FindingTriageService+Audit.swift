import BulwarkStorage
import Foundation
import SQLKit

/// Triage writes run through ``FindingTriageService/audited(_:action:_:)``: one transaction that
/// reads the finding's triage fields, applies the change, reads them again and records the
/// difference in the audit log.
extension FindingTriageService {
    /// The fields a triage action may change, as the audit log shows them.
    static let auditedColumns = ["title", "severity", "active", "verified", "false_p", "out_of_scope", "duplicate", "is_mitigated",
                                 "risk_accepted", "under_review", "mitigated", "mitigation", "description"]

    static func auditSnapshot(_ id: Int, db: any SQLDatabase) async throws -> JSONValue? {
        let columns = SQLQueryString(auditedColumns.joined(separator: ", "))
        guard let row = try await db.raw("SELECT " + columns + " FROM findings WHERE id = \(bind: id)").first() else { return nil }
        var members: [(String, JSONValue)] = []
        for name in auditedColumns {
            switch name {
            case "active", "verified", "false_p", "out_of_scope", "duplicate", "is_mitigated", "risk_accepted", "under_review":
                members.append((name, .bool(try row.decode(column: name, as: Bool.self))))
            case "mitigated":
                members.append((name, try row.decode(column: name, as: Date?.self).map { .string(DateFormatting.instant($0)) } ?? .null))
            default:
                members.append((name, try row.decode(column: name, as: String?.self).map(JSONValue.string) ?? .null))
            }
        }
        return .object(members)
    }

    /// Runs `body` in a write transaction and records what it changed on finding `id` as `action`.
    func audited(_ id: Int, action: String, _ body: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
        let user = self.user, now = self.now
        try await WriteTransaction.run(on: database) { sql in
            let before = try await Self.auditSnapshot(id, db: sql)
            try await body(sql)
            let after = try await Self.auditSnapshot(id, db: sql)
            let changes = AuditLog.changes(before: before, after: after)
            guard !changes.keys.isEmpty else { return }
            try await AuditLog.record(db: sql, actor: user, action: action, objectType: "finding", objectID: id,
                                      objectName: after?["title"]?.stringValue, changes: changes, now: now)
        }
    }
}
