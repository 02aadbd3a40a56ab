import FluentKit

/// Users, their API tokens and configuration permissions.
struct CreateUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .field("id", .int, .identifier(auto: true))
            .field("username", .string, .required)
            .field("first_name", .string, .required)
            .field("last_name", .string, .required)
            .field("email", .string, .required)
            .field("password", .string, .required)
            .field("date_joined", .datetime, .required)
            .field("last_login", .datetime)
            .field("is_active", .bool, .required)
            .field("is_staff", .bool, .required)
            .field("is_superuser", .bool, .required)
            .field("token_last_reset", .datetime)
            .field("password_last_reset", .datetime)
            .unique(on: "username")
            .create()
        try await database.schema("auth_tokens")
            .field("id", .int, .identifier(auto: true))
            .field("key", .string, .required)
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("created", .datetime, .required)
            .unique(on: "key")
            .unique(on: "user_id")
            .create()
        try await database.schema("user_configuration_permissions")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("permission_id", .int, .required)
            .create()
        try await database.createIndex("user_configuration_permissions_user", on: "user_configuration_permissions", columns: ["user_id"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema("user_configuration_permissions").delete()
        try await database.schema("auth_tokens").delete()
        try await database.schema("users").delete()
    }
}
