import BulwarkServices
import BulwarkStorage
import Foundation

/// The 201 body of `import-scan/` and `reimport-scan/`: the validated input echoed in DefectDojo's
/// order, plus the result ids and statistics. One list of fields gives both the body and its
/// OpenAPI schema, so the two cannot disagree.
public enum ImportResponse {
    /// One key of the body: its schema and how its value is read.
    struct Field {
        let name: String
        let schema: JSONValue
        let value: (ImportOptions, ImportOutcome) -> JSONValue
    }

    static func text(_ name: String, _ read: @escaping (ImportOptions) -> String?) -> Field {
        Field(name: name, schema: OpenAPISchema.nullable(OpenAPISchema.string)) { options, _ in read(options).map(JSONValue.string) ?? .null }
    }
    static func number(_ name: String, _ read: @escaping (ImportOptions) -> Int?) -> Field {
        Field(name: name, schema: OpenAPISchema.nullable(OpenAPISchema.integer)) { options, _ in read(options).map(JSONValue.int) ?? .null }
    }
    static func day(_ name: String, _ read: @escaping (ImportOptions) -> Date?) -> Field {
        Field(name: name, schema: OpenAPISchema.nullable(OpenAPISchema.date)) { options, _ in
            read(options).map { .string(DateFormatting.day($0)) } ?? .null
        }
    }
    static func optionalFlag(_ name: String, _ read: @escaping (ImportOptions) -> Bool?) -> Field {
        Field(name: name, schema: OpenAPISchema.nullable(OpenAPISchema.boolean)) { options, _ in read(options).map(JSONValue.bool) ?? .null }
    }
    static func flag(_ name: String, _ read: @escaping (ImportOptions) -> Bool) -> Field {
        Field(name: name, schema: OpenAPISchema.boolean) { options, _ in .bool(read(options)) }
    }
    static func string(_ name: String, _ read: @escaping (ImportOptions) -> String) -> Field {
        Field(name: name, schema: OpenAPISchema.string) { options, _ in .string(read(options)) }
    }
    static func result(_ name: String, _ read: @escaping (ImportOutcome) -> Int) -> Field {
        Field(name: name, schema: OpenAPISchema.integer) { _, outcome in .int(read(outcome)) }
    }

    static func fields(reimport: Bool) -> [Field] {
        var fields: [Field] = [
            day("scan_date", \.scanDate), string("minimum_severity", \.minimumSeverity.rawValue),
            optionalFlag("active", \.active), optionalFlag("verified", \.verified), number("endpoint_to_add", \.endpointToAdd),
            text("product_type_name", \.productTypeName), text("product_name", \.productName), text("engagement_name", \.engagementName),
            day("engagement_end_date", \.engagementEndDate), text("source_code_management_uri", \.sourceCodeManagementURI),
            text("test_title", \.testTitle), flag("auto_create_context", \.autoCreateContext),
            flag("deduplication_on_engagement", \.deduplicationOnEngagement), number("lead", \.lead), flag("push_to_jira", \.pushToJira),
            string("environment", \.environment), text("build_id", \.buildID), text("branch_tag", \.branchTag),
            text("commit_hash", \.commitHash), number("api_scan_configuration", \.apiScanConfiguration), text("service", \.service),
            text("group_by", \.groupBy), flag("create_finding_groups_for_all_findings", \.createFindingGroupsForAllFindings),
            flag("apply_tags_to_findings", \.applyTagsToFindings), flag("apply_tags_to_endpoints", \.applyTagsToEndpoints),
            string("scan_type", \.scanType),
        ]
        fields.append(reimport ? flag("do_not_reactivate", \.doNotReactivate) : result("engagement", \.engagement))
        fields += [
            Field(name: "tags", schema: OpenAPISchema.array(OpenAPISchema.string)) { options, _ in .array(options.tags.map(JSONValue.string)) },
            flag("close_old_findings", \.closeOldFindings), flag("close_old_findings_product_scope", \.closeOldFindingsProductScope),
            text("version", \.version), result("test", \.test), result("test_id", \.test), result("engagement_id", \.engagement),
            result("product_id", \.product), result("product_type_id", \.productType),
            Field(name: "statistics", schema: OpenAPISchema.with(OpenAPISchema.anyObject, [
                ("description", .string("Finding counts before, during (delta) and after the import")),
            ])) { _, outcome in outcome.statistics },
        ]
        return fields
    }

    public static func body(options: ImportOptions, outcome: ImportOutcome, reimport: Bool) -> JSONValue {
        .object(fields(reimport: reimport).map { ($0.name, $0.value(options, outcome)) })
    }

    /// The body's OpenAPI schema.
    static func schema(reimport: Bool) -> JSONValue {
        OpenAPISchema.object(fields(reimport: reimport).map { ($0.name, $0.schema) })
    }
}
