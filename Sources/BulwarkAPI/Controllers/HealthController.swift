import BulwarkStorage
import SQLKit
import Vapor

/// `GET /health`: status, version and database kind, without authentication.
public struct HealthController: Sendable {
    public init() {}

    public func register(on routes: any RoutesBuilder) {
        routes.get("health", use: health)
    }

    @Sendable func health(_ request: Request) async throws -> Response {
        let settings = try request.settings
        var status = "ok"
        do { _ = try await request.sql.raw("SELECT 1 AS \(ident: "one")").first() } catch { status = "degraded" }
        let body = JSONValue.object([
            ("status", .string(status)),
            ("version", .string(settings.version)),
            ("database", .string(settings.databaseKind)),
        ])
        return body.response(status: status == "ok" ? .ok : .serviceUnavailable)
    }
}
