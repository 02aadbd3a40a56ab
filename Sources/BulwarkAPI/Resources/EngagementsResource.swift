import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit

/// `engagements/`: DefectDojo 2.58's EngagementSerializer (DRF order: id, declared `tags`,
/// the model's own fields, then its foreign keys and many-to-many fields).
public enum EngagementsResource {
    static let statuses = ["Not Started", "Blocked", "Cancelled", "Completed", "In Progress", "On Hold", "Scheduled", "Waiting for Resource"]
    /// Foreign keys to models Bulwark does not have (contacts, presets, report types, tool
    /// configurations): nothing can refer to them, so any id is an unknown object.
    static let absentForeignKeys = ["requester", "preset", "report_type", "build_server", "source_code_management_server", "orchestration_engine"]
    static let urlFields = ["tracker", "test_strategy", "source_code_management_uri"]

    public static let schema = ResourceSchema(
        path: "engagements", table: "engagements", modelName: "Engagement", tagObjectType: "engagement",
        fields: [
            FieldSpec("id", .integer(), .readOnly),
            FieldSpec("tags", .tags),
            FieldSpec("created", .dateTime, .readOnly),
            FieldSpec("updated", .dateTime, .readOnly),
            FieldSpec("name", .string(maxLength: 300), nullable: true),
            FieldSpec("description", .string(maxLength: 2000), nullable: true),
            FieldSpec("version", .string(maxLength: 100), nullable: true),
            FieldSpec("first_contacted", .date, nullable: true),
            FieldSpec("target_start", .date, required: true),
            FieldSpec("target_end", .date, required: true),
            FieldSpec("reason", .string(maxLength: 2000), nullable: true),
            FieldSpec("active", .boolean, .readOnly),
            FieldSpec("tracker", .string(maxLength: 200), nullable: true),
            FieldSpec("test_strategy", .string(maxLength: 200), nullable: true),
            FieldSpec("threat_model", .boolean, defaultValue: .bool(true)),
            FieldSpec("api_test", .boolean, defaultValue: .bool(true)),
            FieldSpec("pen_test", .boolean, defaultValue: .bool(true)),
            FieldSpec("check_list", .boolean, defaultValue: .bool(true)),
            FieldSpec("status", .choice(statuses), nullable: true, defaultValue: .string("Not Started")),
            FieldSpec("progress", .string(), .readOnly),
            FieldSpec("tmodel_path", .string(), .readOnly),
            FieldSpec("done_testing", .boolean, .readOnly),
            FieldSpec("engagement_type", .choice(["Interactive", "CI/CD"]), nullable: true, defaultValue: .string("Interactive")),
            FieldSpec("build_id", .string(maxLength: 150), nullable: true),
            FieldSpec("commit_hash", .string(maxLength: 150), nullable: true),
            FieldSpec("branch_tag", .string(maxLength: 150), nullable: true),
            FieldSpec("source_code_management_uri", .string(maxLength: 600), nullable: true),
            FieldSpec("deduplication_on_engagement", .boolean, defaultValue: .bool(false)),
            FieldSpec("lead", .foreignKey(table: "users"), nullable: true),
            FieldSpec("requester", .integer(), nullable: true),
            FieldSpec("preset", .integer(), nullable: true),
            FieldSpec("report_type", .integer(), nullable: true),
            FieldSpec("product", .foreignKey(table: "products"), required: true),
            FieldSpec("build_server", .integer(), nullable: true),
            FieldSpec("source_code_management_server", .integer(), nullable: true),
            FieldSpec("orchestration_engine", .integer(), nullable: true),
            FieldSpec("notes", .computed, .readOnly).documented(OpenAPISchema.array(OpenAPISchema.ref("Note"))),
            FieldSpec("files", .computed, .readOnly).documented(OpenAPISchema.array(OpenAPISchema.anyObject)),
            FieldSpec("risk_acceptance", .computed, .readOnly).documented(OpenAPISchema.array(OpenAPISchema.integer)),
        ],
        filters: [
            FilterSpec("id", .exact, .integer),
            FilterSpec("active", .exact, .boolean),
            FilterSpec("target_start", .exact, .date),
            FilterSpec("target_end", .exact, .date),
            FilterSpec("requester", .exact, .integer),
            FilterSpec("report_type", .exact, .integer),
            FilterSpec("updated", .exact, .dateTime),
            FilterSpec("threat_model", .exact, .boolean),
            FilterSpec("api_test", .exact, .boolean),
            FilterSpec("pen_test", .exact, .boolean),
            FilterSpec("status", .exact),
            FilterSpec("product", column: "product_id", .exact, .integer),
            FilterSpec("name", .exact),
            FilterSpec("version", .exact),
            FilterSpec.integersIn("product__prod_type", table: "engagements", column: "product_id") {
                "SELECT \(ident: "id") FROM \(ident: "products") WHERE \(ident: "prod_type_id") IN (\(binds: $0))"
            },
            FilterSpec("product__tags", column: "product_id", .tagsAny(objectType: "product")),
            FilterSpec("product__tags__and", column: "product_id", .tagsAll(objectType: "product")),
            FilterSpec("not_product__tags", column: "product_id", .tagsNone(objectType: "product")),
        ] + FilterSpec.tagFilters(objectType: "engagement"),
        orderings: ResourceSchema.orderings(
            ["name", "version", "target_start", "target_end", "status", "lead", "created", "updated"], columns: ["lead": "lead_id"]),
        computed: [
            "notes": NoteRendering.loader(objectType: "engagement"),
            "risk_acceptance": riskAcceptanceIDs,
        ],
        constants: ["files": .array([])],
        cascades: Cascades.engagement)

    /// Ids of each engagement's risk acceptances, in one query for the page.
    static let riskAcceptanceIDs: ComputedFieldLoader = { ids, db in
        var out: [Int: JSONValue] = Dictionary(uniqueKeysWithValues: ids.map { ($0, JSONValue.array([])) })
        guard !ids.isEmpty else { return out }
        let rows = try await db.raw("""
            SELECT \(ident: "id"), \(ident: "engagement_id") FROM \(ident: "risk_acceptances")
            WHERE \(ident: "engagement_id") IN (\(binds: ids)) ORDER BY \(ident: "id")
            """).all()
        var lists: [Int: [JSONValue]] = [:]
        for row in rows { lists[try row.decode(column: "engagement_id", as: Int.self), default: []].append(.int(try row.decode(column: "id", as: Int.self))) }
        for (id, list) in lists { out[id] = .array(list) }
        return out
    }

    /// Engagement_Add / Engagement_Edit: writers, maintainers, owners and API importers.
    static func canChange(_ role: Role?) -> Bool { role.map { $0.canWrite || $0 == .apiImporter } ?? false }

    /// The user's role on the product that owns engagement `id`.
    static func role(of user: UserAccount, engagement id: Int, db: any SQLDatabase) async throws -> Role? {
        try await ProductPath.engagements.role(of: user, id: id, db: db)
    }

    static var policy: ResourcePolicy {
        var policy = ProductScope.policy(path: .engagements) { _, input in input.values["product"]?.intValue }
        policy.canCreate = { context, input in
            guard !context.user.isSuperuser else { return true }
            guard let product = input.values["product"]?.intValue else { return false }
            let role = try await Membership.role(of: context.user, product: product, db: context.db)
            if role == nil { throw ProductScope.unseen("product", input) }
            return canChange(role)
        }
        policy.canUpdate = { context, id in canChange(try await role(of: context.user, engagement: id, db: context.db)) }
        return policy
    }

    public static let definition = ResourceDefinition(
        schema: schema, component: "Engagement",
        policy: policy,
        hooks: ResourceHooks(prepare: { context, mode, id, input in
            var errors = ValidationErrors()
            for field in urlFields {
                if case .string(let text)? = input.values[field], !text.isEmpty, !RelatedFilters.isValidURL(text) { errors.add(field, "Enter a valid URL.") }
            }
            for field in absentForeignKeys {
                if case .int(let value)? = input.values[field] { errors.add(field, "Invalid pk \"\(value)\" - object does not exist.") }
            }
            guard errors.isEmpty else { throw APIError.validation(errors) }
            if mode == .create {
                if case .string(let start)? = input.values["target_start"], case .string(let end)? = input.values["target_end"], start > end {
                    throw APIError.field("non_field_errors", "Your target start date exceeds your target end date")
                }
                input.set("active", .bool(true))
                input.set("progress", .string("threat_model"))
                input.set("tmodel_path", .string("none"))
                input.set("done_testing", .bool(false))
            } else if let id, let product = input.values["product"]?.intValue, !context.user.isSuperuser,
                      try await currentProduct(engagement: id, db: context.db) != product,
                      !canChange(try await Membership.role(of: context.user, product: product, db: context.db)) {
                throw APIError.detail(.forbidden, "You are not permitted to edit engagements in the destination product")
            }
        }))

    static func currentProduct(engagement id: Int, db: any SQLDatabase) async throws -> Int? {
        let row = try await db.raw("SELECT \(ident: "product_id") FROM \(ident: "engagements") WHERE \(ident: "id") = \(bind: id)").first()
        return try row?.decode(column: "product_id", as: Int.self)
    }
}
import Vapor
