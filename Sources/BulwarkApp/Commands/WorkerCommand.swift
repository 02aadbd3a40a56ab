import BulwarkServices
import Vapor

/// `bulwark worker`: runs the job queue (connector discovers and syncs, risk-acceptance expiry)
/// without serving HTTP. Any number of workers may share one PostgreSQL database.
struct WorkerCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "interval", help: "Seconds between passes over the queue (default 5)")
        var interval: Int?
    }

    var help: String { "Runs queued and scheduled jobs until interrupted (no HTTP)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let application = context.application
        let seconds = max(1, signature.interval ?? 5)
        context.console.print("Worker running; a pass every \(seconds) s. Stop with Ctrl-C.")
        while !Task.isCancelled {
            await JobRunnerService.runOnce(application)
            try await Task.sleep(for: .seconds(seconds))
        }
    }
}
