import FluentKit
import SQLKit

/// Indexes in the findings list's default order (`numerical_severity, -date, title, epss_score,
/// epss_percentile, id`), behind the common filters, so a page is an index walk that stops after
/// `limit` rows instead of a sort of the whole table. They replace narrower indexes they cover.
struct AddFindingListOrderIndexes: AsyncMigration {
    static let order = "numerical_severity, date DESC, title, epss_score, epss_percentile, id"
    static let indexes: [(name: String, prefix: String)] = [
        ("findings_list_order", ""),
        ("findings_list_severity_active", "severity, active, "),
        ("findings_list_active", "active, "),
        ("findings_list_product", "product_id, "),
        ("findings_list_test", "test_id, "),
    ]
    static let replaced = ["findings_default_order", "findings_severity_active", "findings_active", "findings_product_severity", "findings_test"]

    func prepare(on database: any Database) async throws {
        let sql = try database.sql
        for name in Self.replaced { try await sql.raw("DROP INDEX IF EXISTS \(ident: name)").run() }
        for index in Self.indexes {
            try await sql.raw("CREATE INDEX \(ident: index.name) ON \(ident: "findings") (\(unsafeRaw: index.prefix + Self.order))").run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql
        for index in Self.indexes { try await sql.raw("DROP INDEX IF EXISTS \(ident: index.name)").run() }
        try await database.createIndex("findings_test", on: "findings", columns: ["test_id"])
        try await database.createIndex("findings_severity_active", on: "findings", columns: ["severity", "active", "verified"])
    }
}
