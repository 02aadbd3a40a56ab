import BulwarkCore
import BulwarkStorage
import Foundation
import SQLKit

/// What an import or reimport did to one finding (Test_Import_Finding_Action).
public enum ImportAction: String, Sendable {
    case created = "N", closed = "C", reactivated = "R", untouched = "U"
}

/// Records import history and computes DefectDojo's statistics blocks.
struct ImportHistory {
    let db: any SQLDatabase

    /// Inserts the Test_Import row and one action row per affected finding; returns its id.
    func record(test: Int, type: String, options: ImportOptions, actions: [(Int, ImportAction)], now: Date) async throws -> Int {
        let settings = JSONValue.object([
            ("active", options.active.map(JSONValue.bool) ?? .null), ("verified", options.verified.map(JSONValue.bool) ?? .null),
            ("minimum_severity", .string(options.minimumSeverity.rawValue)), ("close_old_findings", .bool(options.closeOldFindings)),
            ("push_to_jira", .bool(options.pushToJira)), ("tags", .array(options.tags.map(JSONValue.string))),
            ("scan_date", options.scanDate.map { .string(DateFormatting.instant($0)) } ?? .null), ("service", options.service.map(JSONValue.string) ?? .null),
            ("close_old_findings_product_scope", .bool(options.closeOldFindingsProductScope)), ("do_not_reactivate", .bool(options.doNotReactivate)),
            ("apply_tags_to_findings", .bool(options.applyTagsToFindings)), ("apply_tags_to_endpoints", .bool(options.applyTagsToEndpoints)),
            ("group_by", options.groupBy.map(JSONValue.string) ?? .null),
            ("create_finding_groups_for_all_findings", .bool(options.createFindingGroupsForAllFindings)),
            ("endpoint_to_add", options.endpointToAdd.map(JSONValue.int) ?? .null),
        ])
        let insert = BulkInsert(db: db)
        let id = try await insert.insert(
            into: "test_imports", columns: ["test_id", "import_settings", "type", "version", "build_id", "commit_hash", "branch_tag", "created", "modified"],
            rows: [[.int(test), .string(settings.serializedString()), .string(type), FindingWriter.text(options.version), FindingWriter.text(options.buildID),
                    FindingWriter.text(options.commitHash), FindingWriter.text(options.branchTag), .date(now), .date(now)]])[0]
        try await insert.insert(into: "test_import_finding_actions", columns: ["test_import_id", "finding_id", "action", "created", "modified"],
                                rows: actions.map { [.int(id), .int($0.0), .string($0.1.rawValue), .date(now), .date(now)] }, returningIDs: false)
        return id
    }

    static let severities = ["info", "low", "medium", "high", "critical"]
    static let counters = ["active", "verified", "duplicate", "false_p", "out_of_scope", "is_mitigated", "risk_accepted"]

    /// DefectDojo's SeverityStatusStatistics over the findings matching `condition` (alias `f`).
    func statistics(_ condition: SQLQueryString) async throws -> JSONValue {
        let sums = Self.counters.map { name -> SQLQueryString in
            "SUM(CASE WHEN f.\(ident: name) THEN 1 ELSE 0 END) AS \(ident: name)"
        }.joined(separator: ", ")
        let rows = try await db.raw("SELECT f.severity, COUNT(*) AS total, " + sums + " FROM findings f WHERE " + condition + " GROUP BY f.severity").all()
        var bySeverity: [String: [String: Int]] = [:]
        for row in rows {
            var counts: [String: Int] = ["total": try row.decode(column: "total", as: Int.self)]
            for name in Self.counters { counts[name] = try row.decode(column: name, as: Int?.self) ?? 0 }
            bySeverity[try row.decode(column: "severity", as: String.self).lowercased()] = counts
        }
        func block(_ counts: [String: Int]) -> JSONValue {
            .object((Self.counters + ["total"]).map { ($0, .int(counts[$0] ?? 0)) })
        }
        var pairs: [(String, JSONValue)] = Self.severities.map { ($0, block(bySeverity[$0] ?? [:])) }
        var total: [String: Int] = [:]
        for counts in bySeverity.values { for (name, value) in counts { total[name, default: 0] += value } }
        pairs.append(("total", block(total)))
        return .object(pairs)
    }

    /// Statistics of every finding of a test.
    func statistics(test: Int) async throws -> JSONValue { try await statistics("f.test_id = \(bind: test)") }

    /// The `delta` block: each action's findings, by their current state.
    func delta(testImport: Int) async throws -> JSONValue {
        var pairs: [(String, JSONValue)] = []
        for (name, action) in [("created", ImportAction.created), ("closed", .closed), ("reactivated", .reactivated), ("untouched", .untouched)] {
            pairs.append((name, try await statistics("""
                f.id IN (SELECT finding_id FROM test_import_finding_actions WHERE test_import_id = \(bind: testImport) AND action = \(bind: action.rawValue))
                """)))
        }
        return .object(pairs)
    }
}
