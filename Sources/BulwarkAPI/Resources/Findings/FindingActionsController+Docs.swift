import BulwarkStorage

extension FindingActionsController {
    /// The OpenAPI descriptions of the finding actions and the bodies they read and answer.
    enum Docs {
        static let boolean = OpenAPISchema.boolean
        static let noteType = OpenAPISchema.nullable(OpenAPISchema.integer)
        static let tags = OpenAPISchema.object([("tags", OpenAPISchema.array(OpenAPISchema.string))])

        /// The bodies the actions read (field names as ``FindingActionsController`` reads them) and write.
        static let components: [(String, JSONValue)] = [
            ("FindingCloseRequest", OpenAPISchema.object([
                ("is_mitigated", boolean), ("false_p", boolean), ("out_of_scope", boolean), ("duplicate", boolean),
                ("note", OpenAPISchema.string), ("note_type", noteType),
            ], required: [])),
            ("FindingClose", OpenAPISchema.object([
                ("is_mitigated", boolean), ("mitigated", OpenAPISchema.dateTime), ("false_p", boolean), ("out_of_scope", boolean),
                ("duplicate", boolean), ("mitigated_by", OpenAPISchema.integer), ("note", OpenAPISchema.string), ("note_type", noteType),
            ])),
            ("Tag", tags),
            ("TagRequest", tags),
            ("PatchedFindingNoteRequest", OpenAPISchema.object([("note_id", OpenAPISchema.integer)])),
            ("FindingMetaRequest", OpenAPISchema.object([
                ("name", OpenAPISchema.with(OpenAPISchema.string, [("minLength", .int(1))])),
                ("value", OpenAPISchema.with(OpenAPISchema.string, [("minLength", .int(1))])),
            ])),
        ]

        /// `findings_<suffix>` with an optional body component.
        static func operation(_ suffix: String, body: String? = nil, bodyRequired: Bool = true, responses: [APIResponse]) -> APIOperation {
            APIOperation("findings_\(suffix)", tag: "findings", body: body.map { .component($0, required: bodyRequired) }, responses: responses)
                .declaring(components)
        }

        static let close = operation("close_create", body: "FindingCloseRequest", bodyRequired: false, responses: [.ok("FindingClose")])
        static let verify = operation("verify_create", responses: [.ok("Finding")])
        static let deleteMetadata = APIOperation(
            "findings_metadata_destroy", tag: "findings",
            query: [APIOperation.queryParameter("name", OpenAPISchema.string, description: "The name of the metadata to delete", required: true)],
            responses: [.noContent])
    }
}
