import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit

/// Loaders for the finding fields DefectDojo computes; each runs one query for a whole page.
enum FindingComputedFields {
    static func constant(_ value: JSONValue) -> ComputedFieldLoader {
        { ids, _ in Dictionary(uniqueKeysWithValues: ids.map { ($0, value) }) }
    }

    static let loaders: [String: ComputedFieldLoader] = [
        "request_response": constant(.object([("req_resp", .array([]))])),
        "push_to_jira": constant(.bool(false)),
        "related_fields": constant(.null),
        "jira_creation": constant(.null),
        "jira_change": constant(.null),
        "finding_groups": constant(.array([])),
        "files": constant(.array([])),
        "vulnerability_ids": vulnerabilityIDs,
        "finding_meta": findingMeta,
        "accepted_risks": acceptedRisks,
        "notes": NoteRendering.loader(objectType: "finding"),
    ]

    /// `[{"vulnerability_id": "CVE-…"}]` in the order they were given.
    static let vulnerabilityIDs: ComputedFieldLoader = { ids, db in
        var out: [Int: [JSONValue]] = [:]
        for chunk in ids.chunked(500) {
            let rows = try await db.raw("""
                SELECT \(ident: "finding_id"), \(ident: "vulnerability_id") FROM \(ident: "vulnerability_ids")
                WHERE \(ident: "finding_id") IN (\(binds: chunk)) ORDER BY \(ident: "id")
                """).all()
            for row in rows {
                out[try row.decode(column: "finding_id", as: Int.self), default: []]
                    .append(.object([("vulnerability_id", .string(try row.decode(column: "vulnerability_id", as: String.self)))]))
            }
        }
        return Dictionary(uniqueKeysWithValues: ids.map { ($0, JSONValue.array(out[$0] ?? [])) })
    }

    /// `[{"name", "value"}]` from the finding's metadata.
    static let findingMeta: ComputedFieldLoader = { ids, db in
        var out: [Int: [JSONValue]] = [:]
        for chunk in ids.chunked(500) {
            let rows = try await db.raw("""
                SELECT \(ident: "finding_id"), \(ident: "name"), \(ident: "value") FROM \(ident: "dojo_meta")
                WHERE \(ident: "finding_id") IN (\(binds: chunk)) ORDER BY \(ident: "id")
                """).all()
            for row in rows {
                out[try row.decode(column: "finding_id", as: Int.self), default: []].append(.object([
                    ("name", .string(try row.decode(column: "name", as: String.self))),
                    ("value", .string(try row.decode(column: "value", as: String.self))),
                ]))
            }
        }
        return Dictionary(uniqueKeysWithValues: ids.map { ($0, JSONValue.array(out[$0] ?? [])) })
    }

    /// Full risk acceptance objects accepting each finding.
    static let acceptedRisks: ComputedFieldLoader = { ids, db in
        var links: [Int: [Int]] = [:]
        for chunk in ids.chunked(500) {
            let rows = try await db.raw("""
                SELECT \(ident: "finding_id"), \(ident: "risk_acceptance_id") FROM \(ident: "risk_acceptance_findings")
                WHERE \(ident: "finding_id") IN (\(binds: chunk)) ORDER BY \(ident: "risk_acceptance_id")
                """).all()
            for row in rows {
                links[try row.decode(column: "finding_id", as: Int.self), default: []].append(try row.decode(column: "risk_acceptance_id", as: Int.self))
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

    /// `age`, `sla_days_remaining`, `sla_expiration_date` and `display_status` from one join with the product's SLA configuration.
    static let statusGroup: ComputedGroupLoader = { ids, db in
        let today = Date()
        var age: [Int: JSONValue] = [:], remaining: [Int: JSONValue] = [:], expiration: [Int: JSONValue] = [:], status: [Int: JSONValue] = [:]
        let slaEnabled = try await SystemSettings.load(db: db).enableFindingSLA
        for chunk in ids.chunked(500) {
            let rows = try await db.raw("""
                SELECT f.id, f.date, f.sla_start_date, f.mitigated, f.severity, f.active, f.verified, f.false_p, f.out_of_scope, f.duplicate,
                  f.risk_accepted, f.is_mitigated, f.under_review, s.critical, s.enforce_critical, s.high, s.enforce_high, s.medium,
                  s.enforce_medium, s.low, s.enforce_low
                FROM findings f JOIN products p ON p.id = f.product_id JOIN sla_configurations s ON s.id = p.sla_configuration_id
                WHERE f.id IN (\(binds: chunk))
                """).all()
            for row in rows {
                let id = try row.decode(column: "id", as: Int.self)
                var flags = FindingFlags()
                flags.active = try row.decode(column: "active", as: Bool.self)
                flags.verified = try row.decode(column: "verified", as: Bool.self)
                flags.falsePositive = try row.decode(column: "false_p", as: Bool.self)
                flags.outOfScope = try row.decode(column: "out_of_scope", as: Bool.self)
                flags.duplicate = try row.decode(column: "duplicate", as: Bool.self)
                flags.riskAccepted = try row.decode(column: "risk_accepted", as: Bool.self)
                flags.isMitigated = try row.decode(column: "is_mitigated", as: Bool.self)
                flags.underReview = try row.decode(column: "under_review", as: Bool.self)
                let mitigated = try row.decode(column: "mitigated", as: Date?.self)
                flags.hasMitigatedDate = mitigated != nil
                status[id] = .string(FindingStatus.displayStatus(flags))
                guard let date = DateFormatting.parseDay(try row.decode(column: "date", as: String.self)) else { continue }
                age[id] = .int(FindingStatus.age(date: date, mitigated: mitigated, today: today))
                guard slaEnabled else { continue }
                func days(_ name: String) throws -> Int? {
                    try row.decode(column: "enforce_\(name)", as: Bool.self) ? try row.decode(column: name, as: Int.self) : nil
                }
                let policy = SLAPolicy(critical: try days("critical"), high: try days("high"), medium: try days("medium"), low: try days("low"))
                let start = try row.decode(column: "sla_start_date", as: String?.self).flatMap(DateFormatting.parseDay)
                let expires = FindingStatus.slaExpiration(severity: try row.decode(column: "severity", as: String.self), date: date, slaStart: start, policy: policy)
                expiration[id] = expires.map { .string(DateFormatting.day($0)) } ?? .null
                remaining[id] = FindingStatus.slaDaysRemaining(expiration: expires, mitigated: mitigated, today: today).map(JSONValue.int) ?? .null
            }
        }
        return ["age": age, "sla_days_remaining": remaining, "sla_expiration_date": expiration, "display_status": status]
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements (bind lists stay well under PostgreSQL's limit).
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: Swift.max(1, size)).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
