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
}
