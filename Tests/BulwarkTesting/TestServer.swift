import BulwarkApp
import BulwarkServices
import BulwarkStorage
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// A configured Bulwark on its own temporary SQLite file, with the admin's token at hand.
public struct TestServer: Sendable {
    public let app: Application
    public let adminToken: String
    public let databasePath: String
    /// `"sqlite"`, or `"postgresql"` in the PostgreSQL lane.
    public let databaseKind: String

    /// The password every test admin gets.
    public static let adminPassword = "Adm1n-Passw0rd!"

    /// The app's database as SQLKit, for arranging rows directly.
    public var sql: any SQLDatabase {
        get throws {
            guard let sql = app.db as? any SQLDatabase else { throw TestSupportError("database is not SQL") }
            return sql
        }
    }

    /// Accounts on the test database (Bcrypt cost 4 keeps tests fast).
    public var accounts: AccountService { get throws { AccountService(db: try sql, hasher: BcryptHasher(cost: 4)) } }

    /// Sends a request. `path` may carry a query string; `token` defaults to the admin's (pass nil for none).
    public func request(
        _ method: HTTPMethod, _ path: String, token: String?? = .none, json: String? = nil, form: [(String, String)]? = nil,
        body: String? = nil, contentType: String? = nil, headers: [(String, String)] = []
    ) async throws -> TestResponse {
        var allHeaders = HTTPHeaders(headers)
        let effectiveToken: String? = token ?? adminToken
        if let effectiveToken { allHeaders.replaceOrAdd(name: .authorization, value: "Token \(effectiveToken)") }
        var payload: String?
        if let json { payload = json; allHeaders.replaceOrAdd(name: .contentType, value: "application/json") }
        if let form {
            payload = form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
            allHeaders.replaceOrAdd(name: .contentType, value: "application/x-www-form-urlencoded")
        }
        if let body { payload = body }
        if let contentType { allHeaders.replaceOrAdd(name: .contentType, value: contentType) }
        if !allHeaders.contains(name: .host) { allHeaders.add(name: .host, value: "testserver") }
        let finalHeaders = allHeaders
        let buffer = payload.map { ByteBuffer(string: $0) }
        let response = try await app.testing().sendRequest(method, "/", headers: finalHeaders, body: buffer) { request in
            request.url = URI(string: path)
        }
        return TestResponse(status: response.status, headers: response.headers, body: response.body.string)
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    /// Creates a user directly and returns its id and API token.
    public func makeUser(_ username: String, superuser: Bool = false, password: String = "Us3r-Passw0rd!", active: Bool = true) async throws -> (id: Int, token: String) {
        let accounts = try accounts
        let id = try await accounts.createUser(username: username, email: "\(username)@example.com", password: password, isSuperuser: superuser)
        if !active { try await sql.raw("UPDATE users SET is_active = \(bind: false) WHERE id = \(bind: id)").run() }
        return (id, try await accounts.issueToken(for: id, TokenRequest(name: "test")).key)
    }
}

/// A response with helpers to read its JSON.
public struct TestResponse: Sendable {
    public let status: HTTPResponseStatus
    public let headers: HTTPHeaders
    public let body: String

    /// The body parsed with key order kept; `.null` when it is not JSON.
    public var json: JSONValue { JSONValue.parseOrdered(body) ?? .null }
}

/// Something the test support could not do.
public struct TestSupportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Runs `body` against a fresh app on its own SQLite file, then shuts it down and deletes the file.
public func withTestServer(
    configure adjust: (inout AppConfig) -> Void = { _ in }, _ body: (TestServer) async throws -> Void
) async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-test-\(UUID().uuidString).sqlite").path
    var config = AppConfig(database: .sqlite(path: path), adminPassword: TestServer.adminPassword, bcryptCost: 4)
    let postgres = try await PostgresTestDatabase.create()
    if let postgres { config.database = .postgres(url: postgres.url) }
    adjust(&config)
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning
    defer {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
    do {
        try await configure(app, config: config)
        guard let sql = app.db as? any SQLDatabase else { throw TestSupportError("database is not SQL") }
        let accounts = AccountService(db: sql, hasher: BcryptHasher(cost: 4))
        guard let admin = try await accounts.user(username: config.adminUser) else { throw TestSupportError("no admin was created") }
        let token = try await accounts.issueToken(for: admin.id, TokenRequest(name: "test")).key
        try await body(TestServer(app: app, adminToken: token, databasePath: path, databaseKind: config.database.kind))
    } catch {
        try? await app.asyncShutdown()
        try? await postgres?.drop()
        throw error
    }
    try await app.asyncShutdown()
    try await postgres?.drop()
}
