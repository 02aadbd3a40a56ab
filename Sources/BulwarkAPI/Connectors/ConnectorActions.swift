import BulwarkServices
import BulwarkStorage
import Fluent
import Foundation
import SQLKit
import Vapor

/// `connectors/{id}/validate/`, `discover/` and `sync/`: POST starts the operation and answers
/// 202 with it (a job runs it); `?wait=true` runs it in the request and answers 200 when it ended.
/// 409 while another operation of the connector is queued or running.
public enum ConnectorActions {
    public static func register(on routes: any RoutesBuilder) {
        for type in ConnectorOperationType.allCases {
            let path: [PathComponent] = ["connectors", ":id", .constant(type.rawValue)]
            routes.post(path) { request in try await start(type, request: request) }
                .documented(APIOperation(
                    "connectors_\(type.rawValue)_create", tag: "connectors",
                    description: "Starts a \(type.rawValue) of the connector. Answers 202 with the queued operation, or 200 with the ended one when wait=true.",
                    query: [APIOperation.queryParameter("wait", OpenAPISchema.boolean, description: "Run the operation in the request and answer when it has ended")],
                    responses: [APIResponse(200, OpenAPISchema.ref("ConnectorOperation"), description: "The ended operation"),
                                APIResponse(202, OpenAPISchema.ref("ConnectorOperation"), description: "The queued operation")],
                    errors: [403, 404, 409]))
            MethodFallback.register(on: routes, path: path, allowed: [.POST])
        }
    }

    static func start(_ type: ConnectorOperationType, request: Request) async throws -> Response {
        let user = try request.requireUser()
        guard user.isSuperuser else { throw APIError.permissionDenied }
        guard let runtime = request.application.connectorRuntime else { throw APIError.internalError }
        let id = try request.intParameter("id")
        let service = runtime.service(request.db)
        let wait = ["true", "1", "yes"].contains((request.queryValue("wait") ?? "").lowercased())
        let operation: Int
        do {
            operation = try await service.enqueue(connector: id, type: type, trigger: "manual")
        } catch ConnectorServiceError.notFound {
            throw APIError.notFound
        } catch ConnectorServiceError.busy(let active) {
            throw APIError.detail(.conflict, "Operation \(active) of this connector is queued or running; try again when it has ended.")
        }
        if wait {
            try await service.run(operation: operation, user: user)
        } else {
            let now = try request.settings.now()
            try await JobQueue(database: request.db).enqueue(.connectorOperation, connector: id, operation: operation, trigger: "manual",
                                                             runAt: now, now: now)
        }
        let repository = ResourceRepository(schema: ConnectorOperationsResource.schema, db: try request.sql)
        guard let body = try await repository.fetch(id: operation) else { throw APIError.internalError }
        return body.response(status: wait ? .ok : .accepted)
    }
}
