import FluentKit

/// Who changed what, when: one row per change of a finding, product, engagement, test, membership,
/// connector, token or setting (and one per import), with the changed fields before and after.
struct CreateAuditLog: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("audit_log")
            .field("id", .int, .identifier(auto: true))
            .field("created", .datetime, .required)
            .field("actor_id", .int)
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("object_type", .string, .required)
            .field("object_id", .int)
            .field("object_name", .string)
            .field("changes", .string, .required)
            .create()
        try await database.createIndex("audit_log_object", on: "audit_log", columns: ["object_type", "object_id"])
        try await database.createIndex("audit_log_created", on: "audit_log", columns: ["created"])
        try await database.createIndex("audit_log_actor", on: "audit_log", columns: ["actor_id"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_log").delete()
    }
}
