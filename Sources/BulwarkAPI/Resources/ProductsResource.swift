import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit

/// `products/`: DefectDojo's Product serializer (2.x field order).
public enum ProductsResource {
    static let userFK = FieldKind.foreignKey(table: "users")

    public static let schema = ResourceSchema(
        path: "products", table: "products", modelName: "Product", tagObjectType: "product",
        fields: [
            FieldSpec("id", .integer(), .readOnly),
            FieldSpec("findings_count", .computed, .readOnly).documented(OpenAPISchema.integer),
            FieldSpec("findings_list", .computed, .readOnly).documented(OpenAPISchema.array(OpenAPISchema.integer)),
            FieldSpec("tags", .tags),
            FieldSpec("product_meta", .computed, .readOnly).documented(OpenAPISchema.array(OpenAPISchema.anyObject)),
            FieldSpec("name", .string(maxLength: 255), required: true, allowBlank: false, unique: "product with this name already exists."),
            FieldSpec("description", .string(maxLength: 4000), required: true, allowBlank: false),
            FieldSpec("created", .dateTime, .readOnly),
            FieldSpec("prod_numeric_grade", .integer(), nullable: true),
            FieldSpec("business_criticality", .choice(["very high", "high", "medium", "low", "very low", "none"]), nullable: true),
            FieldSpec("platform", .choice(["web service", "desktop", "iot", "mobile", "web"]), nullable: true),
            FieldSpec("lifecycle", .choice(["construction", "production", "retirement"]), nullable: true),
            FieldSpec("origin", .choice(["third party library", "purchased", "contractor", "internal", "open source", "outsourced"]), nullable: true),
            FieldSpec("user_records", .integer(minimum: 0), nullable: true),
            FieldSpec("revenue", .decimal(scale: 2), nullable: true),
            FieldSpec("external_audience", .boolean, defaultValue: .bool(false)),
            FieldSpec("internet_accessible", .boolean, defaultValue: .bool(false)),
            FieldSpec("enable_product_tag_inheritance", .boolean, defaultValue: .bool(false)),
            FieldSpec("enable_simple_risk_acceptance", .boolean, defaultValue: .bool(false)),
            FieldSpec("enable_full_risk_acceptance", .boolean, defaultValue: .bool(true)),
            FieldSpec("disable_sla_breach_notifications", .boolean, defaultValue: .bool(false)),
            FieldSpec("product_manager", userFK, nullable: true),
            FieldSpec("technical_contact", userFK, nullable: true),
            FieldSpec("team_manager", userFK, nullable: true),
            FieldSpec("prod_type", .foreignKey(table: "product_types"), required: true),
            FieldSpec("sla_configuration", .foreignKey(table: "sla_configurations"), defaultValue: .int(1)),
            FieldSpec("regulations", .idList(joinTable: "product_regulations", ownerColumn: "product_id", targetColumn: "regulation_id", targetTable: "regulations")),
            FieldSpec("members", .idList(joinTable: "product_members", ownerColumn: "product_id", targetColumn: "user_id", targetTable: "users"), .readOnly),
            FieldSpec("authorization_groups", .idList(joinTable: "product_groups", ownerColumn: "product_id", targetColumn: "group_id",
                                                      targetTable: "dojo_groups"), .readOnly),
        ],
        filters: [
            FilterSpec("id", .inList, .integer),
            FilterSpec("name", .icontains),
            FilterSpec("name_exact", column: "name", .iexact),
            FilterSpec("description", .icontains),
            FilterSpec("business_criticality", .multipleChoice),
            FilterSpec("platform", .multipleChoice),
            FilterSpec("lifecycle", .multipleChoice),
            FilterSpec("origin", .multipleChoice),
            FilterSpec("product_manager", column: "product_manager_id", .inList, .integer),
            FilterSpec("technical_contact", column: "technical_contact_id", .inList, .integer),
            FilterSpec("team_manager", column: "team_manager_id", .inList, .integer),
            FilterSpec("prod_type", column: "prod_type_id", .inList, .integer),
            FilterSpec("tid", .inList, .integer),
            FilterSpec("prod_numeric_grade", .inList, .integer),
            FilterSpec("user_records", .inList, .integer),
            FilterSpec.integersIn("regulations", table: "products") {
                "SELECT \(ident: "product_id") FROM \(ident: "product_regulations") WHERE \(ident: "regulation_id") IN (\(binds: $0))"
            },
            FilterSpec("external_audience", .exact, .boolean),
            FilterSpec("internet_accessible", .exact, .boolean),
            FilterSpec("created", .dateRangeChoice, .dateTime),
            FilterSpec("updated", .dateRangeChoice, .dateTime),
            FilterSpec("revenue", .exact),
        ] + FilterSpec.tagFilters(objectType: "product"),
        orderings: ResourceSchema.orderings(
            ["id", "tid", "name", "created", "prod_numeric_grade", "business_criticality", "platform", "lifecycle", "origin", "revenue",
             "external_audience", "internet_accessible", "product_manager", "technical_contact", "team_manager", "prod_type", "updated",
             "user_records"],
            columns: ["product_manager": "product_manager_id", "technical_contact": "technical_contact_id",
                      "team_manager": "team_manager_id", "prod_type": "prod_type_id"]),
        defaultOrder: [("name", false)],
        constants: ["product_meta": .array([])],
        computedGroups: [activeFindings],
        cascades: Cascades.product)

    /// `findings_count` and `findings_list`: the product's active findings, in one query per page.
    static let activeFindings: ComputedGroupLoader = { page, db in
        let ids = page.ids
        var lists: [Int: [JSONValue]] = [:]
        for chunk in ids.chunked(500) {
            let rows = try await db.rows("""
                SELECT product_id, id FROM findings WHERE product_id IN (\(binds: chunk)) AND active = \(bind: true) ORDER BY id
                """)
            for row in rows { lists[try row.int("product_id") ?? 0, default: []].append(.int(try row.int("id") ?? 0)) }
        }
        return [
            "findings_count": Dictionary(uniqueKeysWithValues: ids.map { ($0, JSONValue.int(lists[$0]?.count ?? 0)) }),
            "findings_list": Dictionary(uniqueKeysWithValues: ids.map { ($0, JSONValue.array(lists[$0] ?? [])) }),
        ]
    }

    /// Products a non-superuser may see: their own, and all products of product types they belong to.
    static func visibility(_ user: UserAccount) -> [SQLQueryString] { AccessPolicy.productVisibility(user) }

    public static let definition = ResourceDefinition(
        schema: schema, component: "Product",
        policy: ResourcePolicy(
            visibility: visibility,
            canCreate: { context, input in
                guard !context.user.isSuperuser else { return true }
                guard case .int(let typeID)? = input.values["prod_type"] else { return false }
                return try await Membership.role(of: context.user, productType: typeID, db: context.db)?.canAddChildren ?? false
            },
            canUpdate: { context, id in try await Membership.role(of: context.user, product: id, db: context.db)?.canEdit ?? false },
            canDelete: { context, id in try await Membership.role(of: context.user, product: id, db: context.db)?.canDelete ?? false }),
        hooks: ResourceHooks(
            prepare: { context, mode, _, input in
                if mode == .create { input.set("tid", .int(0)) }
                // Products keep an `updated` stamp that DefectDojo's API does not show.
                input.set("updated", .date(context.now))
            },
            afterWrite: { context, mode, id, _ in
                if mode == .create { try await Membership.add(user: context.user.id, product: id, role: .owner, db: context.db) }
            }),
        prefetch: ["prod_type": "product_types", "product_manager": "users", "technical_contact": "users", "team_manager": "users",
                   "members": "users", "authorization_groups": "dojo_groups"])
}
