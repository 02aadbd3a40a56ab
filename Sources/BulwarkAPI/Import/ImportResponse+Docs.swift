import BulwarkServices
import BulwarkStorage

extension ImportResponse {
    /// The OpenAPI description of `import-scan/` or `reimport-scan/`: the multipart form from
    /// ``ImportOptions/formFields(reimport:)`` plus the report file, and the 201 body of ``body(options:outcome:reimport:)``.
    static func operation(reimport: Bool) -> APIOperation {
        let name = reimport ? "ReImportScan" : "ImportScan"
        var properties = ImportOptions.formFields(reimport: reimport).map { ($0.name, FieldSchemas.requestSchema($0)) }
        properties.append(("file", .object([("type", .string("string")), ("format", .string("binary")),
                                            ("description", .string("The scan report; optional, as in DefectDojo"))])))
        let request = OpenAPISchema.object(properties, required: ["scan_type"])
        let description = reimport
            ? "Reimports a scan report into an existing test (`test`) or one found by `test_title`, `scan_type` and the engagement/product names."
            : "Imports a scan report into a new test of an engagement given by `engagement`, or by `product_name` and `engagement_name` (created with `auto_create_context=true`)."
        return APIOperation(
            reimport ? "reimport_scan_create" : "import_scan_create", tag: reimport ? "reimport-scan" : "import-scan", description: description,
            body: .component("\(name)Request", mediaTypes: ["multipart/form-data"]),
            responses: [APIResponse(201, OpenAPISchema.ref(name))]
        ).declaring([("\(name)Request", request), (name, schema(reimport: reimport))])
    }

    /// The 201 body's schema, key for key in ``body(options:outcome:reimport:)``'s order.
    static func schema(reimport: Bool) -> JSONValue {
        let text = OpenAPISchema.nullable(OpenAPISchema.string), number = OpenAPISchema.nullable(OpenAPISchema.integer)
        let day = OpenAPISchema.nullable(OpenAPISchema.date), flag = OpenAPISchema.boolean
        var properties: [(String, JSONValue)] = [
            ("scan_date", day), ("minimum_severity", OpenAPISchema.string), ("active", OpenAPISchema.nullable(flag)),
            ("verified", OpenAPISchema.nullable(flag)), ("endpoint_to_add", number), ("product_type_name", text), ("product_name", text),
            ("engagement_name", text), ("engagement_end_date", day), ("source_code_management_uri", text), ("test_title", text),
            ("auto_create_context", flag), ("deduplication_on_engagement", flag), ("lead", number), ("push_to_jira", flag),
            ("environment", OpenAPISchema.string), ("build_id", text), ("branch_tag", text), ("commit_hash", text),
            ("api_scan_configuration", number), ("service", text), ("group_by", text), ("create_finding_groups_for_all_findings", flag),
            ("apply_tags_to_findings", flag), ("apply_tags_to_endpoints", flag), ("scan_type", OpenAPISchema.string),
        ]
        properties.append(reimport ? ("do_not_reactivate", flag) : ("engagement", OpenAPISchema.integer))
        properties += [
            ("tags", OpenAPISchema.array(OpenAPISchema.string)), ("close_old_findings", flag), ("close_old_findings_product_scope", flag),
            ("version", text), ("test", OpenAPISchema.integer), ("test_id", OpenAPISchema.integer), ("engagement_id", OpenAPISchema.integer),
            ("product_id", OpenAPISchema.integer), ("product_type_id", OpenAPISchema.integer),
            ("statistics", OpenAPISchema.with(OpenAPISchema.anyObject, [("description", .string("Finding counts before, during (delta) and after the import"))])),
        ]
        return OpenAPISchema.object(properties)
    }
}
