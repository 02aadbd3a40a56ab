import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit

/// Loads every relation a findings page shows (tags, endpoints, reviewers, found_by, vulnerability
/// ids, metadata, and whether notes or risk acceptances exist) and each finding's SLA policy in
/// ONE query, so a page costs a handful of round trips whatever its size. Notes and risk
/// acceptances are rendered only for the findings that have them; the status fields (age, SLA,
/// display status) are computed from the page's rows and the policies.
enum FindingRelations {
    static let group: ComputedGroupLoader = { page, db in
        let ids = page.ids
        var tags: [Int: [JSONValue]] = [:], endpoints: [Int: [JSONValue]] = [:], reviewers: [Int: [JSONValue]] = [:]
        var foundBy: [Int: [JSONValue]] = [:], vulnerabilityIDs: [Int: [JSONValue]] = [:], meta: [Int: [JSONValue]] = [:]
        var withNotes = Set<Int>(), withRisk = Set<Int>()
        var policies: [Int: SLAPolicy] = [:], slaEnabled = true
        do {  // The whole page in one query: its ids are one bound JSON array on SQLite, a literal list elsewhere.
            // kind, owner, a text value, a number value, an order key within the kind, and a second text value.
            let rows = try await db.rows("""
                SELECT 't' AS k, object_id AS o, name AS s, NULL AS n, id AS r, NULL AS v FROM tags WHERE object_type = 'finding' AND object_id IN \(integerSet: ids)
                UNION ALL SELECT 'e', finding_id, NULL, endpoint_id, endpoint_id, NULL FROM endpoint_status WHERE finding_id IN \(integerSet: ids)
                UNION ALL SELECT 'r', finding_id, NULL, user_id, user_id, NULL FROM finding_reviewers WHERE finding_id IN \(integerSet: ids)
                UNION ALL SELECT 'f', finding_id, NULL, test_type_id, test_type_id, NULL FROM finding_found_by WHERE finding_id IN \(integerSet: ids)
                UNION ALL SELECT 'v', finding_id, vulnerability_id, NULL, id, NULL FROM vulnerability_ids WHERE finding_id IN \(integerSet: ids)
                UNION ALL SELECT 'm', finding_id, name, NULL, id, value FROM dojo_meta WHERE finding_id IN \(integerSet: ids)
                UNION ALL SELECT 'n', object_id, NULL, note_id, note_id, NULL FROM note_links WHERE object_type = 'finding' AND object_id IN \(integerSet: ids)
                UNION ALL SELECT 'a', finding_id, NULL, risk_acceptance_id, risk_acceptance_id, NULL FROM risk_acceptance_findings WHERE finding_id IN \(integerSet: ids)
                UNION ALL SELECT 'p', f.id, NULL, NULL, 0, \(unsafeRaw: FindingComputedFields.packedSLADays) FROM findings f
                  JOIN products p ON p.id = f.product_id JOIN sla_configurations s ON s.id = p.sla_configuration_id WHERE f.id IN \(integerSet: ids)
                UNION ALL SELECT 'x', 0, NULL, (SELECT CASE WHEN ss.enable_finding_sla THEN 1 ELSE 0 END FROM system_settings ss ORDER BY ss.id LIMIT 1), 0, NULL
                """)
            // Columns by position: the SELECT above fixes them. Ordered here (kind, owner, order key) rather
            // than by SQLite, whose ORDER BY would sort each branch of the UNION in a temporary b-tree.
            let keyed = try rows.map { row in (kind: try row.string(at: 0) ?? "", owner: try row.int(at: 1) ?? 0, order: try row.int(at: 4) ?? 0, row: row) }
            let ordered = keyed.sorted { ($0.kind, $0.owner, $0.order) < ($1.kind, $1.owner, $1.order) }
            for (kind, owner, _, row) in ordered {
                switch kind {
                case "t": tags[owner, default: []].append(.string(try row.string(at: 2) ?? ""))
                case "e": endpoints[owner, default: []].append(.int(try row.int(at: 3) ?? 0))
                case "r": reviewers[owner, default: []].append(.int(try row.int(at: 3) ?? 0))
                case "f": foundBy[owner, default: []].append(.int(try row.int(at: 3) ?? 0))
                case "v": vulnerabilityIDs[owner, default: []].append(.object([("vulnerability_id", .string(try row.string(at: 2) ?? ""))]))
                case "m": meta[owner, default: []].append(.object([("name", .string(try row.string(at: 2) ?? "")), ("value", .string(try row.string(at: 5) ?? ""))]))
                case "n": withNotes.insert(owner)
                case "a": withRisk.insert(owner)
                case "p": policies[owner] = try row.string(at: 5).flatMap(FindingComputedFields.slaPolicy(packed:))
                case "x": slaEnabled = try row.int(at: 3).map { $0 != 0 } ?? true
                default: break
                }
            }
        }
        func lists(_ values: [Int: [JSONValue]]) -> [Int: JSONValue] {
            Dictionary(uniqueKeysWithValues: ids.map { ($0, JSONValue.array(values[$0] ?? [])) })
        }
        var notes = lists([:]), risks = lists([:])
        if !withNotes.isEmpty {
            for (id, value) in try await NoteRendering.loader(objectType: "finding")(Array(withNotes), db) { notes[id] = value }
        }
        if !withRisk.isEmpty {
            for (id, value) in try await FindingComputedFields.acceptedRisks(Array(withRisk), db) { risks[id] = value }
        }
        var fields = try FindingComputedFields.status(page, policies: policies, slaEnabled: slaEnabled)
        fields.merge([
            "tags": lists(tags), "endpoints": lists(endpoints), "reviewers": lists(reviewers), "found_by": lists(foundBy),
            "vulnerability_ids": lists(vulnerabilityIDs), "finding_meta": lists(meta), "notes": notes, "accepted_risks": risks,
        ]) { _, relation in relation }
        return fields
    }
}
