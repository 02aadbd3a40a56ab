import Crypto
import FluentKit
import Foundation
import SQLKit

/// Named, hashed API tokens (several per user, each with an optional expiry and scope, and the
/// time and address of its last use) replace DefectDojo's one plain-text key per user.
///
/// Existing keys keep working: each `auth_tokens` key is stored as its SHA-256 under the name
/// "default", then the plain-text table is dropped, so a database dump no longer holds a usable key.
struct CreateAPITokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("api_tokens")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("key_hash", .string, .required)
            .field("key_prefix", .string, .required)
            .field("created", .datetime, .required)
            .field("expires", .datetime)
            .field("scope", .string, .required)
            .field("scope_products", .string)
            .field("last_used", .datetime)
            .field("last_used_address", .string)
            .unique(on: "key_hash")
            .create()
        try await database.createIndex("api_tokens_user", on: "api_tokens", columns: ["user_id"])
        guard let sql = database as? any SQLDatabase else { return }
        for row in try await sql.raw("SELECT \(ident: "key"), \(ident: "user_id"), \(ident: "created") FROM \(ident: "auth_tokens")").all() {
            let key = try row.decode(column: "key", as: String.self)
            try await sql.raw("""
                INSERT INTO \(ident: "api_tokens") (\(ident: "user_id"), \(ident: "name"), \(ident: "key_hash"), \(ident: "key_prefix"), \(ident: "created"), \(ident: "scope"))
                VALUES (\(bind: try row.decode(column: "user_id", as: Int.self)), \(bind: "default"), \(bind: Self.hash(key)), \(bind: String(key.prefix(8))),
                        \(bind: try row.decode(column: "created", as: Date.self)), \(bind: "full"))
                """).run()
        }
        try await database.schema("auth_tokens").delete()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("auth_tokens")
            .field("id", .int, .identifier(auto: true))
            .field("key", .string, .required)
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("created", .datetime, .required)
            .unique(on: "key")
            .unique(on: "user_id")
            .create()
        try await database.schema("api_tokens").delete()
    }

    /// The stored form of a key: its SHA-256 in lower-case hex (keys are 160 random bits, so a fast hash suffices).
    static func hash(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// How API token keys are stored; the one definition the migration and the services share.
public enum APITokenHash {
    /// SHA-256 of the key, lower-case hex.
    public static func of(_ key: String) -> String { CreateAPITokens.hash(key) }
}
