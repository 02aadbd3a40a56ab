import BulwarkServices
import BulwarkStorage
import Vapor

/// Named API tokens (a Bulwark extension beside DefectDojo's one key per user), and
/// `POST /api/v2/api-tokens/revoke/` as DefectDojo's newest release has it.
///
/// - `GET api_tokens/`: the caller's tokens (a superuser's `?user=` lists another user's, `?user=all` everyone's);
/// - `POST api_tokens/`: `name`, optional `expires` (date-time), `scope` (`full`, `read`, `import`) and
///   `products` (names, for `import`) → 201 with the `key`, shown this once;
/// - `GET` / `DELETE api_tokens/{id}/`: one of the caller's tokens (any, for a superuser); DELETE revokes it;
/// - `POST api-tokens/revoke/` `{"key": …}` → 204; an unknown key, or another user's for a non-superuser, → 404.
public struct APITokensController: Sendable {
    public init() {}

    public func register(on routes: any RoutesBuilder) {
        routes.get("api_tokens", use: list).documented(Self.listOperation)
        routes.post("api_tokens", use: create).documented(Self.createOperation)
        MethodFallback.register(on: routes, path: ["api_tokens"], allowed: [.GET, .POST])
        routes.get("api_tokens", ":id", use: retrieve)
            .documented(APIOperation("api_tokens_retrieve", tag: "api_tokens", responses: [.ok("APIToken")], errors: [403, 404]))
        routes.delete("api_tokens", ":id", use: revoke)
            .documented(APIOperation("api_tokens_destroy", tag: "api_tokens", responses: [.noContent], errors: [403, 404]))
        MethodFallback.register(on: routes, path: ["api_tokens", ":id"], allowed: [.GET, .DELETE])
        routes.post("api-tokens", "revoke", use: revokeByKey)
            .documented(APIOperation("api_tokens_revoke_create", tag: "api-tokens", body: .component("APITokenRevoke"), responses: [.noContent],
                                     errors: [400, 403, 404])
                .declaring([("APITokenRevoke", OpenAPISchema.object([
                    ("key", OpenAPISchema.with(OpenAPISchema.string, [("writeOnly", .bool(true)), ("minLength", .int(1))])),
                ], required: ["key"]))]))
        MethodFallback.register(on: routes, path: ["api-tokens", "revoke"], allowed: [.POST])
    }

    static let tokenSchema = OpenAPISchema.object([
        ("id", OpenAPISchema.with(OpenAPISchema.integer, [("readOnly", .bool(true))])),
        ("user", OpenAPISchema.with(OpenAPISchema.integer, [("readOnly", .bool(true))])),
        ("name", OpenAPISchema.with(OpenAPISchema.string, [("maxLength", .int(100))])),
        ("prefix", OpenAPISchema.with(OpenAPISchema.string, [("readOnly", .bool(true)), ("description", .string("The key's first eight characters."))])),
        ("created", OpenAPISchema.with(OpenAPISchema.dateTime, [("readOnly", .bool(true))])),
        ("expires", OpenAPISchema.nullable(OpenAPISchema.dateTime)),
        ("scope", OpenAPISchema.with(OpenAPISchema.choice(["full", "read", "import"]), [
            ("description", .string("full: the user's own permissions; read: safe methods only; import: reads plus import-scan and reimport-scan into `products`.")),
        ])),
        ("products", OpenAPISchema.with(OpenAPISchema.array(OpenAPISchema.string), [("description", .string("Product names an import-only token may import into."))])),
        ("last_used", OpenAPISchema.with(OpenAPISchema.nullable(OpenAPISchema.dateTime), [("readOnly", .bool(true))])),
        ("last_used_address", OpenAPISchema.with(OpenAPISchema.nullable(OpenAPISchema.string), [("readOnly", .bool(true))])),
    ], required: ["name"])

    static let listOperation = APIOperation(
        "api_tokens_list", tag: "api_tokens",
        query: [APIOperation.queryParameter("user", OpenAPISchema.string, description: "Superusers: a user id, or `all`.")],
        responses: [.ok("PaginatedAPITokenList")], errors: [400, 403]
    ).declaring([
        ("APIToken", tokenSchema),
        ("PaginatedAPITokenList", OpenAPISchema.object([
            ("count", OpenAPISchema.integer), ("next", OpenAPISchema.nullable(OpenAPISchema.uri)),
            ("previous", OpenAPISchema.nullable(OpenAPISchema.uri)), ("results", OpenAPISchema.array(OpenAPISchema.ref("APIToken"))),
        ])),
    ])

    static let createOperation = APIOperation(
        "api_tokens_create", tag: "api_tokens", body: .component("APIToken"),
        responses: [APIResponse(201, OpenAPISchema.ref("NewAPIToken"))], errors: [400, 403]
    ).declaring([
        ("NewAPIToken", OpenAPISchema.object([
            ("token", OpenAPISchema.ref("APIToken")),
            ("key", OpenAPISchema.with(OpenAPISchema.string, [("description", .string("The key, shown only in this answer."))])),
        ])),
    ])

    static func json(_ token: APIToken) -> JSONValue {
        .object([
            ("id", .int(token.id)), ("user", .int(token.userID)), ("name", .string(token.name)), ("prefix", .string(token.prefix)),
            ("created", .string(DateFormatting.instant(token.created))),
            ("expires", token.expires.map { .string(DateFormatting.instant($0)) } ?? .null),
            ("scope", .string(token.scope.storedName)), ("products", .array(token.scope.products.map(JSONValue.string))),
            ("last_used", token.lastUsed.map { .string(DateFormatting.instant($0)) } ?? .null),
            ("last_used_address", token.lastUsedAddress.map(JSONValue.string) ?? .null),
        ])
    }

    @Sendable func list(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        var owner: Int? = user.id
        if let asked = request.queryPairs.last(where: { $0.0 == "user" })?.1, !asked.isEmpty {
            guard user.isSuperuser else { throw APIError.permissionDenied }
            if asked == "all" { owner = nil } else {
                guard let id = Int(asked) else { throw APIError.field("user", "A valid integer or `all` is required.") }
                owner = id
            }
        }
        let tokens = try await request.accounts(reading: true).tokens(ofUser: owner)
        return JSONValue.object([
            ("count", .int(tokens.count)), ("next", .null), ("previous", .null), ("results", .array(tokens.map(Self.json))),
        ]).response()
    }

    @Sendable func create(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        let settings = try request.settings
        let body = try RequestBody.fields(of: request)
        let tokenRequest = try Self.tokenRequest(from: body, lifetime: settings.tokenLifetime, now: settings.now())
        let issued = try await request.accounts().issueToken(for: user.id, tokenRequest, actor: user)
        return JSONValue.object([("token", Self.json(issued.token)), ("key", .string(issued.key))]).response(status: .created)
    }

    /// Reads and checks a new token's fields.
    static func tokenRequest(from body: [String: JSONValue], lifetime: TokenLifetime, now: Date) throws -> TokenRequest {
        guard let name = FieldText.value(body["name"]) else { throw APIError.field("name", "This field is required.") }
        var expires: Date?
        if let raw = FieldText.value(body["expires"]), !raw.isEmpty {
            guard let date = DateFormatting.parseInstant(raw) ?? DateFormatting.parseDay(raw) else {
                throw APIError.field("expires", "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].")
            }
            expires = date
        }
        let scope: TokenScope
        switch FieldText.value(body["scope"]) ?? "full" {
        case "full": scope = .full
        case "read": scope = .readOnly
        case "import":
            let products: [String]
            switch body["products"] {
            case .array(let items)?: products = items.compactMap { FieldText.value($0) }.filter { !$0.isEmpty }
            case .string(let one)?: products = one.isEmpty ? [] : [one]
            default: products = []
            }
            scope = .importOnly(products: products)
        case let other: throw APIError.field("scope", "\"\(other)\" is not a valid choice.")
        }
        return TokenRequest(name: name, expires: try lifetime.expiry(requested: expires, now: now), scope: scope)
    }

    @Sendable func retrieve(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        guard let token = try await request.accounts(reading: true).token(id: try request.intParameter("id")),
              user.isSuperuser || token.userID == user.id else { throw APIError.notFound }
        return Self.json(token).response()
    }

    @Sendable func revoke(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        guard try await request.accounts().revokeToken(id: try request.intParameter("id"), by: user) else { throw APIError.notFound }
        return Response(status: .noContent)
    }

    @Sendable func revokeByKey(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        let body = try RequestBody.fields(of: request)
        guard let key = FieldText.value(body["key"]), !key.isEmpty else { throw APIError.field("key", "This field is required.") }
        guard try await request.accounts().revokeToken(key: key, by: user) else { throw APIError.notFound }
        return Response(status: .noContent)
    }
}
