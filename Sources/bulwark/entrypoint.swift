import BulwarkApp
import Logging
import Vapor

/// `bulwark [serve|migrate|createsuperuser|changepassword] …` — Vapor's command line with Bulwark's configuration.
@main
enum Entrypoint {
    static func main() async throws {
        var environment = try Environment.detect()
        try LoggingSystem.bootstrap(from: &environment)
        let config: AppConfig
        do { config = try AppConfig.fromEnvironment() } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(2)
        }
        let app = try await Application.make(environment)
        do {
            try await configure(app, config: config)
            try await app.execute()
        } catch {
            // One readable line instead of a crash backtrace: bad commands, unreachable databases, failed imports.
            FileHandle.standardError.write(Data("bulwark: \(error)\n".utf8))
            try? await app.asyncShutdown()
            exit(1)
        }
        try await app.asyncShutdown()
    }
}
