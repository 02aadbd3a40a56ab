import BulwarkCore
import BulwarkStorage
import Foundation
import SQLKit

/// Mitigates findings that are no longer reported, with a note on each, in bulk.
struct FindingClosing {
    let db: any SQLDatabase

    /// DefectDojo's note on findings closed by `close_old_findings` on import.
    static let importNote = "This finding has been automatically closed as it is not present anymore in recent scans."

    /// import-scan's `close_old_findings` candidates (§3.4): open or risk-accepted findings of the same test type
    /// and service, outside the new test, in the engagement (or product), and not present in the new report.
    func oldFindingsToClose(
        context: ImportContext, productScope: Bool, newTest: Int, testType: Int, service: String?, algorithm: DedupeAlgorithm,
        presentHashes: Set<String>, presentUIDs: Set<String>
    ) async throws -> [Int] {
        let scope: SQLQueryString = productScope ? "f.product_id = \(bind: context.product)" : "f.engagement_id = \(bind: context.engagement)"
        let serviceCondition: SQLQueryString = service.map { "f.service = \(bind: $0)" } ?? "(f.service IS NULL OR f.service = '')"
        let rows = try await db.raw("""
            SELECT f.id, f.hash_code, f.unique_id_from_tool FROM findings f JOIN tests t ON t.id = f.test_id
            WHERE \(scope) AND f.test_id <> \(bind: newTest) AND t.test_type_id = \(bind: testType) AND \(serviceCondition)
              AND (f.active = \(bind: true) OR f.risk_accepted = \(bind: true))
            """).all()
        var out: [Int] = []
        for row in rows {
            let hash = try row.decode(column: "hash_code", as: String?.self)
            let uid = try row.decode(column: "unique_id_from_tool", as: String?.self)
            let hashPresent = hash.map(presentHashes.contains) ?? false
            let uidPresent = uid.map(presentUIDs.contains) ?? false
            let present: Bool
            switch algorithm {
            case .hashCode, .legacy: present = hashPresent
            case .uniqueIDFromTool: present = uidPresent
            case .uniqueIDFromToolOrHashCode: present = hashPresent || uidPresent
            }
            if !present { out.append(try row.decode(column: "id", as: Int.self)) }
        }
        return out
    }

    /// Mitigates the findings: inactive, `is_mitigated`, mitigated stamp (kept when set), risk acceptance removed,
    /// endpoint statuses mitigated, and the note added to each.
    func mitigate(_ ids: [Int], at instant: Date, by user: Int, note: String, now: Date) async throws {
        guard !ids.isEmpty else { return }
        for chunk in ids.chunked(500) {
            try await db.raw("""
                UPDATE findings SET active = \(bind: false), is_mitigated = \(bind: true), mitigated = COALESCE(mitigated, \(bind: instant)),
                  mitigated_by_id = \(bind: user), risk_accepted = \(bind: false), last_status_update = \(bind: now), updated = \(bind: now)
                WHERE id IN (\(binds: chunk))
                """).run()
            try await db.raw("DELETE FROM risk_acceptance_findings WHERE finding_id IN (\(binds: chunk))").run()
            try await db.raw("""
                UPDATE endpoint_status SET mitigated = \(bind: true), mitigated_time = \(bind: instant), mitigated_by_id = \(bind: user),
                  last_modified = \(bind: now) WHERE finding_id IN (\(binds: chunk)) AND mitigated = \(bind: false)
                """).run()
        }
        try await BulkNotes(db: db).add(entry: note, toFindings: ids, author: user, now: now)
    }
}

/// Adds the same note to many findings with a few multi-row inserts.
struct BulkNotes {
    let db: any SQLDatabase

    func add(entry: String, toFindings ids: [Int], author: Int, now: Date) async throws {
        guard !ids.isEmpty else { return }
        let insert = BulkInsert(db: db)
        let noteIDs = try await insert.insert(
            into: "notes", columns: ["entry", "date", "private", "edited", "edit_time", "author_id"],
            rows: ids.map { _ in [.string(entry), .date(now), .bool(false), .bool(false), .date(now), .int(author)] })
        try await insert.insert(into: "note_links", columns: ["note_id", "object_type", "object_id"],
                                rows: zip(noteIDs, ids).map { [.int($0), .string("finding"), .int($1)] }, returningIDs: false)
        try await insert.insert(into: "note_history", columns: ["note_id", "current_editor_id", "data", "time"],
                                rows: noteIDs.map { [.int($0), .int(author), .string(entry), .date(now)] }, returningIDs: false)
    }
}
