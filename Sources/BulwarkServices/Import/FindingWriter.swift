import BulwarkCore
import BulwarkStorage
import Foundation
import SQLKit

/// Where new findings go and who creates them.
struct FindingDestination: Sendable {
    var test: Int
    var engagement: Int
    var product: Int
    var testType: Int
    var user: Int
    var now: Date
    var extraTags: [String]
    var endpointToAdd: Int?
}

/// Stores prepared findings with multi-row inserts: the findings, their vulnerability ids,
/// tags, found-by test type, endpoints (get-or-create per product) and endpoint statuses.
struct FindingWriter {
    let db: any SQLDatabase

    static let columns = [
        "test_id", "engagement_id", "product_id", "title", "date", "cwe", "cve", "epss_score", "epss_percentile", "known_exploited",
        "ransomware_used", "kev_date", "cvssv3", "cvssv3_score", "cvssv4", "cvssv4_score", "severity", "description", "mitigation", "impact",
        "steps_to_reproduce", "severity_justification", "references", "fix_available", "fix_version", "active", "verified", "false_p",
        "duplicate", "out_of_scope", "risk_accepted", "under_review", "under_defect_review", "is_mitigated", "mitigated", "mitigated_by_id",
        "last_status_update", "thread_id", "numerical_severity", "last_reviewed", "last_reviewed_by_id", "param", "payload", "hash_code",
        "line", "file_path", "component_name", "component_version", "static_finding", "dynamic_finding", "scanner_confidence",
        "unique_id_from_tool", "vuln_id_from_tool", "sast_source_object", "sast_sink_object", "sast_source_line", "sast_source_file_path",
        "nb_occurences", "publish_date", "service", "planned_remediation_date", "planned_remediation_version", "effort_for_fixing",
        "created", "updated", "reporter_id",
    ]

    /// The title as stored (DefectDojo's column holds 511 characters).
    static func storedTitle(_ title: String) -> String { String(title.prefix(511)) }

    static func text(_ value: String?) -> SQLBindValue { value.map(SQLBindValue.string) ?? .null }
    static func number(_ value: Int?) -> SQLBindValue { value.map(SQLBindValue.int) ?? .null }
    static func real(_ value: Double?) -> SQLBindValue { value.map(SQLBindValue.double) ?? .null }

    static func row(_ prepared: PreparedFinding, _ to: FindingDestination) -> [SQLBindValue] {
        let f = prepared.finding
        var cvssScore = f.cvssV3Score
        if cvssScore == nil, let vector = f.cvssV3, let cvss = CVSS3(vector: vector) { cvssScore = cvss.baseScore }
        return [
            .int(to.test), .int(to.engagement), .int(to.product), .string(storedTitle(f.title)), .string(prepared.date), .int(f.cwe ?? 0),
            text(f.cve), real(f.epssScore), real(f.epssPercentile), .bool(f.knownExploited), .bool(f.ransomwareUsed), text(f.kevDate?.description),
            text(f.cvssV3), real(cvssScore), text(f.cvssV4), real(f.cvssV4Score), .string(f.severity.rawValue), .string(f.description),
            text(f.mitigation), text(f.impact), text(f.stepsToReproduce), text(f.severityJustification), text(f.references),
            f.fixAvailable.map(SQLBindValue.bool) ?? .null, text(f.fixVersion), .bool(f.active), .bool(f.verified), .bool(f.falsePositive),
            .bool(false), .bool(f.outOfScope), .bool(f.riskAccepted), .bool(f.underReview), .bool(false), .bool(f.isMitigated),
            prepared.mitigated.map(SQLBindValue.date) ?? .null, f.isMitigated ? .int(to.user) : .null, .date(to.now), .int(0),
            .string(f.numericalSeverity), .date(to.now), .int(to.user), text(f.param), text(f.payload), .string(prepared.hashCode),
            number(f.line), text(f.filePath), text(f.componentName), text(f.componentVersion), .bool(f.staticFinding), .bool(f.dynamicFinding),
            number(f.scannerConfidence), text(f.uniqueIDFromTool), text(f.vulnIDFromTool), text(f.sastSourceObject), text(f.sastSinkObject),
            number(f.sastSourceLine), text(f.sastSourceFilePath), number(f.numberOfOccurrences), text(f.publishDate?.description),
            text(f.service), text(f.plannedRemediationDate?.description), text(f.plannedRemediationVersion), text(f.effortForFixing),
            .date(to.now), .date(to.now), .int(to.user),
        ]
    }

    /// Inserts the findings and everything attached to them; returns the new ids in input order.
    func insert(_ findings: [PreparedFinding], into destination: FindingDestination) async throws -> [Int] {
        guard !findings.isEmpty else { return [] }
        let insert = BulkInsert(db: db)
        let ids = try await insert.insert(into: "findings", columns: Self.columns, rows: findings.map { Self.row($0, destination) })
        var vulnerabilityRows: [[SQLBindValue]] = []
        var tagRows: [[SQLBindValue]] = []
        for (index, prepared) in findings.enumerated() {
            let id = ids[index]
            for value in prepared.finding.vulnerabilityIDs { vulnerabilityRows.append([.int(id), .string(value)]) }
            for tag in TagStore.normalise(prepared.finding.tags + destination.extraTags) { tagRows.append([.string("finding"), .int(id), .string(tag)]) }
        }
        try await insert.insert(into: "vulnerability_ids", columns: ["finding_id", "vulnerability_id"], rows: vulnerabilityRows, returningIDs: false)
        try await insert.insert(into: "tags", columns: ["object_type", "object_id", "name"], rows: tagRows, returningIDs: false)
        try await insert.insert(into: "finding_found_by", columns: ["finding_id", "test_type_id"],
                                rows: ids.map { [.int($0), .int(destination.testType)] }, returningIDs: false)
        try await attachEndpoints(findings, ids: ids, destination: destination)
        return ids
    }

    /// Gets or creates the findings' endpoints in the product and links them with endpoint statuses.
    func attachEndpoints(_ findings: [PreparedFinding], ids: [Int], destination: FindingDestination) async throws {
        let wanted = findings.contains { !$0.finding.endpoints.isEmpty }
        guard wanted || destination.endpointToAdd != nil else { return }
        var catalog = wanted ? try await EndpointCatalog.load(db: db, product: destination.product) : EndpointCatalog(db: db, product: destination.product)
        try await catalog.ensure(findings.flatMap(\.finding.endpoints))
        let today = DateFormatting.day(destination.now)
        var statusRows: [[SQLBindValue]] = []
        for (index, prepared) in findings.enumerated() {
            var linked = Set<Int>()
            let endpointIDs = prepared.finding.endpoints.compactMap { catalog.id(of: $0) } + [destination.endpointToAdd].compactMap { $0 }
            for endpoint in endpointIDs where linked.insert(endpoint).inserted {
                statusRows.append(Self.statusRow(finding: ids[index], endpoint: endpoint, day: today, now: destination.now,
                                                 mitigated: prepared.finding.isMitigated))
            }
        }
        try await Self.insertStatuses(statusRows, db: db)
    }

    static let statusColumns = ["finding_id", "endpoint_id", "date", "last_modified", "mitigated", "mitigated_time", "false_positive", "out_of_scope", "risk_accepted"]

    static func statusRow(finding: Int, endpoint: Int, day: String, now: Date, mitigated: Bool) -> [SQLBindValue] {
        [.int(finding), .int(endpoint), .string(day), .date(now), .bool(mitigated), mitigated ? .date(now) : .null, .bool(false), .bool(false), .bool(false)]
    }

    static func insertStatuses(_ rows: [[SQLBindValue]], db: any SQLDatabase) async throws {
        try await BulkInsert(db: db).insert(into: "endpoint_status", columns: statusColumns, rows: rows, returningIDs: false)
    }
}
