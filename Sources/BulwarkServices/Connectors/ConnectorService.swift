import BulwarkConnectors
import BulwarkCore
import BulwarkStorage
import FluentKit
import Foundation
import SQLKit

/// Why a connector operation could not be started.
public enum ConnectorServiceError: Error, Sendable, Equatable {
    /// No connector with that id.
    case notFound
    /// Another operation of the connector is queued or running (its id).
    case busy(Int)
}

/// The kinds of connector operation (`validate` is Bulwark's addition to discover and sync).
public enum ConnectorOperationType: String, Sendable, CaseIterable {
    case validate, discover, sync
}

/// Connector use cases (connectors.md §0.2): validate, discover and sync, each recorded as an
/// operation row. Syncs reimport through ``ImportService/reimportFindings(_:scanType:dedupe:label:options:)``,
/// the same path as `reimport-scan`. A failing operation never changes stored findings.
public struct ConnectorService: Sendable {
    /// The engagement every synced finding goes into.
    public static let engagementName = "Global Connectors"
    /// The product type of products created by `auto_map`.
    public static let autoMapProductType = "Connectors"

    /// An operation running this long without a job behind it (its request or process died) no longer blocks the connector.
    static let abandonedAfter: TimeInterval = 2 * 3600

    public let database: any Database
    public let cipher: SecretCipher
    /// The transport for a configuration (TLS verification on or off).
    public let transport: @Sendable (Bool) -> any HTTPTransport
    public let policy: RetryPolicy
    public let sleeper: any Sleeper
    public let clock: @Sendable () -> Date

    public init(database: any Database, cipher: SecretCipher, transport: @escaping @Sendable (Bool) -> any HTTPTransport,
                policy: RetryPolicy = RetryPolicy(), sleeper: any Sleeper = TaskSleeper(), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.cipher = cipher
        self.transport = transport
        self.policy = policy
        self.sleeper = sleeper
        self.clock = clock
    }

    var sql: any SQLDatabase {
        get throws {
            guard let sql = database as? any SQLDatabase else { throw StorageError(.constraint, "database driver is not SQL") }
            return sql
        }
    }

    /// Creates a queued operation; refuses while another one of the connector is queued or running.
    public func enqueue(connector: Int, type: ConnectorOperationType, trigger: String) async throws -> Int {
        let now = clock()
        return try await WriteTransaction.run(on: database) { db in
            let store = ConnectorStore(db: db)
            guard try await store.connector(connector) != nil else { throw ConnectorServiceError.notFound }
            try await store.failAbandoned(connector: connector, before: now.addingTimeInterval(-Self.abandonedAfter), now: now)
            if let active = try await store.activeOperation(connector: connector) { throw ConnectorServiceError.busy(active) }
            return try await store.insertOperation(connector: connector, type: type.rawValue, trigger: trigger, now: now)
        }
    }

    /// Runs a queued (or re-claimed) operation to its end and records the outcome; never throws for tool failures.
    /// - Parameter user: whose name imports are recorded under (a superuser for scheduled runs).
    public func run(operation: Int, user: UserAccount) async throws {
        let store = ConnectorStore(db: try sql)
        guard let info = try await store.operation(operation), let type = ConnectorOperationType(rawValue: info.type) else { return }
        guard info.status == "queued" || info.status == "running" else { return }
        try await store.markRunning(operation, now: clock())
        var counters = OperationCounters()
        let status: String
        var message: String?
        do {
            status = try await perform(type, connector: info.connector, user: user, counters: &counters, message: &message)
        } catch let error as ConnectorError {
            status = "failed"
            message = error.description
        } catch {
            status = "failed"
            message = "internal error: \(error)"
        }
        try await store.finish(operation, status: status, counters: counters, error: message, now: clock())
    }

    func perform(_ type: ConnectorOperationType, connector id: Int, user: UserAccount, counters: inout OperationCounters,
                 message: inout String?) async throws -> String {
        let store = ConnectorStore(db: try sql)
        guard let stored = try await store.connector(id) else { throw ConnectorError(.configuration, call: "load", "the connector was deleted") }
        let secret: String
        do {
            guard let sealed = stored.sealedSecret else { throw SecretCipher.Failure("no secret is set") }
            secret = try cipher.open(sealed)
        } catch {
            try await store.setHealth(id, health: "error", message: "\(error)", now: clock())
            throw ConnectorError(.configuration, call: "decrypt secret", "\(error)")
        }
        let configuration = ConnectorConfiguration(tool: stored.tool, label: stored.label, location: stored.location, secret: secret,
                                                   extra: stored.extra, verifyTLS: stored.verifyTLS)
        let (connector, client) = try ConnectorRegistry.make(configuration, transport: transport(stored.verifyTLS), policy: policy, sleeper: sleeper)
        do {
            try await connector.validate()
        } catch {
            try await recordHealth(error, connector: id, store: store)
            counters.retries = await client.retries
            throw error
        }
        try await store.setHealth(id, health: "ok", message: nil, now: clock())
        let status: String
        switch type {
        case .validate:
            status = "succeeded"
        case .discover:
            let found: [DiscoveredRecord]
            do {
                found = try await connector.discover()
            } catch {
                try await recordHealth(error, connector: id, store: store)
                counters.retries = await client.retries
                throw error
            }
            try await ConnectorDiscovery(database: database, now: clock()).apply(found, to: stored, counters: &counters)
            try await sql.raw("UPDATE connectors SET last_discover_at = \(bind: clock()) WHERE id = \(bind: id)").run()
            status = "succeeded"
        case .sync:
            let sync = ConnectorSync(service: self, connector: connector, stored: stored, user: user)
            let outcome = try await sync.run(counters: &counters)
            if let failure = outcome.stoppingError {
                try await recordHealth(failure, connector: id, store: store)
                message = failure.description
                status = "failed"
            } else {
                message = outcome.recordErrors.isEmpty ? nil : outcome.recordErrors.joined(separator: "\n")
                status = outcome.recordErrors.isEmpty ? "succeeded" : "partial"
            }
            try await sql.raw("UPDATE connectors SET last_sync_at = \(bind: clock()) WHERE id = \(bind: id)").run()
        }
        counters.retries = await client.retries
        return status
    }

    /// Health follows the failures §0.3 names; other errors leave it `error`.
    func recordHealth(_ error: ConnectorError, connector: Int, store: ConnectorStore) async throws {
        let health: String
        switch error.code {
        case .invalidSecret: health = "invalid_secret"
        case .forbidden: health = "forbidden"
        case .unreachable: health = "unreachable"
        default: health = "error"
        }
        try await store.setHealth(connector, health: health, message: error.description, now: clock())
    }
}
