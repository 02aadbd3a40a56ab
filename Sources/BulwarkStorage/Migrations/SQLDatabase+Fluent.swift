import FluentKit
import SQLKit

extension Database {
    /// This database as SQLKit, which every Fluent SQL driver provides.
    var sql: any SQLDatabase {
        get throws {
            guard let sql = self as? any SQLDatabase else { throw StorageError(.constraint, "database driver is not SQL") }
            return sql
        }
    }

    /// Creates a plain index with SQLKit (FluentKit's schema builder has none).
    func createIndex(_ name: String, on table: String, columns: [String], unique: Bool = false) async throws {
        let builder = try sql.create(index: name).on(table)
        for column in columns { _ = builder.column(column) }
        if unique { _ = builder.unique() }
        try await builder.run()
    }
}
