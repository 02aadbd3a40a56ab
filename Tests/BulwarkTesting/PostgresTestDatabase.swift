import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import Vapor

/// The PostgreSQL lane: when `BULWARK_TEST_POSTGRES_URL` names a server database, each test gets
/// its own database created from it and dropped afterwards. Unset, tests use SQLite files.
struct PostgresTestDatabase: Sendable {
    static let variable = "BULWARK_TEST_POSTGRES_URL"
    let baseURL: String
    let name: String

    /// The URL of this test's database.
    var url: String {
        guard var components = URLComponents(string: baseURL) else { return baseURL }
        components.path = "/" + name
        return components.string ?? baseURL
    }

    /// Creates a fresh database, or returns nil when the lane is off.
    static func create() async throws -> PostgresTestDatabase? {
        guard let base = ProcessInfo.processInfo.environment[variable], !base.isEmpty else { return nil }
        let database = PostgresTestDatabase(baseURL: base, name: "bulwark_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))
        try await database.administer("CREATE DATABASE \(database.name)")
        return database
    }

    /// Drops this test's database.
    func drop() async throws {
        try await administer("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    private func administer(_ statement: String) async throws {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        do {
            app.databases.use(try .postgres(url: baseURL, sqlLogLevel: .debug), as: .psql)
            guard let sql = app.db as? any SQLDatabase else { throw TestSupportError("PostgreSQL is not SQL") }
            try await sql.raw(SQLQueryString(statement)).run()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
