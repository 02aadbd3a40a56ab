import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit

/// `roles/` (read-only, DefectDojo's five fixed roles), `dojo_groups/` and `global_roles/`.
public enum GroupsAndRolesResources {
    public static let roles = ResourceDefinition(
        schema: ResourceSchema(
            path: "roles", table: "roles", modelName: "Role",
            fields: [
                FieldSpec("id", .integer(), .readOnly),
                FieldSpec("name", .string(maxLength: 255), .readOnly),
                FieldSpec("is_owner", .boolean, .readOnly),
            ],
            filters: [FilterSpec("id", .exact, .integer), FilterSpec("name", .exact)],
            defaultOrder: [("name", false)]),
        component: "Role",
        policy: ResourcePolicy(canCreate: { _, _ in false }, canUpdate: { _, _ in false }, canDelete: { _, _ in false }),
        actions: [.list, .retrieve])

    /// Groups: members see their groups (global roles see all); superusers create them (the creator
    /// becomes Owner), Maintainers of a group edit it, Owners delete it.
    public static let groups = ResourceDefinition(
        schema: ResourceSchema(
            path: "dojo_groups", table: "dojo_groups", modelName: "Dojo_Group",
            fields: [
                FieldSpec("id", .integer(), .readOnly),
                FieldSpec("configuration_permissions", .computed, .readOnly).documented(OpenAPISchema.array(OpenAPISchema.integer)),
                FieldSpec("name", .string(maxLength: 255), required: true, allowBlank: false, unique: "dojo_ group with this name already exists."),
                FieldSpec("description", .string(maxLength: 4000), nullable: true),
                FieldSpec("social_provider", .choice(["AzureAD", "Remote"]), nullable: true),
                FieldSpec("users", .idList(joinTable: "dojo_group_members", ownerColumn: "group_id", targetColumn: "user_id", targetTable: "users"), .readOnly),
            ],
            filters: [FilterSpec("id", .exact, .integer), FilterSpec("name", .exact), FilterSpec("social_provider", .exact)],
            constants: ["configuration_permissions": .array([])],
            cascades: [
                CascadeRule(table: "dojo_group_members", model: "Dojo_Group_Member", foreignKey: "group_id", nameColumn: nil),
                CascadeRule(table: "product_type_groups", model: "Product_Type_Group", foreignKey: "group_id", nameColumn: nil),
                CascadeRule(table: "product_groups", model: "Product_Group", foreignKey: "group_id", nameColumn: nil),
                CascadeRule(table: "global_roles", model: "Global_Role", foreignKey: "group_id", nameColumn: nil),
            ]),
        component: "DojoGroup",
        policy: ResourcePolicy(
            visibility: { AccessPolicy.groupVisibility($0, column: "\(ident: "dojo_groups").\(ident: "id")") },
            canCreate: { context, _ in context.user.isSuperuser },
            canUpdate: { context, id in try await Membership.role(of: context.user, group: id, db: context.db)?.canEdit ?? false },
            canDelete: { context, id in try await Membership.role(of: context.user, group: id, db: context.db)?.canDelete ?? false }),
        hooks: ResourceHooks(afterWrite: { context, mode, id, _ in
            if mode == .create { try await Membership.add(user: context.user.id, group: id, role: .owner, db: context.db) }
        }),
        prefetch: ["users": "users"])

    /// Global roles: superusers only; a row names either a user or a group, never both.
    public static let globalRoles = ResourceDefinition(
        schema: ResourceSchema(
            path: "global_roles", table: "global_roles", modelName: "Global_Role", nameColumn: "id",
            fields: [
                FieldSpec("id", .integer(), .readOnly),
                FieldSpec("user", .foreignKey(table: "users"), nullable: true),
                FieldSpec("group", .foreignKey(table: "dojo_groups"), nullable: true),
                FieldSpec("role", .foreignKey(table: "roles"), nullable: true),
            ],
            filters: [
                FilterSpec("id", .exact, .integer),
                FilterSpec("user", column: "user_id", .exact, .integer),
                FilterSpec("group", column: "group_id", .exact, .integer),
                FilterSpec("role", column: "role_id", .exact, .integer),
            ]),
        component: "GlobalRole",
        policy: .superuserOnly,
        hooks: ResourceHooks(prepare: { context, _, id, input in
            var user = input.values["user"]
            var group = input.values["group"]
            if let id, let row = try await context.db.rows("""
                SELECT \(ident: "user_id"), \(ident: "group_id") FROM \(ident: "global_roles") WHERE \(ident: "id") = \(bind: id)
                """).first {
                if user == nil { user = try row.int("user_id").map(JSONValue.int) ?? .null }
                if group == nil { group = try row.int("group_id").map(JSONValue.int) ?? .null }
            }
            let hasUser = user != nil && user != .null
            let hasGroup = group != nil && group != .null
            if !hasUser && !hasGroup { throw APIError.field("non_field_errors", "Global_Role must have either user or group") }
            if hasUser && hasGroup { throw APIError.field("non_field_errors", "Global_Role cannot have both user and group") }
            // One global role per user and per group (DefectDojo's one-to-one fields).
            for (field, value) in [("user", user), ("group", group)] {
                guard case .int(let target)? = value else { continue }
                let taken = try await context.db.rows("""
                    SELECT 1 AS \(ident: "one") FROM \(ident: "global_roles") WHERE \(ident: field + "_id") = \(bind: target) AND \(ident: "id") <> \(bind: id ?? -1)
                    """).first
                if taken != nil { throw APIError.field(field, "global_ role with this \(field) already exists.") }
            }
        }),
        prefetch: ["user": "users", "group": "dojo_groups", "role": "roles"])
}
