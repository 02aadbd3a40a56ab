import BulwarkHTTP
import BulwarkServices
import BulwarkStorage
import Fluent
import SQLKit
import Vapor

/// Settings the API reads at request time; built once by the app from `AppConfig`.
public struct APISettings: Sendable {
    public var version: String
    public var databaseKind: String
    public var apiTokensEnabled: Bool
    public var tokenAuthEndpointEnabled: Bool
    public var hasher: any PasswordHashing
    /// Counts failed password checks (Basic auth, `api-token-auth/`) shared with the login page.
    public var loginThrottle: LoginThrottle
    /// Default and longest API token lifetime (`BULWARK_TOKEN_MAX_AGE_DAYS`).
    public var tokenLifetime: TokenLifetime
    /// Days audit events are kept (`BULWARK_AUDIT_RETENTION_DAYS`).
    public var auditRetentionDays = 365
    public var now: @Sendable () -> Date

    public init(version: String, databaseKind: String, apiTokensEnabled: Bool, tokenAuthEndpointEnabled: Bool,
                hasher: any PasswordHashing, loginThrottle: LoginThrottle = LoginThrottle(), tokenLifetime: TokenLifetime = TokenLifetime(maxAgeDays: nil),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.loginThrottle = loginThrottle
        self.tokenLifetime = tokenLifetime
        self.version = version
        self.databaseKind = databaseKind
        self.apiTokensEnabled = apiTokensEnabled
        self.tokenAuthEndpointEnabled = tokenAuthEndpointEnabled
        self.hasher = hasher
        self.now = now
    }
}

extension Application {
    private struct SettingsKey: StorageKey { typealias Value = APISettings }

    /// The API settings; set by `configure` before routes are registered.
    public var apiSettings: APISettings? {
        get { storage[SettingsKey.self] }
        set { storage[SettingsKey.self] = newValue }
    }
}

extension Application {
    private struct SnapshotReaderKey: StorageKey { typealias Value = SQLiteSnapshotReader }

    /// SQLite's read connections for requests that only read; set by `configure` for an SQLite file.
    public var snapshotReader: SQLiteSnapshotReader? {
        get { storage[SnapshotReaderKey.self] }
        set { storage[SnapshotReaderKey.self] = newValue }
    }
}

extension Request {
    private struct UserKey: StorageKey { typealias Value = UserAccount }

    /// The API settings, or a 500 when the app was not configured.
    public var settings: APISettings {
        get throws {
            guard let settings = application.apiSettings else { throw APIError.internalError }
            return settings
        }
    }

    /// This request's database as SQLKit.
    public var sql: any SQLDatabase {
        get throws {
            guard let sql = db as? any SQLDatabase else { throw APIError.internalError }
            return sql
        }
    }

    /// This request's database for reading only: ``sql``, with SQLite's fast reads going through the
    /// application's ``SQLiteSnapshotReader`` when it has one. Never for a request that writes.
    public var readingSQL: any SQLDatabase {
        get throws {
            guard let reader = application.snapshotReader else { return try sql }
            return SnapshotReadingDatabase(base: try sql, reader: reader)
        }
    }

    /// The authenticated user; set by ``APIAuthenticationMiddleware``.
    public var apiUser: UserAccount? {
        get { storage[UserKey.self] }
        set { storage[UserKey.self] = newValue }
    }

    /// The authenticated user, or 403 when there is none.
    public func requireUser() throws -> UserAccount {
        guard let user = apiUser else { throw APIError.notAuthenticated }
        return user
    }

    /// Accounts bound to this request's database; `reading` for lookups only (see ``readingSQL``).
    public func accounts(reading: Bool = false) throws -> AccountService {
        let settings = try settings
        return AccountService(db: reading ? try readingSQL : try sql, hasher: settings.hasher, now: settings.now)
    }

    /// An integer path parameter, or 404 when it is not a number (DefectDojo's routers only match digits).
    public func intParameter(_ name: String) throws -> Int {
        guard let value = parameters.get(name).flatMap({ Int($0) }) else { throw APIError.notFound }
        return value
    }

    private struct ParsedQueryKey: StorageKey { typealias Value = [(String, String)] }

    /// Query parameters in the order given (repeated keys kept), parsed once per request: a list
    /// reads them for its filters, `o`, `limit`, `offset`, `prefetch` and both page links.
    public var queryPairs: [(String, String)] {
        if let parsed = storage[ParsedQueryKey.self] { return parsed }
        let parsed = FormURLEncoded.pairs(url.query ?? "")
        storage[ParsedQueryKey.self] = parsed
        return parsed
    }

    /// The query parameter `name` (the last one when repeated, as Django's `QueryDict.get`), nil when absent.
    public func queryValue(_ name: String) -> String? {
        queryPairs.last { $0.0 == name }?.1
    }
}
