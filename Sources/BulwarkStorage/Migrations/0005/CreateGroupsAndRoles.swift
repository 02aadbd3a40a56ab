import FluentKit
import SQLKit

/// DefectDojo 2.x authorization tables beyond direct membership: the fixed roles, groups of users,
/// group grants on product types and products, and global roles (for a user or a group).
struct CreateGroupsAndRoles: AsyncMigration {
    /// DefectDojo's fixed role ids and names (`dojo/authorization/roles_permissions.py`).
    static let roles: [(id: Int, name: String, isOwner: Bool)] = [
        (1, "API_Importer", false), (2, "Writer", false), (3, "Maintainer", false), (4, "Owner", true), (5, "Reader", false),
    ]

    func prepare(on database: any Database) async throws {
        try await database.schema("roles")
            .field("id", .int, .identifier(auto: true))
            .field("name", .string, .required)
            .field("is_owner", .bool, .required)
            .unique(on: "name")
            .create()
        if let sql = database as? any SQLDatabase {
            for role in Self.roles {
                try await sql.raw("""
                    INSERT INTO \(ident: "roles") (\(ident: "id"), \(ident: "name"), \(ident: "is_owner")) VALUES (\(bind: role.id), \(bind: role.name), \(bind: role.isOwner))
                    """).run()
            }
        }
        try await database.schema("dojo_groups")
            .field("id", .int, .identifier(auto: true))
            .field("name", .string, .required)
            .field("description", .string)
            .field("social_provider", .string)
            .unique(on: "name")
            .create()
        try await database.schema("dojo_group_members")
            .field("id", .int, .identifier(auto: true))
            .field("group_id", .int, .required, .references("dojo_groups", "id", onDelete: .cascade))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("role_id", .int, .required)
            .unique(on: "group_id", "user_id")
            .create()
        try await database.createIndex("dojo_group_members_user", on: "dojo_group_members", columns: ["user_id"])
        try await database.schema("product_type_groups")
            .field("id", .int, .identifier(auto: true))
            .field("product_type_id", .int, .required, .references("product_types", "id", onDelete: .cascade))
            .field("group_id", .int, .required, .references("dojo_groups", "id", onDelete: .cascade))
            .field("role_id", .int, .required)
            .unique(on: "product_type_id", "group_id")
            .create()
        try await database.createIndex("product_type_groups_group", on: "product_type_groups", columns: ["group_id"])
        try await database.schema("product_groups")
            .field("id", .int, .identifier(auto: true))
            .field("product_id", .int, .required, .references("products", "id", onDelete: .cascade))
            .field("group_id", .int, .required, .references("dojo_groups", "id", onDelete: .cascade))
            .field("role_id", .int, .required)
            .unique(on: "product_id", "group_id")
            .create()
        try await database.createIndex("product_groups_group", on: "product_groups", columns: ["group_id"])
        try await database.schema("global_roles")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .references("users", "id", onDelete: .cascade))
            .field("group_id", .int, .references("dojo_groups", "id", onDelete: .cascade))
            .field("role_id", .int)
            .unique(on: "user_id")
            .unique(on: "group_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["global_roles", "product_groups", "product_type_groups", "dojo_group_members", "dojo_groups", "roles"] {
            try await database.schema(table).delete()
        }
    }
}
