import BulwarkConnectors
import BulwarkCore
import BulwarkParsers
import BulwarkStorage
import SQLKit

/// Keeps `test_types` in line with the parser and connector registries, so `test_types/` lists every scan type
/// Bulwark can import from the first start on (DefectDojo lists its parsers' types the same way).
public enum RegisteredTestTypes {
    /// Inserts a test type for each registered scan type that has none; returns how many were added.
    @discardableResult
    public static func ensure(db: any SQLDatabase) async throws -> Int {
        let rows = try await db.raw("SELECT name FROM test_types").all()
        let existing = Set(try rows.map { try $0.decode(column: "name", as: String.self) })
        let names = ParserRegistry.descriptors.map(\.scanType.rawValue) + ConnectorRegistry.descriptors.map(\.scanType.rawValue)
        let missing = names.filter { !existing.contains($0) }
        try await BulkInsert(db: db).insert(
            into: "test_types", columns: ["name", "static_tool", "dynamic_tool", "active", "dynamically_generated"],
            rows: missing.map { [.string($0), .bool(false), .bool(false), .bool(true), .bool(false)] }, returningIDs: false)
        return missing.count
    }
}
