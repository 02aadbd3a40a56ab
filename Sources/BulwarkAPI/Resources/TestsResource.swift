import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit

/// `tests/`: DefectDojo 2.58's TestSerializer (id, declared `tags`, `test_type_name`,
/// `finding_groups`, then the model's fields, foreign keys and many-to-many fields).
/// `engagement` is accepted on create only. Tests have no product column: visibility and roles
/// go through their engagement's product.
public enum TestsResource {
    public static let schema = ResourceSchema(
        path: "tests", table: "tests", modelName: "Test", nameColumn: "title", tagObjectType: "test",
        fields: [
            FieldSpec("id", .integer(), .readOnly),
            FieldSpec("tags", .tags),
            FieldSpec("test_type_name", .computed, .readOnly).documented(OpenAPISchema.nullable(OpenAPISchema.string)),
            FieldSpec("finding_groups", .computed, .readOnly).documented(OpenAPISchema.array(OpenAPISchema.anyObject)),
            FieldSpec("scan_type", .string(), nullable: true, allowBlank: false),
            FieldSpec("title", .string(maxLength: 255), nullable: true),
            FieldSpec("description", .string(), nullable: true),
            FieldSpec("target_start", .dateTime, required: true),
            FieldSpec("target_end", .dateTime, required: true),
            FieldSpec("percent_complete", .integer(), nullable: true),
            FieldSpec("updated", .dateTime, .readOnly),
            FieldSpec("created", .dateTime, .readOnly),
            FieldSpec("version", .string(maxLength: 100), nullable: true),
            FieldSpec("build_id", .string(maxLength: 150), nullable: true),
            FieldSpec("commit_hash", .string(maxLength: 150), nullable: true),
            FieldSpec("branch_tag", .string(maxLength: 150), nullable: true),
            FieldSpec("engagement", .foreignKey(table: "engagements"), .writableOnCreate, required: true),
            FieldSpec("lead", .foreignKey(table: "users"), nullable: true),
            FieldSpec("test_type", .foreignKey(table: "test_types"), required: true),
            FieldSpec("environment", .foreignKey(table: "development_environments"), nullable: true),
            FieldSpec("api_scan_configuration", .integer(), nullable: true),
            FieldSpec("notes", .computed, .readOnly).documented(OpenAPISchema.array(OpenAPISchema.ref("Note"))),
            FieldSpec("files", .computed, .readOnly).documented(OpenAPISchema.array(OpenAPISchema.anyObject)),
        ],
        filters: [
            FilterSpec("id", .exact, .integer),
            FilterSpec("title", .exact),
            FilterSpec("test_type", column: "test_type_id", .exact, .integer),
            FilterSpec("target_start", .exact, .dateTime),
            FilterSpec("target_end", .exact, .dateTime),
            RelatedFilters.notes(objectType: "test", table: "tests"),
            FilterSpec("percent_complete", .exact, .integer),
            FilterSpec("engagement", column: "engagement_id", .exact, .integer),
            FilterSpec("version", .exact),
            FilterSpec("branch_tag", .exact),
            FilterSpec("build_id", .exact),
            FilterSpec("commit_hash", .exact),
            FilterSpec("api_scan_configuration", .exact, .integer),
            FilterSpec("scan_type", .exact),
            FilterSpec("engagement__tags", column: "engagement_id", .tagsAny(objectType: "engagement")),
            FilterSpec("engagement__tags__and", column: "engagement_id", .tagsAll(objectType: "engagement")),
            FilterSpec("not_engagement__tags", column: "engagement_id", .tagsNone(objectType: "engagement")),
            productTags("engagement__product__tags", .any),
            productTags("engagement__product__tags__and", .all),
            productTags("not_engagement__product__tags", .none),
        ] + FilterSpec.tagFilters(objectType: "test"),
        orderings: ResourceSchema.orderings(
            ["title", "version", "target_start", "target_end", "test_type", "lead", "branch_tag", "build_id", "commit_hash",
             "api_scan_configuration", "engagement", "created", "updated"],
            columns: ["test_type": "test_type_id", "lead": "lead_id", "engagement": "engagement_id"]),
        computed: [
            "test_type_name": testTypeNames,
            "notes": NoteRendering.loader(objectType: "test"),
        ],
        constants: ["finding_groups": .array([]), "files": .array([])],
        cascades: Cascades.test)

    static func productTags(_ parameter: String, _ mode: RelatedFilters.TagMode) -> FilterSpec {
        RelatedFilters.throughTags(parameter, objectType: "product", mode: mode,
                                   outer: ("tests", "engagement_id"), via: ("engagements", "product_id"))
    }

    /// The name of each test's test type, in one query for the page.
    static let testTypeNames: ComputedFieldLoader = { ids, db in
        guard !ids.isEmpty else { return [:] }
        let rows = try await db.raw("""
            SELECT \(ident: "t").\(ident: "id"), \(ident: "tt").\(ident: "name") FROM \(ident: "tests") \(ident: "t")
            JOIN \(ident: "test_types") \(ident: "tt") ON \(ident: "tt").\(ident: "id") = \(ident: "t").\(ident: "test_type_id")
            WHERE \(ident: "t").\(ident: "id") IN (\(binds: ids))
            """).all()
        var out: [Int: JSONValue] = [:]
        for row in rows { out[try row.decode(column: "id", as: Int.self)] = .string(try row.decode(column: "name", as: String.self)) }
        return out
    }

    /// Tests a non-superuser may see: those of engagements of products they are a member of.
    static func visibility(_ user: UserAccount) -> [SQLQueryString] { ProductPath.tests.visibility(user) }

    /// The user's role on the product that owns test `id` (through its engagement).
    static func role(of user: UserAccount, test id: Int, db: any SQLDatabase) async throws -> Role? {
        try await ProductPath.tests.role(of: user, id: id, db: db)
    }

    /// Test_Add: writers and up on the engagement's product; Test_Edit: also API importers;
    /// Test_Delete: maintainers and owners.
    static let policy = ResourcePolicy(
        visibility: visibility,
        canCreate: { context, input in
            guard !context.user.isSuperuser else { return true }
            guard let engagement = input.values["engagement"]?.intValue else { return false }
            guard let role = try await EngagementsResource.role(of: context.user, engagement: engagement, db: context.db) else {
                throw ProductScope.unseen("engagement", input)
            }
            return role.canWrite
        },
        canUpdate: { context, id in
            EngagementsResource.canChange(try await role(of: context.user, test: id, db: context.db))
        },
        canDelete: { context, id in try await role(of: context.user, test: id, db: context.db)?.canEdit ?? false })

    public static let definition = ResourceDefinition(
        schema: schema, component: "Test",
        policy: policy,
        hooks: ResourceHooks(prepare: { _, _, _, input in
            if case .int(let value)? = input.values["api_scan_configuration"] {
                throw APIError.field("api_scan_configuration", "Invalid pk \"\(value)\" - object does not exist.")
            }
        }),
        prefetch: ["engagement": "engagements", "lead": "users", "test_type": "test_types", "environment": "development_environments"])
}
