import FluentKit
import FluentSQL
import SQLKit

/// Endpoints of products and the finding↔endpoint status rows (DefectDojo's Endpoint_Status).
struct CreateEndpoints: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("endpoints")
            .field("id", .int, .identifier(auto: true))
            .field("protocol", .string)
            .field("userinfo", .string)
            .field("host", .string)
            .field("port", .int)
            .field("path", .string)
            .field("query", .string)
            .field("fragment", .string)
            .field("product_id", .int, .references("products", "id", onDelete: .cascade))
            .create()
        try await database.createIndex("endpoints_product_host", on: "endpoints", columns: ["product_id", "host"])
        try await database.schema("endpoint_status")
            .field("id", .int, .identifier(auto: true))
            .field("date", .string, .required, .sql(.default("2000-01-01")))
            .field("last_modified", .datetime)
            .field("mitigated", .bool, .required, .sql(.default(false)))
            .field("mitigated_time", .datetime)
            .field("mitigated_by_id", .int, .references("users", "id", onDelete: .setNull))
            .field("false_positive", .bool, .required, .sql(.default(false)))
            .field("out_of_scope", .bool, .required, .sql(.default(false)))
            .field("risk_accepted", .bool, .required, .sql(.default(false)))
            .field("endpoint_id", .int, .required, .references("endpoints", "id", onDelete: .cascade))
            .field("finding_id", .int, .required, .references("findings", "id", onDelete: .cascade))
            .unique(on: "finding_id", "endpoint_id")
            .create()
        try await database.createIndex("endpoint_status_endpoint", on: "endpoint_status", columns: ["endpoint_id"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema("endpoint_status").delete()
        try await database.schema("endpoints").delete()
    }
}
