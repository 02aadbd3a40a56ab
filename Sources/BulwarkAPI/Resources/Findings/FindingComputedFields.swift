import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit

/// Loaders for the finding fields DefectDojo computes; each runs one query for a whole page.
enum FindingComputedFields {
    /// Fields DefectDojo computes from features Bulwark does not have: the same value on every finding.
    static let constants: [String: JSONValue] = [
        "request_response": .object([("req_resp", .array([]))]),
        "push_to_jira": .bool(false),
        "related_fields": .null,
        "jira_creation": .null,
        "jira_change": .null,
        "finding_groups": .array([]),
        "files": .array([]),
    ]

    /// `[{"name", "value"}]` from the finding's metadata.
    static let findingMeta: ComputedFieldLoader = { ids, db in
        var out: [Int: [JSONValue]] = [:]
        for chunk in ids.chunked(500) {
            let rows = try await db.rows("""
                SELECT \(ident: "finding_id"), \(ident: "name"), \(ident: "value") FROM \(ident: "dojo_meta")
                WHERE \(ident: "finding_id") IN (\(binds: chunk)) ORDER BY \(ident: "id")
                """)
            for row in rows {
                out[(try row.int("finding_id") ?? 0), default: []].append(.object([
                    ("name", .string((try row.string("name") ?? ""))),
                    ("value", .string((try row.string("value") ?? ""))),
                ]))
            }
        }
        return Dictionary(uniqueKeysWithValues: ids.map { ($0, JSONValue.array(out[$0] ?? [])) })
    }

    /// Full risk acceptance objects accepting each finding.
    static let acceptedRisks: ComputedFieldLoader = { ids, db in
        var links: [Int: [Int]] = [:]
        for chunk in ids.chunked(500) {
            let rows = try await db.rows("""
                SELECT \(ident: "finding_id"), \(ident: "risk_acceptance_id") FROM \(ident: "risk_acceptance_findings")
                WHERE \(ident: "finding_id") IN (\(binds: chunk)) ORDER BY \(ident: "risk_acceptance_id")
                """)
            for row in rows {
                links[(try row.int("finding_id") ?? 0), default: []].append((try row.int("risk_acceptance_id") ?? 0))
            }
        }
        let acceptanceIDs = Array(Set(links.values.joined())).sorted()
        var objects: [Int: JSONValue] = [:]
        if !acceptanceIDs.isEmpty {
            let schema = RiskAcceptanceResource.schema
            let rendered = try await ResourceRepository(schema: schema, db: db).list(
                where: ["\(ident: schema.table).\(ident: "id") IN (\(binds: acceptanceIDs))"],
                orderBy: ["\(ident: schema.table).\(ident: "id") ASC"], limit: acceptanceIDs.count, offset: 0)
            for object in rendered { if let id = object["id"]?.intValue { objects[id] = object } }
        }
        return Dictionary(uniqueKeysWithValues: ids.map { id in (id, JSONValue.array((links[id] ?? []).compactMap { objects[$0] })) })
    }

    /// The SQL text, per finding, of the SLA days its product's configuration enforces:
    /// `critical,high,medium,low`, each -1 when not enforced (parsed by ``slaPolicy(packed:)``).
    static let packedSLADays = ["critical", "high", "medium", "low"]
        .map { "(CASE WHEN s.enforce_\($0) THEN s.\($0) ELSE -1 END)" }
        .joined(separator: " || ',' || ")

    /// The policy from ``packedSLADays``' text; nil when the text is malformed.
    static func slaPolicy(packed: String) -> SLAPolicy? {
        let days = packed.split(separator: ",").map { Int($0) }
        guard days.count == 4, days.allSatisfy({ $0 != nil }) else { return nil }
        func enforced(_ index: Int) -> Int? { days[index].flatMap { $0 < 0 ? nil : $0 } }
        return SLAPolicy(critical: enforced(0), high: enforced(1), medium: enforced(2), low: enforced(3))
    }

    /// `age`, `sla_days_remaining`, `sla_expiration_date` and `display_status`, computed from the
    /// page's own columns (dates, severity, status flags) and each finding's SLA policy.
    /// - Parameters:
    ///   - policies: the SLA policy of each finding's product, by finding id.
    ///   - slaEnabled: the system setting `enable_finding_sla`.
    static func status(_ page: PageRows, policies: [Int: SLAPolicy], slaEnabled: Bool, today: Date = Date()) throws -> [String: [Int: JSONValue]] {
        var age: [Int: JSONValue] = [:], remaining: [Int: JSONValue] = [:], expiration: [Int: JSONValue] = [:], status: [Int: JSONValue] = [:]
        guard let columns = page.rows.first?.columns else { return [:] }
        // Column positions once per page, not per row.
        func at(_ name: String) -> Int { columns.position(of: name) ?? Int.max }
        let (cDate, cStart, cMitigated, cSeverity) = (at("date"), at("sla_start_date"), at("mitigated"), at("severity"))
        let flagColumns = ["active", "verified", "false_p", "out_of_scope", "duplicate", "risk_accepted", "is_mitigated", "under_review"].map(at)
        for (id, row) in zip(page.ids, page.rows) {
            func flag(_ index: Int) throws -> Bool { try row.bool(at: flagColumns[index]) ?? false }
            var flags = FindingFlags()
            (flags.active, flags.verified, flags.falsePositive, flags.outOfScope) = (try flag(0), try flag(1), try flag(2), try flag(3))
            (flags.duplicate, flags.riskAccepted, flags.isMitigated, flags.underReview) = (try flag(4), try flag(5), try flag(6), try flag(7))
            let mitigated = try row.date(at: cMitigated)
            flags.hasMitigatedDate = mitigated != nil
            status[id] = .string(FindingStatus.displayStatus(flags))
            guard let date = DateFormatting.parseDay((try row.string(at: cDate) ?? "")) else { continue }
            age[id] = .int(FindingStatus.age(date: date, mitigated: mitigated, today: today))
            guard slaEnabled, let policy = policies[id] else { continue }
            let start = try row.string(at: cStart).flatMap(DateFormatting.parseDay)
            let expires = FindingStatus.slaExpiration(severity: (try row.string(at: cSeverity) ?? ""), date: date, slaStart: start, policy: policy)
            expiration[id] = expires.map { .string(DateFormatting.day($0)) } ?? .null
            remaining[id] = FindingStatus.slaDaysRemaining(expiration: expires, mitigated: mitigated, today: today).map(JSONValue.int) ?? .null
        }
        return ["age": age, "sla_days_remaining": remaining, "sla_expiration_date": expiration, "display_status": status]
    }
}
