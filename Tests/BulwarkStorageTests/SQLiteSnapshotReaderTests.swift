@testable import BulwarkStorage
import Foundation
import NIOPosix
import SQLiteNIO
import Testing

@Suite("SQLite read connections")
struct SQLiteSnapshotReaderTests {
    /// A WAL database file with one table, written through SQLiteNIO (as the server writes), and a reader on it.
    private func withDatabase(_ body: (SQLiteConnection, SQLiteSnapshotReader) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("reader-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let writer = try await SQLiteConnection.open(storage: .file(path: path))
        _ = try await writer.query("PRAGMA journal_mode=WAL")
        _ = try await writer.query("CREATE TABLE t (i INTEGER, f REAL, s TEXT, b BLOB, n TEXT)")
        let reader = SQLiteSnapshotReader(path: path, threadPool: .singleton)
        do {
            try await body(writer, reader)
        } catch {
            reader.close()
            try await writer.close()
            throw error
        }
        reader.close()
        try await writer.close()
    }

    @Test("Every storage class comes back as written, with bound parameters")
    func storageClasses() async throws {
        try await withDatabase { writer, reader in
            let text = "naïve \"quoted\" \\ 🛡"
            _ = try await writer.query("INSERT INTO t VALUES (?, ?, ?, ?, NULL)", [.integer(-7), .float(7.25), .text(text), .blob(.init(bytes: [0, 1, 255]))])
            _ = try await writer.query("INSERT INTO t VALUES (42, 1795409453.71055, '1', NULL, NULL)")
            let cells = try await reader.read { try $0.query("SELECT i, f, s, b, n FROM t WHERE i > ? ORDER BY i", [.integer(-100)]) }
            let rows = cells.rows
            #expect(rows.count == 2)
            #expect(cells.columns.names == ["i", "f", "s", "b", "n"])
            #expect(try rows[0].int("i") == -7)
            #expect(try rows[0].double("f") == 7.25)
            #expect(try rows[0].string("s") == text)
            #expect(try rows[0].string("n") == nil)
            #expect(try rows[0].string("b") == nil, "a blob is not text, as with SQLiteNIO's rows")
            #expect(try rows[0].int("n") == nil)
            var seen: [UInt8] = []
            #expect(try rows[0].withText(at: 2) { seen = Array($0) })
            #expect(seen == Array(text.utf8))
            #expect(try !rows[0].withText(at: 4) { _ in Issue.record("NULL has no text") })
            #expect(try rows[1].bool("s") == true)
            #expect(try rows[1].date("f") == Date(timeIntervalSince1970: 1795409453.71055))
            #expect(try rows[1].string("i") == "42")
        }
    }

    @Test("A reused statement sees rows committed on another connection after its last run")
    func seesLaterCommits() async throws {
        try await withDatabase { writer, reader in
            func count() async throws -> Int? {
                try await reader.read { try $0.query("SELECT COUNT(*) FROM t", []) }.rows.first?.int(at: 0)
            }
            #expect(try await count() == 0)
            for expected in 1...3 {
                _ = try await writer.query("INSERT INTO t (i) VALUES (?)", [.integer(expected)])
                #expect(try await count() == expected)
            }
        }
    }

    @Test("More distinct statements than a connection keeps prepared still answer, before and after eviction")
    func statementEviction() async throws {
        try await withDatabase { _, reader in
            let answers = try await reader.read { connection in
                try (0..<150).map { round -> Int? in
                    let statement = round % 100  // statements 0–49 come back after 50 others have pushed them out
                    return try connection.query("SELECT ? + \(statement) AS n", [.integer(1000)]).rows.first?.int("n")
                }
            }
            #expect(answers == (0..<150).map { 1000 + $0 % 100 })
        }
    }

    @Test("Bad SQL and writes fail with SQLite's message; the connection stays usable")
    func errors() async throws {
        try await withDatabase { writer, reader in
            await #expect(throws: SQLiteReadError.self) { try await reader.read { try $0.query("SELECT nope FROM t", []) } }
            do {
                _ = try await reader.read { try $0.query("INSERT INTO t (i) VALUES (1)", []) }
                Issue.record("a read connection wrote")
            } catch let error as SQLiteReadError {
                #expect(error.description.contains("readonly") || error.description.contains("read-only") || error.description.contains("query_only"),
                        "\(error)")
            }
            #expect(try await reader.read { try $0.query("SELECT COUNT(*) FROM t", []) }.rows.first?.int(at: 0) == 0)
            reader.close()
            await #expect(throws: SQLiteReadError.self) { try await reader.read { try $0.query("SELECT 1", []) } }
        }
    }
}
