import BulwarkStorage
import Foundation
import Vapor

/// `GET /api/v2/oa3/schema/`: the OpenAPI 3.0.3 document of every documented API route, as YAML
/// (`application/vnd.oai.openapi`) or, with `?format=json`, as JSON. Open to anonymous callers,
/// as drf-spectacular serves it, so that clients can be generated before anyone has a token.
public struct OpenAPIController: Sendable {
    /// The document in both encodings, built on the first request: routes do not change after boot.
    private final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var encoded: (json: [UInt8], yaml: String)?

        func document(_ build: () throws -> JSONValue) rethrows -> (json: [UInt8], yaml: String) {
            try lock.withLock {
                if let encoded { return encoded }
                let document = try build()
                let built = (json: document.serialized(), yaml: document.yaml())
                encoded = built
                return built
            }
        }
    }

    private let cache = Cache()

    public init() {}

    public func register(on routes: any RoutesBuilder) {
        routes.get("oa3", "schema", use: schema)
        MethodFallback.register(on: routes, path: ["oa3", "schema"], allowed: [.GET])
    }

    @Sendable func schema(_ request: Request) async throws -> Response {
        let document = try cache.document { OpenAPIDocument.build(routes: request.application.routes.all, version: try request.settings.version) }
        switch request.queryValue("format")?.lowercased() {
        case "json", "openapi-json":
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: Data(document.json)))
        case nil, "", "yaml", "openapi":
            return Response(status: .ok, headers: ["Content-Type": "application/vnd.oai.openapi; charset=utf-8"], body: .init(string: document.yaml))
        case let other?:
            throw APIError.detail(.notFound, "Not found. The format \"\(other)\" is not served; use yaml or json.")
        }
    }
}
