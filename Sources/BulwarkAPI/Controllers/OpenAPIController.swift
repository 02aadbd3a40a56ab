import BulwarkStorage
import Foundation
import Vapor

/// `GET /api/v2/oa3/schema/`: the OpenAPI 3.0.3 document of every documented API route, as YAML
/// (`application/vnd.oai.openapi`) or, with `?format=json`, as JSON. Open to anonymous callers,
/// as drf-spectacular serves it, so that clients can be generated before anyone has a token.
public struct OpenAPIController: Sendable {
    public init() {}

    public func register(on routes: any RoutesBuilder) {
        routes.get("oa3", "schema", use: schema)
        MethodFallback.register(on: routes, path: ["oa3", "schema"], allowed: [.GET])
    }

    @Sendable func schema(_ request: Request) async throws -> Response {
        let document = OpenAPIDocument.build(routes: request.application.routes.all, version: try request.settings.version)
        switch request.query[String.self, at: "format"]?.lowercased() {
        case "json", "openapi-json":
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: Data(document.serialized())))
        case nil, "", "yaml", "openapi":
            return Response(status: .ok, headers: ["Content-Type": "application/vnd.oai.openapi; charset=utf-8"], body: .init(string: document.yaml()))
        case let other?:
            throw APIError.detail(.notFound, "Not found. The format \"\(other)\" is not served; use yaml or json.")
        }
    }
}
