import FluentKit
import Foundation
import SQLKit
import BulwarkStorage

/// Starts connector operations for the job runner: the queued operation and the job that will run
/// it are written in one transaction, so an operation is never left queued without a job.
///
/// The API's `connectors/{id}/validate|discover|sync/` and the connector page's buttons both start
/// operations here, under the same rule: one queued or running operation per connector.
public struct ConnectorQueue: Sendable {
    public let database: any Database
    public let clock: @Sendable () -> Date

    public init(database: any Database, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.clock = clock
    }

    /// Queues an operation of `type` on the connector and a job to run it now; returns the operation id.
    /// - Throws: ``ConnectorServiceError/notFound`` for an unknown connector, ``ConnectorServiceError/busy(_:)``
    ///   while another operation of the connector is queued or running.
    public func start(_ type: ConnectorOperationType, connector: Int, trigger: String) async throws -> Int {
        let now = clock()
        return try await WriteTransaction.run(on: database) { db in
            let operation = try await Self.insertOperation(type, connector: connector, trigger: trigger, now: now, db: db)
            _ = try await JobQueue.enqueue(.connectorOperation, connector: connector, operation: operation, trigger: trigger,
                                           runAt: now, now: now, db: db)
            return operation
        }
    }

    /// Inside a write transaction: checks the connector exists and is idle (operations abandoned by a
    /// dead request or process no longer count), then records the queued operation.
    static func insertOperation(_ type: ConnectorOperationType, connector: Int, trigger: String, now: Date, db: any SQLDatabase) async throws -> Int {
        let store = ConnectorStore(db: db)
        guard try await store.connector(connector) != nil else { throw ConnectorServiceError.notFound }
        try await store.failAbandoned(connector: connector, before: now.addingTimeInterval(-ConnectorService.abandonedAfter), now: now)
        if let active = try await store.activeOperation(connector: connector) { throw ConnectorServiceError.busy(active) }
        return try await store.insertOperation(connector: connector, type: type.rawValue, trigger: trigger, now: now)
    }
}
