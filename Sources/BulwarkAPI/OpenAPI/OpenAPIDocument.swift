import BulwarkStorage
import Vapor

/// Builds the OpenAPI 3.0.3 document of API v2 from the application's registered routes and the
/// ``APIOperation`` attached to each, plus the components the declarations produce.
///
/// Paths and methods are read off the router, so a route that is served is a route that is
/// documented; ``undocumentedRoutes(_:)`` lists any API route registered without a description.
public enum OpenAPIDocument {
    /// Security requirements of authenticated operations, as DefectDojo lists them.
    static let security: JSONValue = .array([
        .object([("cookieAuth", .array([]))]), .object([("basicAuth", .array([]))]), .object([("tokenAuth", .array([]))]),
    ])

    static let securitySchemes: JSONValue = .object([
        ("basicAuth", .object([("type", .string("http")), ("scheme", .string("basic"))])),
        ("cookieAuth", .object([("type", .string("apiKey")), ("in", .string("cookie")), ("name", .string("sessionid"))])),
        ("tokenAuth", .object([("type", .string("apiKey")), ("in", .string("header")), ("name", .string("Authorization")),
                               ("description", .string("Token-based authentication with required prefix \"Token\""))])),
    ])

    static let errorDescriptions: [Int: String] = [
        400: "Invalid input: field name → list of messages, or `message`",
        403: "Authentication failed or permission denied",
        404: "Not found",
        409: "Related objects prevent the deletion",
        413: "Request body too large",
        415: "Unsupported media type",
        429: "Too many attempts: try again after the seconds `Retry-After` gives",
    ]

    /// The whole document.
    public static func build(routes: [Route], version: String) -> JSONValue {
        var components: [(String, JSONValue)] = []
        var paths: [(String, [(String, JSONValue)])] = []
        for route in routes where !route.isMethodFallback {
            guard let operation = route.apiOperation, let path = openAPIPath(route.path) else { continue }
            let method = route.method.rawValue.lowercased()
            let object = operationObject(operation, pathParameters: pathParameters(route.path))
            components += operation.components
            if let index = paths.firstIndex(where: { $0.0 == path }) { paths[index].1.append((method, object)) } else { paths.append((path, [(method, object)])) }
        }
        let methodOrder = ["get", "post", "put", "patch", "delete"]
        let sortedPaths = paths.sorted { $0.0 < $1.0 }.map { path, operations -> (String, JSONValue) in
            (path, .object(operations.sorted { (methodOrder.firstIndex(of: $0.0) ?? 9) < (methodOrder.firstIndex(of: $1.0) ?? 9) }))
        }
        var schemas: [(String, JSONValue)] = []
        var seen = Set<String>()
        for (name, schema) in components + sharedComponents where seen.insert(name).inserted { schemas.append((name, schema)) }
        schemas.sort { $0.0 < $1.0 }
        return .object([
            ("openapi", .string("3.0.3")),
            ("info", .object([
                ("title", .string("DefectDojo API v2")),
                ("version", .string(version)),
                ("description", .string("Bulwark's implementation of DefectDojo's REST API v2. Generated from the routes, field and filter declarations that serve the requests.")),
            ])),
            ("paths", .object(sortedPaths)),
            ("components", .object([("schemas", .object(schemas)), ("securitySchemes", securitySchemes)])),
        ])
    }

    /// API routes (under `/api/v2/`) registered without an ``APIOperation``, as `METHOD /path/`.
    public static func undocumentedRoutes(_ routes: [Route]) -> [String] {
        routes.filter { !$0.isMethodFallback && $0.apiOperation == nil && isAPIRoute($0.path) && !isSchemaRoute($0.path) }
            .map { "\($0.method.rawValue) /\($0.path.map(\.description).joined(separator: "/"))/" }
    }

    static func isAPIRoute(_ path: [PathComponent]) -> Bool {
        path.count > 2 && path[0] == .constant("api") && path[1] == .constant("v2")
    }

    /// The documentation routes themselves (`oa3/…`, `doc/`) are not part of the described API, as in DefectDojo.
    static func isSchemaRoute(_ path: [PathComponent]) -> Bool {
        path.count > 2 && (path[2] == .constant("oa3") || path[2] == .constant("doc"))
    }

    /// `/api/v2/findings/{id}/close/` for `api/v2/findings/:id/close`; nil for wildcard routes.
    static func openAPIPath(_ path: [PathComponent]) -> String? {
        guard isAPIRoute(path) else { return nil }
        var parts: [String] = []
        for component in path {
            switch component {
            case .constant(let text): parts.append(text)
            case .parameter(let name): parts.append("{\(name)}")
            case .anything, .catchall: return nil
            }
        }
        return "/" + parts.joined(separator: "/") + "/"
    }

    static func pathParameters(_ path: [PathComponent]) -> [JSONValue] {
        path.compactMap { component -> JSONValue? in
            guard case .parameter(let name) = component else { return nil }
            return .object([("in", .string("path")), ("name", .string(name)), ("schema", OpenAPISchema.integer),
                            ("description", .string("A unique integer value identifying the object.")), ("required", .bool(true))])
        }
    }

    static func operationObject(_ operation: APIOperation, pathParameters: [JSONValue]) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("operationId", .string(operation.operationID))]
        if let description = operation.description { pairs.append(("description", .string(description))) }
        let parameters = pathParameters + operation.queryParameters
        if !parameters.isEmpty { pairs.append(("parameters", .array(parameters))) }
        pairs.append(("tags", .array([.string(operation.tag)])))
        var errors = operation.errors
        if let body = operation.requestBody {
            let content = body.mediaTypes.map { ($0, JSONValue.object([("schema", body.schema)])) }
            pairs.append(("requestBody", .object([("content", .object(content)), ("required", .bool(body.required))])))
            errors += [413, 415]
        }
        if operation.requiresAuthentication { pairs.append(("security", security)); errors.append(403) }
        var responses: [(String, JSONValue)] = operation.responses.map { response in
            var object: [(String, JSONValue)] = []
            if let schema = response.schema { object.append(("content", .object([("application/json", .object([("schema", schema)]))]))) }
            object.append(("description", .string(response.description)))
            return (String(response.status), .object(object))
        }
        for status in Set(errors).sorted() {
            responses.append((String(status), .object([
                ("content", .object([("application/json", .object([("schema", OpenAPISchema.ref("ErrorResponse"))]))])),
                ("description", .string(errorDescriptions[status] ?? "Error")),
            ])))
        }
        pairs.append(("responses", .object(responses)))
        return .object(pairs)
    }

    /// Components every document carries: the error shape, the delete preview and the small
    /// objects that rendered fields embed.
    static let sharedComponents: [(String, JSONValue)] = [
        ("ErrorResponse", .object([
            ("description", .string("DefectDojo's error shape: `{\"detail\": …}` for framework errors, `{\"message\": …}` for DefectDojo's own, "
                + "field name → list of messages for invalid input, and a bare string for a few DefectDojo business rules.")),
        ])),
        ("DeletePreview", OpenAPISchema.object([
            ("model", readOnly(OpenAPISchema.string)),
            ("id", readOnly(OpenAPISchema.nullable(OpenAPISchema.integer))),
            ("name", readOnly(OpenAPISchema.string)),
        ])),
        ("PaginatedDeletePreviewList", ResourceDocumentation.paginated(OpenAPISchema.ref("DeletePreview"))),
        ("UserStub", OpenAPISchema.object([
            ("id", readOnly(OpenAPISchema.integer)), ("username", OpenAPISchema.string),
            ("first_name", OpenAPISchema.string), ("last_name", OpenAPISchema.string),
        ])),
        ("NoteHistory", OpenAPISchema.object([
            ("id", readOnly(OpenAPISchema.integer)), ("current_editor", OpenAPISchema.nullable(OpenAPISchema.ref("UserStub"))),
            ("note_type", OpenAPISchema.nullable(OpenAPISchema.ref("NoteType"))), ("data", OpenAPISchema.string),
            ("time", OpenAPISchema.nullable(OpenAPISchema.dateTime)),
        ])),
        ("FindingMeta", OpenAPISchema.object([("name", OpenAPISchema.string), ("value", OpenAPISchema.string)])),
        ("TestImportFindingAction", OpenAPISchema.object([
            ("id", readOnly(OpenAPISchema.integer)), ("created", OpenAPISchema.nullable(OpenAPISchema.dateTime)),
            ("modified", OpenAPISchema.nullable(OpenAPISchema.dateTime)), ("action", OpenAPISchema.string),
            ("test_import", OpenAPISchema.integer), ("finding", OpenAPISchema.integer),
        ])),
    ]

    static func readOnly(_ schema: JSONValue) -> JSONValue { OpenAPISchema.with(schema, [("readOnly", .bool(true))]) }
}
