import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit

/// Loads every relation a findings page shows (tags, endpoints, reviewers, found_by, vulnerability
/// ids, metadata, and whether notes or risk acceptances exist) in ONE query, so a page costs a
/// handful of round trips whatever its size. Notes and risk acceptances are rendered only for
/// the findings that have them.
enum FindingRelations {
    static let group: ComputedGroupLoader = { ids, db in
        var tags: [Int: [JSONValue]] = [:], endpoints: [Int: [JSONValue]] = [:], reviewers: [Int: [JSONValue]] = [:]
        var foundBy: [Int: [JSONValue]] = [:], vulnerabilityIDs: [Int: [JSONValue]] = [:], meta: [Int: [JSONValue]] = [:]
        var withNotes = Set<Int>(), withRisk = Set<Int>()
        for chunk in ids.chunked(300) {
            // kind, owner, a text value, a number value, and an order key within the kind.
            let rows = try await db.rows("""
                SELECT 't' AS k, object_id AS o, name AS s, NULL AS n, id AS r FROM tags WHERE object_type = 'finding' AND object_id IN (\(binds: chunk))
                UNION ALL SELECT 'e', finding_id, NULL, endpoint_id, endpoint_id FROM endpoint_status WHERE finding_id IN (\(binds: chunk))
                UNION ALL SELECT 'r', finding_id, NULL, user_id, user_id FROM finding_reviewers WHERE finding_id IN (\(binds: chunk))
                UNION ALL SELECT 'f', finding_id, NULL, test_type_id, test_type_id FROM finding_found_by WHERE finding_id IN (\(binds: chunk))
                UNION ALL SELECT 'v', finding_id, vulnerability_id, NULL, id FROM vulnerability_ids WHERE finding_id IN (\(binds: chunk))
                UNION ALL SELECT 'm', finding_id, name, NULL, id FROM dojo_meta WHERE finding_id IN (\(binds: chunk))
                UNION ALL SELECT 'd', finding_id, value, NULL, id FROM dojo_meta WHERE finding_id IN (\(binds: chunk))
                UNION ALL SELECT 'n', object_id, NULL, note_id, note_id FROM note_links WHERE object_type = 'finding' AND object_id IN (\(binds: chunk))
                UNION ALL SELECT 'a', finding_id, NULL, risk_acceptance_id, risk_acceptance_id FROM risk_acceptance_findings WHERE finding_id IN (\(binds: chunk))
                ORDER BY 1, 2, 5
                """)
            var metaNames: [Int: [Int: String]] = [:], metaValues: [Int: [Int: String]] = [:]
            for row in rows {
                let owner = try row.int("o") ?? 0
                switch try row.string("k") {
                case "t": tags[owner, default: []].append(.string(try row.string("s") ?? ""))
                case "e": endpoints[owner, default: []].append(.int(try row.int("n") ?? 0))
                case "r": reviewers[owner, default: []].append(.int(try row.int("n") ?? 0))
                case "f": foundBy[owner, default: []].append(.int(try row.int("n") ?? 0))
                case "v": vulnerabilityIDs[owner, default: []].append(.object([("vulnerability_id", .string(try row.string("s") ?? ""))]))
                case "m": metaNames[owner, default: [:]][try row.int("r") ?? 0] = try row.string("s") ?? ""
                case "d": metaValues[owner, default: [:]][try row.int("r") ?? 0] = try row.string("s") ?? ""
                case "n": withNotes.insert(owner)
                case "a": withRisk.insert(owner)
                default: break
                }
            }
            for (owner, names) in metaNames {
                meta[owner] = names.keys.sorted().map { key in
                    .object([("name", .string(names[key] ?? "")), ("value", .string(metaValues[owner]?[key] ?? ""))])
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
        return [
            "tags": lists(tags), "endpoints": lists(endpoints), "reviewers": lists(reviewers), "found_by": lists(foundBy),
            "vulnerability_ids": lists(vulnerabilityIDs), "finding_meta": lists(meta), "notes": notes, "accepted_risks": risks,
        ]
    }
}
