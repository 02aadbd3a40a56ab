import BulwarkServices
import BulwarkStorage
import Fluent
import Foundation
import SQLKit
import Vapor

/// In-process periodic jobs (Vapor has no scheduler here): expires risk acceptances every
/// `interval`, starting at boot. Runs only for `serve`, and stops with the application.
final class PeriodicJobs: LifecycleHandler, @unchecked Sendable {
    let interval: Duration
    private var task: Task<Void, Never>?

    init(interval: Duration = .seconds(600)) { self.interval = interval }

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

    /// One pass of every job; failures are logged and retried on the next pass.
    static func runOnce(_ application: Application) async {
        do {
            let handled = try await WriteTransaction.run(on: application.db) { sql in
                try await RiskAcceptances.expire(db: sql, now: Date())
            }
            if handled > 0 { application.logger.notice("Expired risk acceptances", metadata: ["count": "\(handled)"]) }
        } catch {
            application.logger.error("Risk acceptance expiry failed", metadata: ["error": "\(error)"])
        }
    }
}
