import BulwarkStorage
import Foundation
import SQLKit

/// Makes concurrent imports into one product behave as if they ran one after the other, on every
/// database and across server instances.
///
/// SQLite has one writer (`BEGIN IMMEDIATE`), so its import transactions never overlap. On
/// PostgreSQL they do: two imports that auto-create the same product would both insert it (one
/// fails on the unique name), two imports into one new engagement would create it twice, and two
/// reimports of overlapping reports could both add the same new finding. Each import transaction
/// therefore first takes a transaction-scoped advisory lock keyed by the target product's name;
/// the lock is released at commit or rollback, and a waiting import then sees what the first one
/// committed (PostgreSQL's READ COMMITTED takes a fresh snapshot per statement).
enum ImportSerialization {
    /// Takes the lock of the product `options` import into, when the target can be named; a
    /// request that names no product fails its own validation later, without a lock.
    static func lockTarget(of options: ImportOptions, db: any SQLDatabase) async throws {
        guard db.dialect.name == "postgresql", let name = try await productName(of: options, db: db) else { return }
        try await db.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "bulwark.import.product:" + name)))").run()
    }

    /// The name of the product a request imports into: through its test, its engagement, or by name.
    static func productName(of options: ImportOptions, db: any SQLDatabase) async throws -> String? {
        if let test = options.test {
            let row = try await db.raw("""
                SELECT p.name FROM tests t JOIN engagements e ON e.id = t.engagement_id JOIN products p ON p.id = e.product_id
                WHERE t.id = \(bind: test)
                """).first()
            if let name = try row?.decode(column: "name", as: String.self) { return name }
        }
        if let engagement = options.engagement {
            let row = try await db.raw("SELECT p.name FROM engagements e JOIN products p ON p.id = e.product_id WHERE e.id = \(bind: engagement)").first()
            if let name = try row?.decode(column: "name", as: String.self) { return name }
        }
        return options.productName
    }

    /// Inserts a row keyed by a unique `name` unless one exists, and returns the row's id either
    /// way, and whether this call created it. Two transactions creating the same name at once both
    /// get the one row: the second waits on the first's uncommitted key, then finds it (no
    /// unique-key failure reaches the caller).
    static func insertOrGet(
        _ table: String, name: String, columns: [String], values: [SQLBindValue], db: any SQLDatabase
    ) async throws -> (id: Int, created: Bool)? {
        let existing: SQLQueryString = "SELECT id FROM \(unsafeRaw: table) WHERE name = \(bind: name)"
        if let row = try await db.raw(existing).first() { return (try row.decode(column: "id", as: Int.self), false) }
        let insert: SQLQueryString = "INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: (["name"] + columns).joined(separator: ", "))) VALUES (\(bind: name)"
            + values.reduce(into: SQLQueryString("")) { $0 = $0 + ", " + $1.sql }
            + ") ON CONFLICT (name) DO NOTHING RETURNING id"
        if let row = try await db.raw(insert).first() { return (try row.decode(column: "id", as: Int.self), true) }
        return try await db.raw(existing).first().map { (try $0.decode(column: "id", as: Int.self), false) }
    }
}
