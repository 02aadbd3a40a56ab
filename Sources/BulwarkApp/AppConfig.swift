import BulwarkWeb
import Foundation

/// Where the data lives.
public enum DatabaseLocation: Sendable, Equatable {
    /// An SQLite file (the default, `bulwark.sqlite` in the working directory).
    case sqlite(path: String)
    /// A PostgreSQL URL (`postgres://user:pass@host:5432/db`).
    case postgres(url: String)

    /// `"sqlite"` or `"postgresql"`, as `/health` reports it.
    public var kind: String {
        switch self {
        case .sqlite: return "sqlite"
        case .postgres: return "postgresql"
        }
    }
}

/// Everything Bulwark reads from the environment, read once in ``AppConfig/fromEnvironment(_:)``.
/// This is the only place that looks at environment variables.
public struct AppConfig: Sendable {
    public var database: DatabaseLocation
    public var adminUser: String
    public var adminMail: String
    public var adminPassword: String?
    public var apiTokensEnabled: Bool
    public var tokenAuthEndpointEnabled: Bool
    public var bcryptCost: Int
    public var maxUploadMegabytes: Int
    /// Where the Swagger UI page loads its files from (`BULWARK_SWAGGER_UI_URL`).
    public var swaggerUI: SwaggerUIAssets = .defaultCDN
    /// Failed password checks per client address or username before logins are throttled (`BULWARK_LOGIN_MAX_FAILURES`).
    public var loginMaxFailures = 10
    /// The longest wait a throttled login is given, in seconds (`BULWARK_LOGIN_LOCKOUT_MAX_SECONDS`).
    public var loginMaxLockoutSeconds = 300
    /// The first wait after too many failures, doubling per further failure (`BULWARK_LOGIN_LOCKOUT_SECONDS`).
    public var loginFirstLockoutSeconds = 1
    /// Connections with no traffic in either direction for this long are closed (`BULWARK_IDLE_TIMEOUT_SECONDS`).
    public var idleTimeoutSeconds = 120
    /// The key that seals connector secrets (`BULWARK_SECRET_KEY`); `nil` → a key file beside the SQLite database.
    public var secretKey: String?
    /// Whether `serve` runs the job runner too (`BULWARK_JOBS`, default on).
    public var jobsEnabled = true
    /// The default and longest lifetime of an API token in days (`BULWARK_TOKEN_MAX_AGE_DAYS`); `nil`: tokens do not expire unless asked.
    public var tokenMaxAgeDays: Int?
    /// Days audit events are kept before the maintenance job deletes them (`BULWARK_AUDIT_RETENTION_DAYS`).
    public var auditRetentionDays = 365
    /// PostgreSQL connections per event loop (one event loop per core) (`BULWARK_DB_POOL_SIZE`).
    public var databasePoolSize = 4
    /// PostgreSQL cancels a statement running longer than this (`BULWARK_DB_STATEMENT_TIMEOUT_SECONDS`; 0: no limit).
    public var statementTimeoutSeconds = 300

    public init(
        database: DatabaseLocation = .sqlite(path: "bulwark.sqlite"), adminUser: String = "admin",
        adminMail: String = "admin@defectdojo.local", adminPassword: String? = nil, apiTokensEnabled: Bool = true,
        tokenAuthEndpointEnabled: Bool = true, bcryptCost: Int = 12, maxUploadMegabytes: Int = 100
    ) {
        self.database = database
        self.adminUser = adminUser
        self.adminMail = adminMail
        self.adminPassword = adminPassword
        self.apiTokensEnabled = apiTokensEnabled
        self.tokenAuthEndpointEnabled = tokenAuthEndpointEnabled
        self.bcryptCost = bcryptCost
        self.maxUploadMegabytes = maxUploadMegabytes
    }

    /// A configuration problem, listing every bad variable at once.
    public struct Invalid: Error, CustomStringConvertible, Sendable {
        public var problems: [String]
        public var description: String { "Invalid configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n") }
    }

    /// Reads the configuration; throws ``Invalid`` naming every malformed variable.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfig {
        var config = AppConfig()
        var problems: [String] = []
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        func flag(_ name: String, default fallback: Bool) -> Bool {
            guard let raw = value(name) else { return fallback }
            switch raw.lowercased() {
            case "true", "1", "yes", "on": return true
            case "false", "0", "no", "off": return false
            default:
                problems.append("\(name)=\(raw) is not a boolean (use True or False)")
                return fallback
            }
        }
        func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>) -> Int {
            guard let raw = value(name) else { return fallback }
            guard let number = Int(raw), range.contains(number) else {
                problems.append("\(name)=\(raw) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
                return fallback
            }
            return number
        }
        if let url = value("DATABASE_URL") {
            switch parseDatabaseURL(url) {
            case .success(let location): config.database = location
            case .failure(let problem): problems.append(problem.description)
            }
        }
        config.adminUser = value("DD_ADMIN_USER") ?? config.adminUser
        config.adminMail = value("DD_ADMIN_MAIL") ?? config.adminMail
        config.adminPassword = value("DD_ADMIN_PASSWORD")
        config.apiTokensEnabled = flag("DD_API_TOKENS_ENABLED", default: true)
        config.tokenAuthEndpointEnabled = flag("DD_API_TOKEN_AUTH_ENDPOINT_ENABLED", default: true)
        config.bcryptCost = integer("BULWARK_BCRYPT_COST", default: 12, range: 4...31)
        config.maxUploadMegabytes = integer("BULWARK_MAX_UPLOAD_MB", default: 100, range: 1...100_000)
        config.loginMaxFailures = integer("BULWARK_LOGIN_MAX_FAILURES", default: 10, range: 1...10_000)
        config.loginMaxLockoutSeconds = integer("BULWARK_LOGIN_LOCKOUT_MAX_SECONDS", default: 300, range: 1...86_400)
        config.loginFirstLockoutSeconds = integer("BULWARK_LOGIN_LOCKOUT_SECONDS", default: 1, range: 1...86_400)
        config.idleTimeoutSeconds = integer("BULWARK_IDLE_TIMEOUT_SECONDS", default: 120, range: 5...86_400)
        if let location = value("BULWARK_SWAGGER_UI_URL") {
            switch parseSwaggerUILocation(location) {
            case .success(let assets): config.swaggerUI = assets
            case .failure(let problem): problems.append(problem.description)
            }
        }
        config.secretKey = value("BULWARK_SECRET_KEY")
        config.jobsEnabled = flag("BULWARK_JOBS", default: true)
        config.auditRetentionDays = integer("BULWARK_AUDIT_RETENTION_DAYS", default: 365, range: 1...36_500)
        config.databasePoolSize = integer("BULWARK_DB_POOL_SIZE", default: 4, range: 1...100)
        config.statementTimeoutSeconds = integer("BULWARK_DB_STATEMENT_TIMEOUT_SECONDS", default: 300, range: 0...86_400)
        if value("BULWARK_TOKEN_MAX_AGE_DAYS") != nil {
            config.tokenMaxAgeDays = integer("BULWARK_TOKEN_MAX_AGE_DAYS", default: 0, range: 1...36_500)
        }
        if case .postgres = config.database, config.secretKey == nil {
            problems.append("BULWARK_SECRET_KEY is required with PostgreSQL (32 bytes as base64; `openssl rand -base64 32` makes one)")
        }
        guard problems.isEmpty else { throw Invalid(problems: problems) }
        return config
    }

    struct URLProblem: Error, CustomStringConvertible { var description: String }

    /// `BULWARK_SWAGGER_UI_URL`: an http(s) base URL, or a folder holding swagger-ui-dist's files.
    static func parseSwaggerUILocation(_ location: String, fileManager: FileManager = .default) -> Result<SwaggerUIAssets, URLProblem> {
        let lowered = location.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") { return .success(.remote(baseURL: location)) }
        let folder = lowered.hasPrefix("file://") ? String(location.dropFirst("file://".count)) : location
        let missing = SwaggerUIAssets.requiredFiles.filter { !fileManager.fileExists(atPath: URL(fileURLWithPath: folder).appendingPathComponent($0).path) }
        guard missing.isEmpty else {
            return .failure(URLProblem(description: "BULWARK_SWAGGER_UI_URL=\(location) is neither an http(s) URL nor a folder holding \(missing.joined(separator: " and "))"))
        }
        return .success(.localFolder(path: folder))
    }

    /// Parses `DATABASE_URL`: `sqlite:///abs/path`, `sqlite://relative/path`, `postgres://…` or `postgresql://…`.
    static func parseDatabaseURL(_ url: String) -> Result<DatabaseLocation, URLProblem> {
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else { return .failure(URLProblem(description: "DATABASE_URL=\(url) names no SQLite file (use sqlite:///abs/path.sqlite)")) }
            return .success(.sqlite(path: path))
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            guard let components = URLComponents(string: url), components.host?.isEmpty == false else {
                return .failure(URLProblem(description: "DATABASE_URL is not a valid PostgreSQL URL (use postgres://user:pass@host:5432/db)"))
            }
            return .success(.postgres(url: url))
        }
        return .failure(URLProblem(description: "DATABASE_URL must start with sqlite:// or postgres:// (got \(url.prefix(20))…)"))
    }
}
