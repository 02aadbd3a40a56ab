import BulwarkAPI
import BulwarkServices
import Fluent
import Foundation
import Vapor

/// Runs the database job queue in this process (replacing the old in-process periodic loop):
/// a pass every `interval` for `serve` unless `BULWARK_JOBS=off`, and for `bulwark worker`.
final class JobRunnerService: LifecycleHandler, @unchecked Sendable {
    let interval: Duration
    private var task: Task<Void, Never>?

    init(interval: Duration = .seconds(5)) { self.interval = interval }

    func didBootAsync(_ application: Application) async throws {
        let interval = self.interval
        task = Task { [weak application] in
            while !Task.isCancelled {
                if let application { await Self.runOnce(application) }
                try? await Task.sleep(for: interval)
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        task?.cancel()
        task = nil
    }

    /// The runner for this application, named after the host and process.
    static func runner(_ application: Application) -> JobRunner? {
        guard let runtime = application.connectorRuntime else { return nil }
        let worker = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
        return JobRunner(queue: JobQueue(database: application.db), connectors: runtime.service(application.db), worker: worker,
                         auditRetentionDays: application.apiSettings?.auditRetentionDays ?? 365)
    }

    /// One pass; failures are logged and retried on the next pass.
    static func runOnce(_ application: Application) async {
        guard let runner = runner(application) else { return }
        do {
            let ran = try await runner.runDue()
            if ran > 0 { application.logger.info("Ran jobs", metadata: ["count": "\(ran)"]) }
        } catch {
            application.logger.error("Job runner pass failed", metadata: ["error": "\(error)"])
        }
    }
}
