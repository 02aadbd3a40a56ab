import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit

/// `product_types/`: organisations of products; creators become owners.
public enum ProductTypesResource {
    public static let schema = ResourceSchema(
        path: "product_types", table: "product_types", modelName: "Product_Type",
        fields: [
            FieldSpec("id", .integer(), .readOnly),
            FieldSpec("name", .string(maxLength: 255), required: true, allowBlank: false, unique: "product_ type with this name already exists."),
            FieldSpec("description", .string(maxLength: 4000), nullable: true),
            FieldSpec("critical_product", .boolean, defaultValue: .bool(false)),
            FieldSpec("key_product", .boolean, defaultValue: .bool(false)),
            FieldSpec("created", .dateTime, .readOnly),
            FieldSpec("updated", .dateTime, .readOnly),
            FieldSpec("members", .idList(joinTable: "product_type_members", ownerColumn: "product_type_id", targetColumn: "user_id", targetTable: "users"), .readOnly),
            FieldSpec("authorization_groups", .idList(joinTable: "product_type_groups", ownerColumn: "product_type_id", targetColumn: "group_id",
                                                      targetTable: "dojo_groups"), .readOnly),
        ],
        filters: [
            FilterSpec("id", .exact, .integer),
            FilterSpec("name", .exact),
            FilterSpec("critical_product", .exact, .boolean),
            FilterSpec("key_product", .exact, .boolean),
            FilterSpec("created", .exact, .dateTime),
            FilterSpec("updated", .exact, .dateTime),
        ],
        cascades: [
            CascadeRule(table: "products", model: "Product", foreignKey: "prod_type_id", tagObjectType: "product",
                        children: Cascades.product),
            CascadeRule(table: "product_type_members", model: "Product_Type_Member", foreignKey: "product_type_id", nameColumn: nil),
            CascadeRule(table: "product_type_groups", model: "Product_Type_Group", foreignKey: "product_type_id", nameColumn: nil),
        ])

    /// Product types a non-superuser may see: those they are a member of, or that hold a product they are a member of.
    static func visibility(_ user: UserAccount) -> [SQLQueryString] { AccessPolicy.productTypeVisibility(user) }

    public static let definition = ResourceDefinition(
        schema: schema, component: "ProductType",
        policy: ResourcePolicy(
            visibility: visibility,
            canCreate: { context, _ in context.user.isSuperuser },
            canUpdate: { context, id in try await Membership.role(of: context.user, productType: id, db: context.db)?.canEdit ?? false },
            canDelete: { context, id in try await Membership.role(of: context.user, productType: id, db: context.db)?.canDelete ?? false }),
        hooks: ResourceHooks(afterWrite: { context, mode, id, _ in
            if mode == .create { try await Membership.add(user: context.user.id, productType: id, role: .owner, db: context.db) }
        }),
        prefetch: ["members": "users", "authorization_groups": "dojo_groups"])
}
