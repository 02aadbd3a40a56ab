import Fluent
import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit
import Vapor

/// The extra routes of engagements and tests: `engagements/{id}/close/` and `reopen/`
/// (POST → 200 `{}`, Engagement_Edit needed) and the `{id}/notes/` actions of both.
public enum EngagementActions {
    /// Registers close, reopen and the notes actions of engagements and tests.
    public static func register(on routes: any RoutesBuilder) {
        registerState(on: routes, action: "close", active: false, status: "Completed")
        registerState(on: routes, action: "reopen", active: true, status: "In Progress")
        NoteActions.register(on: routes, resourcePath: "engagements", objectType: "engagement", idKey: "engagement_id",
                             definition: EngagementsResource.definition)
        NoteActions.register(on: routes, resourcePath: "tests", objectType: "test", idKey: "test_id",
                             definition: TestsResource.definition)
    }

    /// DefectDojo's close_engagement / reopen_engagement: set `active` and `status`.
    static func registerState(on routes: any RoutesBuilder, action: String, active: Bool, status: String) {
        let path: [PathComponent] = ["engagements", ":id", .constant(action)]
        routes.post(path) { request -> Response in
            let user = try request.requireUser()
            let db = try request.sql
            let now = try request.settings.now()
            let id = try request.intParameter("id")
            let repository = ResourceRepository(schema: EngagementsResource.schema, db: db)
            guard try await repository.exists(id: id, where: EngagementsResource.definition.policy.visibility(user)) else { throw APIError.notFound }
            guard EngagementsResource.canChange(try await EngagementsResource.role(of: user, engagement: id, db: db)) else {
                throw APIError.permissionDenied
            }
            try await WriteTransaction.run(on: request.db) { sql in
                try await sql.raw("""
                    UPDATE \(ident: "engagements") SET \(ident: "active") = \(bind: active), \(ident: "status") = \(bind: status),
                    \(ident: "updated") = \(bind: now) WHERE \(ident: "id") = \(bind: id)
                    """).run()
            }
            return JSONValue.object([]).response()
        }.documented(APIOperation("engagements_\(action)_create", tag: "engagements",
                                  responses: [APIResponse(200, OpenAPISchema.object([]), description: "An empty object")], errors: [403, 404]))
        MethodFallback.register(on: routes, path: path, allowed: [.POST])
    }
}
