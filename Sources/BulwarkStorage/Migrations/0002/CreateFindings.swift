import FluentKit
import SQLKit

/// Findings with their vulnerability ids, reviewers and found-by test types.
///
/// `engagement_id` and `product_id` are copied from the test so that the hot filters
/// (`test__engagement__product=…`, product scoping of dedupe) are single indexed columns.
struct CreateFindings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("findings")
            .field("id", .int, .identifier(auto: true))
            .field("test_id", .int, .required, .references("tests", "id", onDelete: .cascade))
            .field("engagement_id", .int, .required)
            .field("product_id", .int, .required)
            .field("title", .string, .required)
            .field("date", .string, .required)
            .field("sla_start_date", .string)
            .field("cwe", .int)
            .field("cve", .string)
            .field("epss_score", .double)
            .field("epss_percentile", .double)
            .field("known_exploited", .bool, .required)
            .field("ransomware_used", .bool, .required)
            .field("kev_date", .string)
            .field("cvssv3", .string)
            .field("cvssv3_score", .double)
            .field("cvssv4", .string)
            .field("cvssv4_score", .double)
            .field("url", .string)
            .field("severity", .string, .required)
            .field("description", .string, .required)
            .field("mitigation", .string)
            .field("impact", .string)
            .field("steps_to_reproduce", .string)
            .field("severity_justification", .string)
            .field("references", .string)
            .field("fix_available", .bool)
            .field("fix_version", .string)
            .field("active", .bool, .required)
            .field("verified", .bool, .required)
            .field("false_p", .bool, .required)
            .field("duplicate", .bool, .required)
            .field("out_of_scope", .bool, .required)
            .field("risk_accepted", .bool, .required)
            .field("under_review", .bool, .required)
            .field("under_defect_review", .bool, .required)
            .field("is_mitigated", .bool, .required)
            .field("mitigated", .datetime)
            .field("mitigated_by_id", .int, .references("users", "id", onDelete: .setNull))
            .field("last_status_update", .datetime)
            .field("review_requested_by_id", .int, .references("users", "id", onDelete: .setNull))
            .field("defect_review_requested_by_id", .int, .references("users", "id", onDelete: .setNull))
            .field("thread_id", .int, .required)
            .field("numerical_severity", .string, .required)
            .field("last_reviewed", .datetime)
            .field("last_reviewed_by_id", .int, .references("users", "id", onDelete: .setNull))
            .field("param", .string)
            .field("payload", .string)
            .field("hash_code", .string)
            .field("line", .int)
            .field("file_path", .string)
            .field("component_name", .string)
            .field("component_version", .string)
            .field("static_finding", .bool, .required)
            .field("dynamic_finding", .bool, .required)
            .field("scanner_confidence", .int)
            .field("unique_id_from_tool", .string)
            .field("vuln_id_from_tool", .string)
            .field("sast_source_object", .string)
            .field("sast_sink_object", .string)
            .field("sast_source_line", .int)
            .field("sast_source_file_path", .string)
            .field("nb_occurences", .int)
            .field("publish_date", .string)
            .field("service", .string)
            .field("planned_remediation_date", .string)
            .field("planned_remediation_version", .string)
            .field("effort_for_fixing", .string)
            .field("created", .datetime)
            .field("updated", .datetime)
            .field("duplicate_finding_id", .int, .references("findings", "id", onDelete: .setNull))
            .field("sonarqube_issue", .int)
            .field("reporter_id", .int, .references("users", "id", onDelete: .setNull))
            .create()
        // The filter columns of the findings list and of dedupe/reimport lookups.
        let indexes: [(String, [String])] = [
            ("findings_test", ["test_id"]),
            ("findings_product_severity", ["product_id", "numerical_severity"]),
            ("findings_engagement", ["engagement_id"]),
            ("findings_severity_active", ["severity", "active", "verified"]),
            ("findings_active", ["active"]),
            ("findings_default_order", ["numerical_severity", "date", "title"]),
            ("findings_date", ["date"]),
            ("findings_hash_code", ["hash_code"]),
            ("findings_unique_id", ["unique_id_from_tool"]),
            ("findings_cwe", ["cwe"]),
            ("findings_duplicate_of", ["duplicate_finding_id"]),
        ]
        for (name, columns) in indexes { try await database.createIndex(name, on: "findings", columns: columns) }
        try await database.schema("vulnerability_ids")
            .field("id", .int, .identifier(auto: true))
            .field("finding_id", .int, .required, .references("findings", "id", onDelete: .cascade))
            .field("vulnerability_id", .string, .required)
            .create()
        try await database.createIndex("vulnerability_ids_finding", on: "vulnerability_ids", columns: ["finding_id"])
        try await database.createIndex("vulnerability_ids_value", on: "vulnerability_ids", columns: ["vulnerability_id"])
        for (table, target, targetTable) in [("finding_reviewers", "user_id", "users"), ("finding_found_by", "test_type_id", "test_types")] {
            try await database.schema(table)
                .field("id", .int, .identifier(auto: true))
                .field("finding_id", .int, .required, .references("findings", "id", onDelete: .cascade))
                .field(FieldKey(stringLiteral: target), .int, .required, .references(targetTable, "id", onDelete: .cascade))
                .create()
            try await database.createIndex("\(table)_finding", on: table, columns: ["finding_id"])
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["finding_found_by", "finding_reviewers", "vulnerability_ids", "findings"] { try await database.schema(table).delete() }
    }
}
