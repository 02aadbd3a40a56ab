import FluentKit

/// Product types and their members.
struct CreateProductTypes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("product_types")
            .field("id", .int, .identifier(auto: true))
            .field("name", .string, .required)
            .field("description", .string)
            .field("critical_product", .bool, .required)
            .field("key_product", .bool, .required)
            .field("created", .datetime)
            .field("updated", .datetime)
            .unique(on: "name")
            .create()
        try await database.schema("product_type_members")
            .field("id", .int, .identifier(auto: true))
            .field("product_type_id", .int, .required, .references("product_types", "id", onDelete: .cascade))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("role_id", .int, .required)
            .unique(on: "product_type_id", "user_id")
            .create()
        try await database.createIndex("product_type_members_user", on: "product_type_members", columns: ["user_id"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema("product_type_members").delete()
        try await database.schema("product_types").delete()
    }
}
