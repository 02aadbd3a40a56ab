import BulwarkConnectors
import BulwarkCore
import BulwarkStorage
import Foundation
import SQLKit

/// One sync (connectors.md §0.2 step 4, §0.3): fetch every `good` record's findings and reimport
/// them into `Global Connectors` / `<Tool> - <label>` with close-on-absence. A record whose fetch
/// failed is skipped (nothing imported, nothing closed); an authentication or network failure
/// stops the whole sync.
struct ConnectorSync {
    let service: ConnectorService
    let connector: any Connector
    let stored: StoredConnector
    let user: UserAccount

    struct Outcome {
        var stoppingError: ConnectorError?
        var recordErrors: [String] = []
    }

    func run(counters: inout OperationCounters) async throws -> Outcome {
        let store = ConnectorStore(db: try service.sql)
        let descriptor = type(of: connector).descriptor
        var outcome = Outcome()
        for record in try await store.records(connector: stored.id, state: "good") {
            guard record.product != nil, let productName = record.productName else {
                try await store.setRecordState(record.id, state: "stale")
                continue
            }
            let findings: [Finding]
            do {
                findings = try await connector.findings(for: DiscoveredRecord(externalID: record.externalID, name: record.name, metadata: record.metadata))
            } catch {
                if error.code == .nothingToImport {
                    // No completed scan yet: nothing imported and nothing closed, and not a failure.
                    try await store.setRecordSync(record.id, status: "ok", error: nil, now: service.clock())
                    continue
                }
                if error.stopsOperation {
                    outcome.stoppingError = error
                    return outcome
                }
                counters.recordsFailed += 1
                outcome.recordErrors.append("\(record.name): \(error.description)")
                try await store.setRecordSync(record.id, status: error.code == .notFound ? "not_found" : "failed", error: error.description, now: service.clock())
                continue
            }
            var options = ImportOptions()
            options.scanType = descriptor.scanType.rawValue
            options.productName = productName
            options.engagementName = ConnectorService.engagementName
            options.testTitle = "\(descriptor.name) - \(stored.label)"
            options.autoCreateContext = true
            options.closeOldFindings = true
            // Several records may map to one product and so share the test: the service scopes matching and
            // close-on-absence to this record's findings.
            options.service = String(record.externalID.prefix(200))
            if let minimum = stored.minimumSeverity.flatMap(Severity.init(rawValue:)) { options.minimumSeverity = minimum }
            let now = service.clock()
            let result = try await ImportService(database: service.database, user: user, now: now).reimportFindings(
                findings, scanType: descriptor.scanType, dedupe: descriptor.dedupe, label: descriptor.name, options: options)
            counters.findingsNew += result.created
            counters.findingsClosed += result.closed
            counters.findingsReopened += result.reactivated
            counters.findingsUpdated += result.updated
            try await store.setRecordSync(record.id, status: "ok", error: nil, now: now)
        }
        return outcome
    }
}
