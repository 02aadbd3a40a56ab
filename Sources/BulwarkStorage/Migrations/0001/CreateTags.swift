import FluentKit

/// One table of lower-case tags for every taggable object type (product, engagement, test, finding, endpoint).
struct CreateTags: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("tags")
            .field("id", .int, .identifier(auto: true))
            .field("object_type", .string, .required)
            .field("object_id", .int, .required)
            .field("name", .string, .required)
            .unique(on: "object_type", "object_id", "name")
            .create()
        try await database.createIndex("tags_by_name", on: "tags", columns: ["object_type", "name"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema("tags").delete()
    }
}
