import BulwarkHTTP
import BulwarkServices
import BulwarkStorage
import Vapor

/// `POST /api/v2/api-token-auth/`: username and password (form or JSON) in, `{"token": …}` out.
/// Open to anonymous callers; absent (404) when tokens or the endpoint are disabled.
public struct AuthTokenController: Sendable {
    public init() {}

    public func register(on routes: any RoutesBuilder) {
        routes.post("api-token-auth", use: obtainToken).documented(Self.operation)
        MethodFallback.register(on: routes, path: ["api-token-auth"], allowed: [.POST])
    }

    static let operation = APIOperation(
        "api_token_auth_create", tag: "api-token-auth", body: .component("AuthTokenRequest"), responses: [.ok("AuthToken")],
        // 429: too many failed password checks (throttled with Retry-After), or too many checks running.
        errors: [400, 404, 429], requiresAuthentication: false
    ).declaring([
        ("AuthTokenRequest", OpenAPISchema.object([
            ("username", OpenAPISchema.with(OpenAPISchema.string, [("writeOnly", .bool(true)), ("minLength", .int(1))])),
            ("password", OpenAPISchema.with(OpenAPISchema.string, [("writeOnly", .bool(true)), ("minLength", .int(1))])),
        ])),
        ("AuthToken", OpenAPISchema.object([("token", OpenAPISchema.with(OpenAPISchema.string, [("readOnly", .bool(true))]))])),
    ])

    @Sendable func obtainToken(_ request: Request) async throws -> Response {
        let settings = try request.settings
        guard settings.apiTokensEnabled, settings.tokenAuthEndpointEnabled else { throw APIError.notFound }
        let body = try RequestBody.fields(of: request)
        var errors = ValidationErrors()
        let username = FieldText.value(body["username"])
        let password = FieldText.value(body["password"])
        if username == nil { errors.add("username", "This field is required.") }
        else if username?.isEmpty == true { errors.add("username", "This field may not be blank.") }
        if password == nil { errors.add("password", "This field is required.") }
        else if password?.isEmpty == true { errors.add("password", "This field may not be blank.") }
        guard errors.isEmpty, let username, let password else { throw APIError.validation(errors) }
        let accounts = try request.accounts()
        let outcome = try await accounts.authenticate(
            username: username, password: password, throttle: settings.loginThrottle, address: request.clientAddress)
        let user: UserAccount
        switch outcome {
        case .success(let account): user = account
        case .failure(.throttled(let wait)): throw APIError.throttled(retryAfter: wait)
        case .failure(.busy): throw APIError.busy
        case .failure(.invalidCredentials), .failure(.inactive):
            throw APIError.field("non_field_errors", "Unable to log in with provided credentials.")
        }
        // Keys are stored hashed, so an existing one cannot be returned: each call issues a new token.
        let expires = try settings.tokenLifetime.expiry(requested: nil, now: settings.now())
        let token = try await accounts.issueLoginToken(for: user.id, expires: expires, actor: user)
        return JSONValue.object([("token", .string(token))]).response()
    }
}

/// Reads a text form/JSON value (the last of repeated form values).
enum FieldText {
    static func value(_ raw: JSONValue?) -> String? {
        switch raw {
        case .string(let s)?: return s
        case .int(let i)?: return String(i)
        case .array(let items)?: return value(items.last)
        default: return nil
        }
    }
}
