import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit

extension FindingList {
    /// The list's SQL: one statement for the page, one for the count, both with the same conditions.
    struct Query: Sendable {
        var db: any SQLDatabase
        var user: UserAccount
        var now: Date

        /// The WHERE conditions of the filters (and the user's product scope).
        func conditions(_ filters: Filters, sla: SLAConditions?) -> [SQLQueryString] {
            let f = "findings"
            var out = ProductPath.findings.visibility(user)
            if !filters.severities.isEmpty { out.append("\(ident: f).\(ident: "severity") IN (\(binds: filters.severities))") }
            switch filters.status {
            case "active": out.append("\(ident: f).\(ident: "active") = \(bind: true)")
            case "inactive": out.append("\(ident: f).\(ident: "active") = \(bind: false)")
            case "verified": out.append("\(ident: f).\(ident: "verified") = \(bind: true)")
            case "mitigated": out.append("\(ident: f).\(ident: "is_mitigated") = \(bind: true)")
            case "false_p", "out_of_scope", "risk_accepted", "duplicate": out.append("\(ident: f).\(ident: filters.status) = \(bind: true)")
            default: break
            }
            if let product = filters.product { out.append("\(ident: f).\(ident: "product_id") = \(bind: product)") }
            if let engagement = filters.engagement { out.append("\(ident: f).\(ident: "engagement_id") = \(bind: engagement)") }
            if let test = filters.test { out.append("\(ident: f).\(ident: "test_id") = \(bind: test)") }
            if !filters.scanType.isEmpty {
                out.append("\(ident: f).\(ident: "test_id") IN (SELECT \(ident: "id") FROM \(ident: "tests") WHERE \(ident: "scan_type") = \(bind: filters.scanType))")
            }
            if !filters.tag.isEmpty {
                out.append("""
                    \(ident: f).\(ident: "id") IN (SELECT \(ident: "object_id") FROM \(ident: "tags") WHERE \(ident: "object_type") = 'finding' AND \(ident: "name") = \(bind: filters.tag))
                    """)
            }
            if let cwe = filters.cwe { out.append("\(ident: f).\(ident: "cwe") = \(bind: cwe)") }
            if !filters.cve.isEmpty {
                out.append("""
                    \(ident: f).\(ident: "id") IN (SELECT \(ident: "finding_id") FROM \(ident: "vulnerability_ids") WHERE \(ident: "vulnerability_id") = \(bind: filters.cve))
                    """)
            }
            if !filters.dateFrom.isEmpty { out.append("\(ident: f).\(ident: "date") >= \(bind: filters.dateFrom)") }
            if !filters.dateTo.isEmpty { out.append("\(ident: f).\(ident: "date") <= \(bind: filters.dateTo)") }
            if let sla {
                switch filters.sla {
                case "breached": out.append(sla.breached)
                case "due_soon": out.append(sla.dueSoon)
                case "on_track": out.append(sla.onTrack)
                default: break
                }
            }
            if !filters.search.isEmpty {
                let pattern = "%" + filters.search.lowercased().replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
                out.append("""
                    (LOWER(\(ident: f).\(ident: "title")) LIKE \(bind: pattern) OR LOWER(COALESCE(\(ident: f).\(ident: "component_name"), '')) LIKE \(bind: pattern)
                     OR LOWER(COALESCE(\(ident: f).\(ident: "file_path"), '')) LIKE \(bind: pattern))
                    """)
            }
            return out
        }

        /// ORDER BY for a sort key; the id makes the order total so pages never overlap.
        static func orderBy(_ order: String) -> SQLQueryString {
            switch order {
            case "-date": return "\(ident: "findings").\(ident: "date") DESC, \(ident: "findings").\(ident: "id") DESC"
            case "date": return "\(ident: "findings").\(ident: "date") ASC, \(ident: "findings").\(ident: "id") ASC"
            case "title": return "\(ident: "findings").\(ident: "title") ASC, \(ident: "findings").\(ident: "id") ASC"
            case "-title": return "\(ident: "findings").\(ident: "title") DESC, \(ident: "findings").\(ident: "id") DESC"
            case "-id": return "\(ident: "findings").\(ident: "id") DESC"
            default:
                // Most severe first, the oldest (closest to its SLA) first within a severity: the order of the
                // (numerical_severity, date, title) index, so a page of 100,000 findings needs no sort.
                return "\(ident: "findings").\(ident: "numerical_severity") ASC, \(ident: "findings").\(ident: "date") ASC, \(ident: "findings").\(ident: "title") ASC, \(ident: "findings").\(ident: "id") ASC"
            }
        }

        func model(_ filters: Filters, csrfToken: String) async throws -> Model {
            let slaConditions = try await SLAConditions.load(db: db, today: now)
            let condition = conditions(filters, sla: slaConditions).joinedAsConditions()
            let countRow = try await db.raw("SELECT COUNT(*) AS \(ident: "n") FROM \(ident: "findings") WHERE " + condition).first()
            let total = try countRow?.decode(column: "n", as: Int.self) ?? 0
            let rows = try await db.raw("""
                SELECT \(ident: "findings").\(ident: "id"), \(ident: "findings").\(ident: "title"), \(ident: "findings").\(ident: "severity"),
                  \(ident: "findings").\(ident: "date"), \(ident: "findings").\(ident: "sla_start_date"), \(ident: "findings").\(ident: "cwe"),
                  \(ident: "findings").\(ident: "component_name"), \(ident: "findings").\(ident: "active"), \(ident: "findings").\(ident: "verified"),
                  \(ident: "findings").\(ident: "false_p"), \(ident: "findings").\(ident: "duplicate"), \(ident: "findings").\(ident: "out_of_scope"),
                  \(ident: "findings").\(ident: "risk_accepted"), \(ident: "findings").\(ident: "is_mitigated"), \(ident: "findings").\(ident: "mitigated"),
                  \(ident: "findings").\(ident: "under_review"), \(ident: "findings").\(ident: "product_id"),
                  \(ident: "products").\(ident: "name") AS \(ident: "product_name"), \(ident: "products").\(ident: "sla_configuration_id")
                FROM \(ident: "findings") JOIN \(ident: "products") ON \(ident: "products").\(ident: "id") = \(ident: "findings").\(ident: "product_id")
                WHERE
                """ + condition + " ORDER BY " + Self.orderBy(filters.order)
                + " LIMIT \(bind: filters.pageSize) OFFSET \(bind: (filters.page - 1) * filters.pageSize)").all()
            let policies = try await SLAPolicies.load(db: db)
            let enabled = slaConditions.enabled
            let list = try rows.map { row -> Row in
                let flags = try FindingFlagsRow.flags(row)
                let severity = try row.decode(column: "severity", as: String.self)
                let date = try row.decode(column: "date", as: String.self)
                var remaining: Int?
                if enabled, flags.active, let policy = policies[try row.decode(column: "sla_configuration_id", as: Int.self)],
                   let day = DateFormatting.parseDay(date) {
                    let start = try row.decode(column: "sla_start_date", as: String?.self).flatMap(DateFormatting.parseDay)
                    let expiration = FindingStatus.slaExpiration(severity: severity, date: day, slaStart: start, policy: policy)
                    remaining = FindingStatus.slaDaysRemaining(expiration: expiration, mitigated: nil, today: now)
                }
                return Row(id: try row.decode(column: "id", as: Int.self), title: try row.decode(column: "title", as: String.self),
                           severity: severity, status: FindingStatus.displayStatus(flags), product: try row.decode(column: "product_id", as: Int.self),
                           productName: try row.decode(column: "product_name", as: String.self), date: date,
                           cwe: try row.decode(column: "cwe", as: Int?.self), component: try row.decode(column: "component_name", as: String?.self) ?? "",
                           slaDaysRemaining: remaining)
            }
            return Model(filters: filters, rows: list, total: total, products: try await productOptions(),
                         engagements: try await engagementOptions(product: filters.product), scanTypes: try await scanTypeOptions(), csrfToken: csrfToken)
        }

        func productOptions() async throws -> [Option] {
            let rows = try await db.raw("SELECT \(ident: "id"), \(ident: "name") FROM \(ident: "products") WHERE "
                                        + AccessPolicy.productVisibility(user).joinedAsConditions() + " ORDER BY \(ident: "name") LIMIT 500").all()
            return try rows.map { Option(value: String(try $0.decode(column: "id", as: Int.self)), label: try $0.decode(column: "name", as: String.self)) }
        }

        func engagementOptions(product: Int?) async throws -> [Option] {
            guard let product else { return [] }
            let rows = try await db.raw("""
                SELECT \(ident: "id"), \(ident: "name") FROM \(ident: "engagements") WHERE \(ident: "product_id") = \(bind: product) ORDER BY \(ident: "id") DESC LIMIT 500
                """).all()
            return try rows.map { row in
                let id = try row.decode(column: "id", as: Int.self)
                return Option(value: String(id), label: (try row.decode(column: "name", as: String?.self)).flatMap { $0.isEmpty ? nil : $0 } ?? "Engagement \(id)")
            }
        }

        func scanTypeOptions() async throws -> [Option] {
            let rows = try await db.raw("SELECT \(ident: "name") FROM \(ident: "test_types") WHERE \(ident: "active") = \(bind: true) ORDER BY \(ident: "name")").all()
            return try rows.map { let name = try $0.decode(column: "name", as: String.self); return Option(value: name, label: name) }
        }
    }
}

/// Reads the status flags of a `findings` row selected with its flag columns.
enum FindingFlagsRow {
    static func flags(_ row: any SQLRow) throws -> FindingFlags {
        var flags = FindingFlags()
        flags.active = try row.decode(column: "active", as: Bool.self)
        flags.verified = try row.decode(column: "verified", as: Bool.self)
        flags.falsePositive = try row.decode(column: "false_p", as: Bool.self)
        flags.duplicate = try row.decode(column: "duplicate", as: Bool.self)
        flags.outOfScope = try row.decode(column: "out_of_scope", as: Bool.self)
        flags.riskAccepted = try row.decode(column: "risk_accepted", as: Bool.self)
        flags.isMitigated = try row.decode(column: "is_mitigated", as: Bool.self)
        flags.underReview = try row.decode(column: "under_review", as: Bool.self)
        flags.hasMitigatedDate = try row.decode(column: "mitigated", as: Date?.self) != nil
        return flags
    }
}

/// The SLA policy of each SLA configuration, by id.
enum SLAPolicies {
    static func load(db: any SQLDatabase) async throws -> [Int: SLAPolicy] {
        let rows = try await db.raw("""
            SELECT id, critical, enforce_critical, high, enforce_high, medium, enforce_medium, low, enforce_low FROM sla_configurations
            """).all()
        var out: [Int: SLAPolicy] = [:]
        for row in rows {
            func days(_ name: String) throws -> Int? {
                try row.decode(column: "enforce_\(name)", as: Bool.self) ? try row.decode(column: name, as: Int.self) : nil
            }
            out[try row.decode(column: "id", as: Int.self)] = SLAPolicy(critical: try days("critical"), high: try days("high"),
                                                                          medium: try days("medium"), low: try days("low"))
        }
        return out
    }
}
