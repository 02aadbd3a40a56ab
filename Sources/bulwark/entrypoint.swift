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
            app.logger.report(error: error)
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
