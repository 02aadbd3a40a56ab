import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit

extension Dashboard {
    /// Reads the dashboard's figures for one user (their products only), in a handful of grouped queries.
    struct Query: Sendable {
        var db: any SQLDatabase
        var user: UserAccount
        var now: Date

        var visibleFindings: SQLQueryString { ProductPath.findings.visibility(user).joinedAsConditions() }

        func model() async throws -> Model {
            let sla = try await SLAConditions.load(db: db, today: now)
            return Model(activeBySeverity: try await activeBySeverity(), weeks: try await weeks(),
                  slaBreached: try await count(sla.breached), slaDueSoon: try await count(sla.dueSoon),
                  topProducts: try await topProducts(), latestImports: try await ImportsQuery(db: db, user: user).latest(limit: 8))
        }

        func activeBySeverity() async throws -> [SeverityCount] {
            let rows = try await db.raw("""
                SELECT \(ident: "severity"), COUNT(*) AS \(ident: "n") FROM \(ident: "findings")
                WHERE \(ident: "findings").\(ident: "active") = \(bind: true) AND
                """ + visibleFindings + " GROUP BY \(ident: "severity")").all()
            var counts: [String: Int] = [:]
            for row in rows { counts[try row.decode(column: "severity", as: String.self)] = try row.decode(column: "n", as: Int.self) }
            return Components.severities.map { SeverityCount(severity: $0, count: counts[$0] ?? 0) }
        }

        func count(_ condition: SQLQueryString) async throws -> Int {
            let row = try await db.raw("SELECT COUNT(*) AS \(ident: "n") FROM \(ident: "findings") WHERE " + condition + " AND " + visibleFindings).first()
            return try row?.decode(column: "n", as: Int.self) ?? 0
        }

        /// Twelve weeks ending today: opened by finding date (grouped per day in SQL), closed by mitigation time.
        func weeks() async throws -> [Week] {
            let first = DateFormatting.startOfDay(DateFormatting.adding(days: -83, to: now))
            let starts = (0..<12).map { DateFormatting.adding(days: $0 * 7, to: first) }
            let days = starts.map(DateFormatting.day)
            var opened = [Int](repeating: 0, count: 12)
            let openedRows = try await db.raw("""
                SELECT \(ident: "date"), COUNT(*) AS \(ident: "n") FROM \(ident: "findings") WHERE \(ident: "date") >= \(bind: days[0]) AND
                """ + visibleFindings + " GROUP BY \(ident: "date")").all()
            for row in openedRows {
                let day = try row.decode(column: "date", as: String.self)
                if let index = days.lastIndex(where: { $0 <= day }) { opened[index] += try row.decode(column: "n", as: Int.self) }
            }
            var sums: [SQLQueryString] = []
            for index in 0..<12 {
                let end = DateFormatting.adding(days: 7, to: starts[index])
                sums.append("SUM(CASE WHEN \(ident: "mitigated") >= \(bind: starts[index]) AND \(ident: "mitigated") < \(bind: end) THEN 1 ELSE 0 END) AS \(ident: "w\(index)")")
            }
            let closedRow = try await db.raw("SELECT " + sums.joined(separator: ", ") + """
                 FROM \(ident: "findings") WHERE \(ident: "is_mitigated") = \(bind: true) AND \(ident: "mitigated") >= \(bind: first) AND
                """ + visibleFindings).first()
            return try (0..<12).map { index in
                Week(start: days[index], opened: opened[index], closed: try closedRow?.decode(column: "w\(index)", as: Int?.self) ?? 0)
            }
        }

        func topProducts() async throws -> [ProductRisk] {
            let rows = try await db.raw("""
                SELECT \(ident: "findings").\(ident: "product_id") AS \(ident: "id"), \(ident: "products").\(ident: "name") AS \(ident: "name"),
                  SUM(CASE WHEN \(ident: "findings").\(ident: "severity") = 'Critical' THEN 1 ELSE 0 END) AS \(ident: "critical"),
                  SUM(CASE WHEN \(ident: "findings").\(ident: "severity") = 'High' THEN 1 ELSE 0 END) AS \(ident: "high")
                FROM \(ident: "findings") JOIN \(ident: "products") ON \(ident: "products").\(ident: "id") = \(ident: "findings").\(ident: "product_id")
                WHERE \(ident: "findings").\(ident: "active") = \(bind: true) AND \(ident: "findings").\(ident: "severity") IN ('Critical', 'High') AND
                """ + visibleFindings + """
                 GROUP BY \(ident: "findings").\(ident: "product_id"), \(ident: "products").\(ident: "name")
                ORDER BY COUNT(*) DESC, \(ident: "findings").\(ident: "product_id") LIMIT 5
                """).all()
            return try rows.map { row in
                ProductRisk(id: try row.decode(column: "id", as: Int.self), name: try row.decode(column: "name", as: String.self),
                            critical: try row.decode(column: "critical", as: Int.self), high: try row.decode(column: "high", as: Int.self))
            }
        }
    }
}
