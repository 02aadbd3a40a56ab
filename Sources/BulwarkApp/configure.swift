import BulwarkAPI
import BulwarkHTTP
import BulwarkServices
import BulwarkStorage
import BulwarkWeb
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import SQLKit
import Vapor

/// The Bulwark version reported by `/health`.
public let bulwarkVersion = "0.1.0"

/// Builds the application from its configuration: database, migrations, first superuser,
/// middleware, routes and commands. Tests call it with their own ``AppConfig``.
public func configure(_ app: Application, config: AppConfig) async throws {
    let hasher = BcryptHasher(cost: config.bcryptCost)
    let loginThrottle = LoginThrottle(limits: .init(
        maxFailures: config.loginMaxFailures, maxLockout: TimeInterval(config.loginMaxLockoutSeconds),
        firstLockout: TimeInterval(config.loginFirstLockoutSeconds)))
    app.apiSettings = APISettings(
        version: bulwarkVersion, databaseKind: config.database.kind, apiTokensEnabled: config.apiTokensEnabled,
        tokenAuthEndpointEnabled: config.tokenAuthEndpointEnabled, hasher: hasher, loginThrottle: loginThrottle,
        tokenLifetime: TokenLifetime(maxAgeDays: config.tokenMaxAgeDays))
    app.apiSettings?.auditRetentionDays = config.auditRetentionDays
    // Connections silent in both directions this long are closed, so stalled clients do not hold sockets forever.
    app.http.server.configuration.idleTimeout = .seconds(Int64(config.idleTimeoutSeconds))
    let swept = UploadFiles.sweepOrphans()
    if swept > 0 { app.logger.notice("Removed upload files left by stopped processes", metadata: ["files": "\(swept)"]) }

    switch config.database {
    case .sqlite(let path):
        // Writers queue for SQLite's single write lock; under load a request may wait a while for a connection.
        app.databases.use(.sqlite(.file(path), connectionPoolTimeout: .seconds(60), sqlLogLevel: .debug), as: .sqlite)
    case .postgres(let url):
        // Several connections per event loop and a patient pool: imports hold a connection for their transaction.
        // A statement running longer than BULWARK_DB_STATEMENT_TIMEOUT_SECONDS is cancelled by the server (0: no limit).
        var postgres = try SQLPostgresConfiguration(url: url)
        if config.statementTimeoutSeconds > 0 {
            postgres.coreConfiguration.options.additionalStartupParameters.append(("statement_timeout", "\(config.statementTimeoutSeconds * 1000)"))
        }
        app.databases.use(.postgres(configuration: postgres, maxConnectionsPerEventLoop: config.databasePoolSize, connectionPoolTimeout: .seconds(60),
                                    encodingContext: .default, decodingContext: .default, sqlLogLevel: .debug), as: .psql)
    }
    app.migrations.add(BulwarkMigrations.all)
    app.migrations.add(SessionRecord.migration)
    try await prepareDatabase(app, config: config)
    try await app.autoMigrate()
    try await optimizeDatabase(app, config: config)
    try await ensureInitialSuperuser(app, config: config, hasher: hasher)
    // Read connections need the file the pool opened; an in-memory database is private to each connection.
    if case .sqlite(let path) = config.database, !path.contains(":memory:") {
        let reader = SQLiteSnapshotReader(path: path, threadPool: app.threadPool)
        app.snapshotReader = reader
        app.lifecycle.use(SnapshotReaderShutdown(reader: reader))
    }
    if let sql = app.db as? any SQLDatabase { try await RegisteredTestTypes.ensure(db: sql) }

    // Security headers outermost, so error pages get them too; then one error middleware for every
    // response, so routing 404s and 413s get DefectDojo's shape; then the limits, before any work.
    app.middleware = Middlewares()
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(APIErrorMiddleware())
    app.middleware.use(RequestLimitsMiddleware())
    app.sessions.use { _ in HashedSessionDriver() }
    app.sessions.configuration = SessionsConfiguration(cookieName: SessionKeys.cookieName) { id in
        HTTPCookies.Value(string: id.string, expires: Date(timeIntervalSinceNow: 60 * 60 * 24 * 14), path: "/", isHTTPOnly: true, sameSite: .lax)
    }
    // Behind TLS (directly or as the proxy says) the session cookie is also Secure.
    app.middleware.use(SecureSessionCookieMiddleware(cookieName: SessionKeys.cookieName))
    app.middleware.use(app.sessions.middleware)
    app.routes.defaultMaxBodySize = "10mb"

    let keys = SecretKeyStore(config: config, testing: app.environment == .testing)
    let transports = ConnectorTransports()
    app.lifecycle.use(transports)
    app.connectorRuntime = ConnectorRuntime(cipher: try keys.cipher(), transport: transports.transport)
    APIv2.register(on: app, hasher: hasher, maxUploadBytes: config.maxUploadMegabytes * 1_048_576)
    WebController(settings: WebSettings(
        apiTokensEnabled: config.apiTokensEnabled, hasher: hasher, swaggerUI: config.swaggerUI, loginThrottle: loginThrottle)).register(on: app)
    WebPages(settings: PageSettings(apiTokensEnabled: config.apiTokensEnabled, hasher: hasher,
                                    maxUploadBytes: config.maxUploadMegabytes * 1_048_576,
                                    tokenLifetime: TokenLifetime(maxAgeDays: config.tokenMaxAgeDays))).register(on: app)

    // `serve` runs the job queue too, unless BULWARK_JOBS=off; `bulwark worker` runs it alone.
    let command = app.environment.arguments.dropFirst().first ?? "serve"
    if app.environment != .testing, config.jobsEnabled, command == "serve" || command.hasPrefix("-") { app.lifecycle.use(JobRunnerService()) }

    app.asyncCommands.use(MigrateCommand(), as: "migrate")
    app.asyncCommands.use(CreateSuperuserCommand(hasher: hasher), as: "createsuperuser")
    app.asyncCommands.use(ChangePasswordCommand(hasher: hasher), as: "changepassword")
    app.asyncCommands.use(SeedCommand(), as: "seed")
    app.asyncCommands.use(ParsersCommand(), as: "parsers")
    app.asyncCommands.use(ImportCommand(), as: "import")
    app.asyncCommands.use(WorkerCommand(), as: "worker")
    app.asyncCommands.use(RotateSecretKeyCommand(keys: keys), as: "rotate-secret-key")
}

/// SQLite: WAL journal (persistent in the file), `synchronous=NORMAL` and a 128 MB page cache on
/// every pooled connection. No memory-mapped reads: pages fetched through the map are parsed
/// again on every visit, while the page cache keeps them parsed (list pages cost ~15–20 % less
/// SQLite time without the map).
/// sqlite-nio installs a busy handler that waits for locks, and writers take the lock up front
/// (``WriteTransaction``), so concurrent requests wait instead of failing with "database is locked".
func prepareDatabase(_ app: Application, config: AppConfig) async throws {
    guard case .sqlite = config.database else { return }
    for eventLoop in app.eventLoopGroup.makeIterator() {
        guard let sql = app.databases.database(.sqlite, logger: app.logger, on: eventLoop) as? any SQLDatabase else { continue }
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        try await sql.raw("PRAGMA synchronous=NORMAL").run()
        // Imports touch every index of findings; SQLite's default 2 MB page cache makes that a disk read per row.
        try await sql.raw("PRAGMA cache_size=-131072").run()
        try await sql.raw("PRAGMA temp_store=MEMORY").run()
        try await sql.raw("PRAGMA wal_autocheckpoint=16384").run()
    }
}

/// SQLite: refreshes the planner's statistics where they are stale, so filtered lists pick the right index.
func optimizeDatabase(_ app: Application, config: AppConfig) async throws {
    guard case .sqlite = config.database, let sql = app.db as? any SQLDatabase else { return }
    try await sql.raw("PRAGMA optimize=0x10002").run()
}

/// Creates the first superuser when the database has no users, as DefectDojo's initializer does.
func ensureInitialSuperuser(_ app: Application, config: AppConfig, hasher: any PasswordHashing) async throws {
    guard let sql = app.db as? any SQLDatabase else { return }
    let accounts = AccountService(db: sql, hasher: hasher)
    switch try await accounts.ensureInitialSuperuser(username: config.adminUser, email: config.adminMail, password: config.adminPassword) {
    case .alreadyInitialised:
        break
    case .created(let username):
        app.logger.notice("Created superuser from DD_ADMIN_PASSWORD", metadata: ["username": "\(username)"])
    case .createdWithGeneratedPassword(let username, let password):
        app.logger.notice("Created superuser '\(username)' with generated password: \(password)  (shown once; change it with `bulwark changepassword \(username)`)")
    }
}

/// Closes SQLite's read connections when the application shuts down.
struct SnapshotReaderShutdown: LifecycleHandler {
    let reader: SQLiteSnapshotReader
    func shutdown(_ application: Application) { reader.close() }
}
