import BulwarkServices
import BulwarkStorage
import SQLKit
import Vapor

/// `GET /api/v2/user_profile/` and `POST /api/v2/users/{id}/reset_api_token/`.
public struct UserProfileController: Sendable {
    public init() {}

    public func register(on routes: any RoutesBuilder) {
        routes.get("user_profile", use: profile).documented(Self.profileOperation)
        MethodFallback.register(on: routes, path: ["user_profile"], allowed: [.GET])
        routes.post("users", ":id", "reset_api_token", use: resetToken)
            .documented(APIOperation("users_reset_api_token_create", tag: "users", responses: [.noContent], errors: [403, 404]))
        MethodFallback.register(on: routes, path: ["users", ":id", "reset_api_token"], allowed: [.POST])
    }

    static func membership(_ key: String) -> JSONValue {
        OpenAPISchema.object([("id", OpenAPISchema.integer), (key, OpenAPISchema.integer), ("user", OpenAPISchema.integer), ("role", OpenAPISchema.integer)])
    }

    static let profileOperation = APIOperation("user_profile_retrieve", tag: "user_profile", responses: [.ok("UserProfile")], errors: [403])
        .declaring([("UserProfile", OpenAPISchema.object([
            ("user", OpenAPISchema.ref("User")),
            ("user_contact_info", OpenAPISchema.nullable(OpenAPISchema.anyObject)),
            ("global_role", OpenAPISchema.nullable(OpenAPISchema.object([
                ("id", OpenAPISchema.integer), ("user", OpenAPISchema.nullable(OpenAPISchema.integer)),
                ("group", OpenAPISchema.nullable(OpenAPISchema.integer)), ("role", OpenAPISchema.nullable(OpenAPISchema.integer)),
            ]))),
            ("dojo_group_member", OpenAPISchema.array(membership("group"))),
            ("product_type_member", OpenAPISchema.array(membership("product_type"))),
            ("product_member", OpenAPISchema.array(membership("product"))),
        ]))])

    /// The current user with memberships (not paginated).
    @Sendable func profile(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        let db = try request.sql
        guard let userObject = try await ResourceRepository(schema: UsersResource.schema, db: db).fetch(id: user.id) else {
            throw APIError.notFound
        }
        let typeMembers = try await memberships(db, table: "product_type_members", objectColumn: "product_type_id", key: "product_type", user: user.id)
        let productMembers = try await memberships(db, table: "product_members", objectColumn: "product_id", key: "product", user: user.id)
        let groupMembers = try await memberships(db, table: "dojo_group_members", objectColumn: "group_id", key: "group", user: user.id)
        let globalRole = try await db.rows("""
            SELECT \(ident: "id"), \(ident: "role_id") FROM \(ident: "global_roles") WHERE \(ident: "user_id") = \(bind: user.id)
            """).first.map { row in
            JSONValue.object([("id", .int(try row.int("id") ?? 0)), ("user", .int(user.id)), ("group", .null),
                              ("role", try row.int("role_id").map(JSONValue.int) ?? .null)])
        }
        return JSONValue.object([
            ("user", userObject),
            ("user_contact_info", .null),
            ("global_role", globalRole ?? .null),
            ("dojo_group_member", .array(groupMembers)),
            ("product_type_member", .array(typeMembers)),
            ("product_member", .array(productMembers)),
        ]).response()
    }

    private func memberships(_ db: any SQLDatabase, table: String, objectColumn: String, key: String, user: Int) async throws -> [JSONValue] {
        let rows = try await db.raw("""
            SELECT \(ident: "id"), \(ident: objectColumn) AS \(ident: "object"), \(ident: "role_id") FROM \(ident: table)
            WHERE \(ident: "user_id") = \(bind: user) ORDER BY \(ident: "id")
            """).all()
        return try rows.map { row in
            .object([
                ("id", .int(try row.decode(column: "id", as: Int.self))),
                (key, .int(try row.decode(column: "object", as: Int.self))),
                ("user", .int(user)),
                ("role", .int(try row.decode(column: "role_id", as: Int.self))),
            ])
        }
    }

    /// Rotates a user's API token (superusers only) → 204.
    @Sendable func resetToken(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        guard user.isSuperuser else { throw APIError.permissionDenied }
        let id = try request.intParameter("id")
        let accounts = try request.accounts()
        guard try await accounts.user(id: id) != nil else { throw APIError.notFound }
        let settings = try request.settings
        try await accounts.resetToken(for: id, expires: try settings.tokenLifetime.expiry(requested: nil, now: settings.now()), actor: user)
        return Response(status: .noContent)
    }
}
