import BulwarkTesting
import Foundation
import SQLKit
import Testing

/// Database settings that only PostgreSQL applies (the PostgreSQL lane runs these; on SQLite they skip).
@Suite("Database settings")
struct DatabaseSettingsTests {
    @Test("BULWARK_DB_STATEMENT_TIMEOUT_SECONDS makes PostgreSQL cancel a statement that runs longer")
    func statementTimeout() async throws {
        try await withTestServer(configure: { $0.statementTimeoutSeconds = 1 }) { server in
            guard server.databaseKind == "postgresql" else { return }
            // A statement within the limit runs; one past it is cancelled by the server.
            try await server.sql.raw("SELECT pg_sleep(0.1)").run()
            await #expect(throws: (any Error).self) { try await server.sql.raw("SELECT pg_sleep(3)").run() }
            let setting = try await server.sql.raw("SHOW statement_timeout").first()?.decode(column: "statement_timeout", as: String.self)
            #expect(setting == "1s")
        }
    }
}
