import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit

/// `findings/`: DefectDojo's Finding serializer (2.x field order), filters, `o` values and actions.
public enum FindingsResource {
    static let userFK = FieldKind.foreignKey(table: "users")
    static let text = FieldKind.string()

    static let fields: [FieldSpec] = [
        FieldSpec("id", .integer(), .readOnly),
        FieldSpec("tags", .tags),
        FieldSpec("request_response", .computed, .readOnly).documented(OpenAPISchema.object([("req_resp", OpenAPISchema.array(OpenAPISchema.anyObject))])),
        FieldSpec("accepted_risks", .computed, .readOnly).documented(OpenAPISchema.array(OpenAPISchema.ref("RiskAcceptance"))),
        FieldSpec("push_to_jira", .computed).documented(OpenAPISchema.boolean),
        FieldSpec("age", .computed, .readOnly).documented(OpenAPISchema.nullable(OpenAPISchema.integer)),
        FieldSpec("sla_days_remaining", .computed, .readOnly).documented(OpenAPISchema.nullable(OpenAPISchema.integer)),
        FieldSpec("finding_meta", .computed, .readOnly).documented(OpenAPISchema.array(OpenAPISchema.ref("FindingMeta"))),
        FieldSpec("related_fields", .computed, .readOnly).documented(OpenAPISchema.nullable(OpenAPISchema.anyObject)),
        FieldSpec("jira_creation", .computed, .readOnly).documented(OpenAPISchema.nullable(OpenAPISchema.dateTime)),
        FieldSpec("jira_change", .computed, .readOnly).documented(OpenAPISchema.nullable(OpenAPISchema.dateTime)),
        FieldSpec("display_status", .computed, .readOnly).documented(OpenAPISchema.string),
        FieldSpec("finding_groups", .computed, .readOnly).documented(OpenAPISchema.array(OpenAPISchema.anyObject)),
        FieldSpec("vulnerability_ids", .computed).documented(OpenAPISchema.array(OpenAPISchema.object([("vulnerability_id", OpenAPISchema.string)]))),
        FieldSpec("reporter", userFK, nullable: true),
        FieldSpec("endpoints", .idList(joinTable: "endpoint_status", ownerColumn: "finding_id", targetColumn: "endpoint_id", targetTable: "endpoints")),
        FieldSpec("title", .string(maxLength: 511), required: true, allowBlank: false),
        FieldSpec("date", .date),
        FieldSpec("sla_start_date", .date, nullable: true),
        FieldSpec("sla_expiration_date", .computed, .readOnly).documented(OpenAPISchema.nullable(OpenAPISchema.date)),
        FieldSpec("cwe", .integer(), nullable: true, defaultValue: .int(0)),
        FieldSpec("epss_score", .float(minimum: 0, maximum: 1), nullable: true),
        FieldSpec("epss_percentile", .float(minimum: 0, maximum: 1), nullable: true),
        FieldSpec("known_exploited", .boolean, defaultValue: .bool(false)),
        FieldSpec("ransomware_used", .boolean, defaultValue: .bool(false)),
        FieldSpec("kev_date", .date, nullable: true),
        FieldSpec("cvssv3", .string(maxLength: 117), nullable: true),
        FieldSpec("cvssv3_score", .float(minimum: 0, maximum: 10), nullable: true),
        FieldSpec("cvssv4", .string(maxLength: 255), nullable: true),
        FieldSpec("cvssv4_score", .float(minimum: 0, maximum: 10), nullable: true),
        FieldSpec("url", .string(), .readOnly),
        FieldSpec("severity", .string(maxLength: 200), required: true, allowBlank: false),
        FieldSpec("description", text, required: true, allowBlank: false),
        FieldSpec("mitigation", text, nullable: true),
        FieldSpec("impact", text, nullable: true),
        FieldSpec("steps_to_reproduce", text, nullable: true),
        FieldSpec("severity_justification", text, nullable: true),
        FieldSpec("references", text, nullable: true),
        FieldSpec("fix_available", .boolean, nullable: true),
        FieldSpec("fix_version", .string(maxLength: 100), nullable: true),
        FieldSpec("active", .boolean, required: true),
        FieldSpec("verified", .boolean, required: true),
        FieldSpec("false_p", .boolean, defaultValue: .bool(false)),
        FieldSpec("duplicate", .boolean, defaultValue: .bool(false)),
        FieldSpec("out_of_scope", .boolean, defaultValue: .bool(false)),
        FieldSpec("risk_accepted", .boolean, defaultValue: .bool(false)),
        FieldSpec("under_review", .boolean, defaultValue: .bool(false)),
        FieldSpec("under_defect_review", .boolean, defaultValue: .bool(false)),
        FieldSpec("is_mitigated", .boolean, defaultValue: .bool(false)),
        FieldSpec("mitigated", .dateTime, nullable: true),
        FieldSpec("mitigated_by", userFK, nullable: true),
        FieldSpec("last_status_update", .dateTime, .readOnly),
        FieldSpec("review_requested_by", userFK, nullable: true),
        FieldSpec("defect_review_requested_by", userFK, nullable: true),
        FieldSpec("reviewers", .idList(joinTable: "finding_reviewers", ownerColumn: "finding_id", targetColumn: "user_id", targetTable: "users")),
        FieldSpec("thread_id", .integer(), .readOnly),
        FieldSpec("numerical_severity", .string(maxLength: 4)),
        FieldSpec("last_reviewed", .dateTime, .readOnly),
        FieldSpec("last_reviewed_by", userFK, .readOnly),
        FieldSpec("param", text, .readOnly),
        FieldSpec("payload", text, .readOnly),
        FieldSpec("hash_code", .string(maxLength: 64), .readOnly),
        FieldSpec("line", .integer(), nullable: true),
        FieldSpec("file_path", .string(maxLength: 4000), nullable: true),
        FieldSpec("component_name", .string(maxLength: 500), nullable: true),
        FieldSpec("component_version", .string(maxLength: 100), nullable: true),
        FieldSpec("static_finding", .boolean, defaultValue: .bool(false)),
        FieldSpec("dynamic_finding", .boolean, defaultValue: .bool(true)),
        FieldSpec("scanner_confidence", .integer(), .readOnly),
        FieldSpec("unique_id_from_tool", .string(maxLength: 500), nullable: true),
        FieldSpec("vuln_id_from_tool", .string(maxLength: 500), nullable: true),
        FieldSpec("sast_source_object", .string(maxLength: 500), nullable: true),
        FieldSpec("sast_sink_object", .string(maxLength: 500), nullable: true),
        FieldSpec("sast_source_line", .integer(), nullable: true),
        FieldSpec("sast_source_file_path", .string(maxLength: 4000), nullable: true),
        FieldSpec("nb_occurences", .integer(), nullable: true),
        FieldSpec("publish_date", .date, nullable: true),
        FieldSpec("service", .string(maxLength: 200), nullable: true),
        FieldSpec("planned_remediation_date", .date, nullable: true),
        FieldSpec("planned_remediation_version", .string(maxLength: 99), nullable: true),
        FieldSpec("effort_for_fixing", .string(maxLength: 99), nullable: true),
        FieldSpec("created", .dateTime, .readOnly),
        FieldSpec("updated", .dateTime, .readOnly),
        FieldSpec("test", .foreignKey(table: "tests"), .writableOnCreate, required: true),
        FieldSpec("duplicate_finding", .foreignKey(table: "findings"), .readOnly),
        FieldSpec("sonarqube_issue", .integer(), nullable: true),
        FieldSpec("notes", .computed, .readOnly).documented(OpenAPISchema.array(OpenAPISchema.ref("Note"))),
        FieldSpec("files", .computed, .readOnly).documented(OpenAPISchema.array(OpenAPISchema.anyObject)),
        FieldSpec("found_by", .idList(joinTable: "finding_found_by", ownerColumn: "finding_id", targetColumn: "test_type_id", targetTable: "test_types"),
                  .writable, required: true),
    ]

    /// `o` values of DefectDojo's finding ordering filter.
    static let orderings: [String: String] = ResourceSchema.orderings(
        ["active", "component_name", "component_version", "created", "last_status_update", "last_reviewed", "cwe", "date", "duplicate",
         "dynamic_finding", "false_p", "found_by", "id", "is_mitigated", "numerical_severity", "out_of_scope", "planned_remediation_date",
         "severity", "sla_expiration_date", "reviewers", "static_finding", "test__engagement__product__name", "title",
         "under_defect_review", "under_review", "verified"],
        columns: [
            "found_by": "id", "reviewers": "id",
            "sla_expiration_date": "(COALESCE(\"findings\".\"sla_start_date\", \"findings\".\"date\"))",
            "test__engagement__product__name": "(SELECT \"p\".\"name\" FROM \"products\" \"p\" WHERE \"p\".\"id\" = \"findings\".\"product_id\")",
        ])

    public static let schema = ResourceSchema(
        path: "findings", table: "findings", modelName: "Finding", nameColumn: "title", tagObjectType: "finding",
        fields: fields, filters: filters, orderings: orderings,
        defaultOrder: [("numerical_severity", false), ("date", true), ("title", false), ("epss_score", false), ("epss_percentile", false)],
        constants: FindingComputedFields.constants,
        computedGroups: [FindingRelations.group],
        cascades: Cascades.finding)

    /// Findings a non-superuser may see: those of products they belong to.
    public static let definition = ResourceDefinition(
        schema: schema, component: "Finding",
        policy: ProductScope.policy(path: .findings, referenceField: "test") { context, input in
            guard case .int(let test)? = input.values["test"] else { return nil }
            return try await FindingWrites.productOfTest(test, db: context.db)
        },
        hooks: ResourceHooks(prepare: FindingWrites.prepare, afterWrite: FindingWrites.afterWrite),
        prefetch: ["test": "tests", "reporter": "users", "mitigated_by": "users", "review_requested_by": "users",
                   "defect_review_requested_by": "users", "last_reviewed_by": "users", "reviewers": "users", "found_by": "test_types",
                   "endpoints": "endpoints", "duplicate_finding": "findings"])
}
