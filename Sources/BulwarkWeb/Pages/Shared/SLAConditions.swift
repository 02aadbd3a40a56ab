import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit

/// SQL conditions on `findings` for SLA states, from the SLA configurations in the database.
///
/// A finding's SLA expires `days(severity)` after its SLA start (or its date); dates are stored as
/// `YYYY-MM-DD` text, so each state is a comparison of that start with a day computed here per
/// configuration and severity — no date arithmetic in SQL, the same on SQLite and PostgreSQL.
struct SLAConditions: Sendable {
    /// One SLA configuration: its id and the enforced days per severity.
    struct Configuration: Sendable {
        var id: Int
        var days: [(severity: String, days: Int)]
    }

    var configurations: [Configuration]
    var today: Date
    var enabled: Bool

    /// Reads the configurations and the system setting.
    static func load(db: any SQLDatabase, today: Date) async throws -> SLAConditions {
        let rows = try await db.raw("""
            SELECT id, critical, enforce_critical, high, enforce_high, medium, enforce_medium, low, enforce_low FROM sla_configurations ORDER BY id
            """).all()
        let configurations = try rows.map { row in
            var days: [(String, Int)] = []
            for severity in ["critical", "high", "medium", "low"] where try row.decode(column: "enforce_\(severity)", as: Bool.self) {
                days.append((severity.capitalized, try row.decode(column: severity, as: Int.self)))
            }
            return Configuration(id: try row.decode(column: "id", as: Int.self), days: days)
        }
        let enabled = try await SystemSettings.load(db: db).enableFindingSLA
        return SLAConditions(configurations: configurations, today: today, enabled: enabled)
    }

    /// Active findings whose SLA has expired (`expiration < today`).
    var breached: SQLQueryString { condition { start, days in "\(start) < \(bind: self.day(offset: -days))" } }

    /// Active findings whose SLA expires today or within 7 days.
    var dueSoon: SQLQueryString {
        condition { start, days in "\(start) >= \(bind: self.day(offset: -days)) AND \(start) <= \(bind: self.day(offset: 7 - days))" }
    }

    /// Active findings whose SLA has not expired.
    var onTrack: SQLQueryString { condition { start, days in "\(start) >= \(bind: self.day(offset: -days))" } }

    func day(offset: Int) -> String { DateFormatting.day(DateFormatting.adding(days: offset, to: today)) }

    /// `findings.active AND (config 1 and (severity clauses) OR config 2 …)`; never true when SLAs are off.
    func condition(_ clause: (SQLQueryString, Int) -> SQLQueryString) -> SQLQueryString {
        guard enabled else { return "1 = 0" }
        let start: SQLQueryString = "COALESCE(\(ident: "findings").\(ident: "sla_start_date"), \(ident: "findings").\(ident: "date"))"
        var alternatives: [SQLQueryString] = []
        for configuration in configurations where !configuration.days.isEmpty {
            let severities: [SQLQueryString] = configuration.days.map { entry in
                "(\(ident: "findings").\(ident: "severity") = \(bind: entry.severity) AND " + clause(start, entry.days) + ")"
            }
            alternatives.append("(\(ident: "findings").\(ident: "product_id") IN (SELECT \(ident: "id") FROM \(ident: "products") WHERE \(ident: "sla_configuration_id") = \(bind: configuration.id)) AND ("
                                + severities.joined(separator: " OR ") + "))")
        }
        guard !alternatives.isEmpty else { return "1 = 0" }
        return "(\(ident: "findings").\(ident: "active") = \(bind: true) AND (" + alternatives.joined(separator: " OR ") + "))"
    }
}

extension Array where Element == SQLQueryString {
    /// The conditions joined with AND, or a condition that is always true.
    func joinedAsConditions() -> SQLQueryString {
        // Spaces around, so it can follow "WHERE" or "AND" at the end of a multi-line literal.
        " " + (isEmpty ? "1 = 1" : joined(separator: " AND ")) + " "
    }
}
