import BulwarkStorage
import Foundation
import SQLKit

/// Keeps findings' `risk_accepted`/`active` flags in line with risk acceptances, and expires them.
public enum RiskAcceptances {
    /// Findings linked to an acceptance.
    public static func findings(of acceptance: Int, db: any SQLDatabase) async throws -> [Int] {
        try await db.raw("SELECT finding_id FROM risk_acceptance_findings WHERE risk_acceptance_id = \(bind: acceptance) ORDER BY finding_id").all()
            .map { try $0.decode(column: "finding_id", as: Int.self) }
    }

    /// The engagements the given findings belong to.
    public static func engagements(of findings: [Int], db: any SQLDatabase) async throws -> Set<Int> {
        guard !findings.isEmpty else { return [] }
        let rows = try await db.raw("SELECT DISTINCT engagement_id FROM findings WHERE id IN (\(binds: findings))").all()
        return Set(try rows.map { try $0.decode(column: "engagement_id", as: Int.self) })
    }

    /// Accepts the acceptance's current findings and reactivates those it no longer holds (`previous` − current).
    public static func synchronise(acceptance: Int, previous: JSONValue?, db: any SQLDatabase, now: Date) async throws {
        let current = try await findings(of: acceptance, db: db)
        if !current.isEmpty {
            try await db.raw("""
                UPDATE findings SET risk_accepted = \(bind: true), active = \(bind: false), last_status_update = \(bind: now) WHERE id IN (\(binds: current))
                """).run()
        }
        let before = previous?.arrayOfInts ?? []
        let removed = Set(before).subtracting(current)
        try await reactivate(Array(removed), db: db, now: now)
    }

    /// Reactivates every finding of an acceptance that is about to be deleted.
    public static func release(acceptance: Int, db: any SQLDatabase, now: Date) async throws {
        let linked = try await findings(of: acceptance, db: db)
        try await db.raw("DELETE FROM risk_acceptance_findings WHERE risk_acceptance_id = \(bind: acceptance)").run()
        try await reactivate(linked, db: db, now: now)
    }

    /// Findings no other acceptance holds become active again (unless mitigated) and lose `risk_accepted`.
    static func reactivate(_ ids: [Int], db: any SQLDatabase, now: Date, restartSLA: Bool = false) async throws {
        guard !ids.isEmpty else { return }
        var assignments: SQLQueryString = """
            risk_accepted = \(bind: false), active = CASE WHEN is_mitigated THEN \(bind: false) ELSE \(bind: true) END, last_status_update = \(bind: now)
            """
        if restartSLA { assignments = assignments + ", sla_start_date = \(bind: DateFormatting.day(now))" }
        try await db.raw("""
            UPDATE findings SET \(assignments)
            WHERE id IN (\(binds: ids)) AND id NOT IN (SELECT finding_id FROM risk_acceptance_findings)
            """).run()
    }

    /// Handles acceptances whose expiration date has passed: reactivates their findings when
    /// `reactivate_expired` is set (restarting the SLA when `restart_sla_expired`), and stamps them handled.
    /// - Returns: how many acceptances were handled.
    @discardableResult
    public static func expire(db: any SQLDatabase, now: Date) async throws -> Int {
        let rows = try await db.raw("""
            SELECT id, reactivate_expired, restart_sla_expired FROM risk_acceptances
            WHERE expiration_date IS NOT NULL AND expiration_date <= \(bind: now) AND expiration_date_handled IS NULL
            """).all()
        for row in rows {
            let id = try row.decode(column: "id", as: Int.self)
            if try row.decode(column: "reactivate_expired", as: Bool.self) {
                let linked = try await findings(of: id, db: db)
                try await db.raw("DELETE FROM risk_acceptance_findings WHERE risk_acceptance_id = \(bind: id)").run()
                try await reactivate(linked, db: db, now: now, restartSLA: try row.decode(column: "restart_sla_expired", as: Bool.self))
                // Keep the history: the acceptance still lists what it accepted.
                for finding in linked {
                    try await db.raw("INSERT INTO risk_acceptance_findings (risk_acceptance_id, finding_id) VALUES (\(bind: id), \(bind: finding))").run()
                }
                try await db.raw("UPDATE findings SET risk_accepted = \(bind: false) WHERE id IN (\(binds: linked.isEmpty ? [0] : linked))").run()
            }
            try await db.raw("UPDATE risk_acceptances SET expiration_date_handled = \(bind: now) WHERE id = \(bind: id)").run()
        }
        return rows.count
    }
}

extension JSONValue {
    /// The integers of an array value.
    var arrayOfInts: [Int] {
        guard case .array(let items) = self else { return [] }
        return items.compactMap { if case .int(let i) = $0 { return i } else { return nil } }
    }
}
