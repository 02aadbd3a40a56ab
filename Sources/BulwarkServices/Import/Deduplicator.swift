import BulwarkCore
import BulwarkStorage
import Foundation
import SQLKit

/// Marks new findings as duplicates of older ones in the same product (or engagement), with
/// DefectDojo's four algorithms (import-semantics §5). Runs inside the import transaction, so
/// `duplicate` flags are right when the response is sent.
struct Deduplicator {
    let db: any SQLDatabase

    /// What dedupe needs to know about a finding.
    struct Candidate {
        var id: Int
        var hashCode: String?
        var uniqueID: String?
        var title: String
        var cwe: Int
        var testType: Int
        var engagement: Int
        var active: Bool
        var isMitigated: Bool
        var falsePositive: Bool
        var outOfScope: Bool
        var staticFinding: Bool
        var filePath: String?
        var line: Int?
        var duplicate: Bool
    }

    /// The candidates of findings just stored by ``FindingWriter``, from the values it stored
    /// (no need to read them back).
    static func stored(_ findings: [PreparedFinding], ids: [Int], destination: FindingDestination) -> [Candidate] {
        zip(findings, ids).map { prepared, id in
            let f = prepared.finding
            return Candidate(
                id: id, hashCode: prepared.hashCode, uniqueID: f.uniqueIDFromTool, title: FindingWriter.storedTitle(f.title), cwe: f.cwe ?? 0,
                testType: destination.testType, engagement: destination.engagement, active: f.active, isMitigated: f.isMitigated,
                falsePositive: f.falsePositive, outOfScope: f.outOfScope, staticFinding: f.staticFinding, filePath: f.filePath, line: f.line,
                duplicate: false)
        }
    }

    /// Dedupes the findings `fresh` (just stored in `test`, see ``stored(_:ids:destination:)``).
    /// Returns how many were marked duplicates.
    ///
    /// The statement count does not grow with the import on SQLite: older candidates come from one
    /// hash (or uid) set, and endpoints are read only for the findings that have a possible original.
    @discardableResult
    func run(_ fresh: [Candidate], test: Int, context: ImportContext, algorithm: DedupeAlgorithm, testType: Int) async throws -> Int {
        guard !fresh.isEmpty, try await SystemSettings.load(db: db).enableDeduplication else { return 0 }
        let setSize = SQLTextSet.maximumSize(dialect: db.dialect.name)
        // Candidates: same product (or engagement), not duplicates, older than the new finding; matched by hash or uid.
        // The unary `+` keeps the planner off the product/engagement indexes: candidates must be found through the
        // hash_code / unique_id_from_tool index, or every chunk rescans the whole product (quadratic in import size).
        var scope: SQLQueryString = context.deduplicationOnEngagement
            ? "+f.engagement_id = \(bind: context.engagement)"
            : "+f.product_id = \(bind: context.product) AND (+f.engagement_id = \(bind: context.engagement) OR f.engagement_id NOT IN (SELECT id FROM engagements WHERE product_id = \(bind: context.product) AND deduplication_on_engagement = \(bind: true)))"
        // The new findings are candidates too (a report may repeat a finding), but they are already in hand: the
        // queries skip them (they are the test's findings from the first new id on).
        // SQLite has one writer at a time, so every finding stored before this import has a smaller id: a test
        // the hash_code index answers without reading the row. Other databases check the test as well.
        let firstNew = fresh.map(\.id).min() ?? 0
        scope = scope + " AND f.duplicate = \(bind: false) AND "
            + (db.dialect.name == "sqlite" ? "f.id < \(bind: firstNew)" : "NOT (f.test_id = \(bind: test) AND f.id >= \(bind: firstNew))")
        // Older candidates come from the database; the new ones are in hand (by id → position in `ordered`).
        var older: [Int: Candidate] = [:]
        let useHash = algorithm != .uniqueIDFromTool
        let useUID = algorithm == .uniqueIDFromTool || algorithm == .uniqueIDFromToolOrHashCode
        if useHash {
            for chunk in Array(Set(fresh.compactMap(\.hashCode))).chunked(setSize) {
                for c in try await load(scope + " AND f.hash_code IN " + SQLTextSet.expression(chunk, dialect: db.dialect.name)) { older[c.id] = c }
            }
        }
        if useUID {
            for chunk in Array(Set(fresh.compactMap(\.uniqueID))).chunked(setSize) {
                for c in try await load(scope + " AND f.unique_id_from_tool IN " + SQLTextSet.expression(chunk, dialect: db.dialect.name)) { older[c.id] = c }
            }
        }
        // Stored findings arrive in id order already (the sort then only checks it).
        let ordered = fresh.sorted { $0.id < $1.id }
        var position: [Int: Int] = [:]
        position.reserveCapacity(ordered.count)
        for (index, candidate) in ordered.enumerated() { position[candidate.id] = index }
        func candidate(_ id: Int) -> Candidate? { position[id].map { ordered[$0] } ?? older[id] }
        var byHash: [String: [Int]] = [:], byUID: [String: [Int]] = [:]
        for candidate in Array(older.values) + ordered {
            if useHash, let hash = candidate.hashCode { byHash[hash, default: []].append(candidate.id) }
            if useUID, let uid = candidate.uniqueID { byUID[uid, default: []].append(candidate.id) }
        }
        // Ascending ids: a finding's possible originals are then a prefix of its key's list, found by binary
        // search, and walked only until the first match. Many findings sharing one key (a report repeating an id
        // thousands of times) cost linear time, not quadratic.
        byHash = byHash.mapValues { $0.sorted() }
        byUID = byUID.mapValues { $0.sorted() }
        var uidByType: [String: [Int]] = [:]
        func uidCandidates(_ uid: String, testType: Int) -> [Int] {
            let key = "\(testType)\u{0}\(uid)"
            if let cached = uidByType[key] { return cached }
            let ids = (byUID[uid] ?? []).filter { candidate($0)?.testType == testType }
            uidByType[key] = ids
            return ids
        }
        func below(_ ids: [Int], _ limit: Int) -> ArraySlice<Int> {
            var low = 0, high = ids.count
            while low < high {
                let middle = (low + high) / 2
                if ids[middle] < limit { low = middle + 1 } else { high = middle }
            }
            return ids[..<low]
        }
        func originals(of new: Candidate) -> (byHash: ArraySlice<Int>, byUID: ArraySlice<Int>) {
            let hashIDs = useHash ? new.hashCode.flatMap { byHash[$0] } ?? [] : []
            let uidIDs = useUID ? new.uniqueID.map { uidCandidates($0, testType: new.testType) } ?? [] : []
            return (below(hashIDs, new.id), below(uidIDs, new.id))
        }
        // Endpoints are loaded only for the findings of keys that have a possible original.
        var involved = Set<Int>()
        if algorithm != .uniqueIDFromTool {
            var hashKeys = Set<String>(), uidKeys = Set<String>()
            for new in ordered {
                let found = originals(of: new)
                if !found.byHash.isEmpty, let hash = new.hashCode { hashKeys.insert(hash) }
                if !found.byUID.isEmpty, let uid = new.uniqueID { uidKeys.insert("\(new.testType)\u{0}\(uid)") }
            }
            for key in hashKeys { involved.formUnion(byHash[key] ?? []) }
            for key in uidKeys { involved.formUnion(uidByType[key] ?? []) }
        }
        let endpoints = involved.isEmpty ? [:] : try await endpointSets(involved.sorted())
        var marks: [Int: [Int]] = [:]
        var markedIDs = Set<Int>()
        for new in ordered {
            let found = originals(of: new)
            var hashIndex = found.byHash.startIndex, uidIndex = found.byUID.startIndex
            var previous: Int?
            // Both lists merged in ascending order, each id once: the oldest matching original wins.
            while hashIndex < found.byHash.endIndex || uidIndex < found.byUID.endIndex {
                let originalID: Int
                if uidIndex >= found.byUID.endIndex || (hashIndex < found.byHash.endIndex && found.byHash[hashIndex] <= found.byUID[uidIndex]) {
                    originalID = found.byHash[hashIndex]
                    hashIndex += 1
                } else {
                    originalID = found.byUID[uidIndex]
                    uidIndex += 1
                }
                if originalID == previous || markedIDs.contains(originalID) { continue }
                previous = originalID
                guard let original = candidate(originalID) else { continue }
                guard matches(new, original, algorithm: algorithm, endpoints: endpoints) else { continue }
                // DefectDojo never makes an open finding a duplicate of a closed one.
                let originalClosed = !original.active && original.isMitigated && !original.falsePositive && !original.outOfScope
                if originalClosed && !new.isMitigated { continue }
                marks[originalID, default: []].append(new.id)
                markedIDs.insert(new.id)
                break
            }
        }
        try await mark(marks, testType: testType)
        return markedIDs.count
    }

    /// Marks duplicates (original → its new duplicates) with a few batched statements, and adds the
    /// importing test type to each original's `found_by`.
    func mark(_ marks: [Int: [Int]], testType: Int) async throws {
        let pairs = marks.flatMap { original, duplicates in duplicates.map { (duplicate: $0, original: original) } }
        for chunk in pairs.chunked(300) {
            let cases = chunk.map { pair -> SQLQueryString in "WHEN \(bind: pair.duplicate) THEN \(bind: pair.original)" }
            try await db.raw("UPDATE findings SET duplicate = \(bind: true), active = \(bind: false), verified = \(bind: false), duplicate_finding_id = CASE id "
                + cases.joined(separator: " ") + " END WHERE id IN (\(binds: chunk.map(\.duplicate)))").run()
        }
        var missing: [[SQLBindValue]] = []
        for chunk in Array(marks.keys).sorted().chunked(500) {
            let present = Set(try await db.rows("""
                SELECT finding_id FROM finding_found_by WHERE test_type_id = \(bind: testType) AND finding_id IN (\(binds: chunk))
                """).map { try $0.int("finding_id") ?? 0 })
            missing += chunk.filter { !present.contains($0) }.map { [.int($0), .int(testType)] }
        }
        try await BulkInsert(db: db).insert(into: "finding_found_by", columns: ["finding_id", "test_type_id"], rows: missing, returningIDs: false)
    }

    func matches(_ new: Candidate, _ original: Candidate, algorithm: DedupeAlgorithm, endpoints: [Int: Set<String>]) -> Bool {
        switch algorithm {
        case .uniqueIDFromTool:
            return new.uniqueID != nil && new.uniqueID == original.uniqueID && new.testType == original.testType
        case .hashCode:
            return new.hashCode != nil && new.hashCode == original.hashCode && endpointsCompatible(new.id, original.id, endpoints)
        case .uniqueIDFromToolOrHashCode:
            let uid = new.uniqueID != nil && new.uniqueID == original.uniqueID && new.testType == original.testType
            let hash = new.hashCode != nil && new.hashCode == original.hashCode
            return (uid || hash) && endpointsCompatible(new.id, original.id, endpoints)
        case .legacy:
            guard original.title == new.title || (original.cwe != 0 && original.cwe == new.cwe), new.hashCode == original.hashCode else { return false }
            let newEndpoints = endpoints[new.id] ?? [], oldEndpoints = endpoints[original.id] ?? []
            if !newEndpoints.isEmpty && !oldEndpoints.isEmpty && oldEndpoints.isSubset(of: newEndpoints) { return true }
            return new.staticFinding && new.filePath != nil && new.filePath == original.filePath && new.line == original.line
        }
    }

    /// DefectDojo's endpoint check on host and path: both without endpoints, or any pair equal.
    func endpointsCompatible(_ a: Int, _ b: Int, _ endpoints: [Int: Set<String>]) -> Bool {
        let first = endpoints[a] ?? [], second = endpoints[b] ?? []
        if first.isEmpty && second.isEmpty { return true }
        return !first.isDisjoint(with: second)
    }

    /// `host/path` of each finding's endpoints.
    func endpointSets(_ ids: [Int]) async throws -> [Int: Set<String>] {
        var out: [Int: Set<String>] = [:]
        for chunk in ids.chunked(SQLTextSet.maximumSize(dialect: db.dialect.name)) {
            let rows = try await db.rows("""
                SELECT es.finding_id, e.host, e.path FROM endpoint_status es JOIN endpoints e ON e.id = es.endpoint_id WHERE es.finding_id IN \(integerSet: chunk)
                """)
            for row in rows {
                let host = try row.string("host") ?? ""
                let path = try row.string("path") ?? ""
                out[try row.int("finding_id") ?? 0, default: []].insert(host.lowercased() + "/" + path)
            }
        }
        return out
    }

    func load(_ condition: SQLQueryString) async throws -> [Candidate] {
        let rows = try await db.rows("""
            SELECT f.id, f.hash_code, f.unique_id_from_tool, f.title, f.cwe, t.test_type_id, f.engagement_id, f.active, f.is_mitigated,
              f.false_p, f.out_of_scope, f.static_finding, f.file_path, f.line, f.duplicate
            FROM findings f JOIN tests t ON t.id = f.test_id WHERE\u{20}
            """ + condition)
        return try rows.map { row in
            Candidate(
                id: try row.int("id") ?? 0, hashCode: try row.string("hash_code"), uniqueID: try row.string("unique_id_from_tool"),
                title: try row.string("title") ?? "", cwe: try row.int("cwe") ?? 0, testType: try row.int("test_type_id") ?? 0,
                engagement: try row.int("engagement_id") ?? 0, active: try row.bool("active") ?? false,
                isMitigated: try row.bool("is_mitigated") ?? false, falsePositive: try row.bool("false_p") ?? false,
                outOfScope: try row.bool("out_of_scope") ?? false, staticFinding: try row.bool("static_finding") ?? false,
                filePath: try row.string("file_path"), line: try row.int("line"), duplicate: try row.bool("duplicate") ?? false)
        }
    }
}
