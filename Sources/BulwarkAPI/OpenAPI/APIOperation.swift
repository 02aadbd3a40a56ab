import BulwarkStorage
import Vapor

/// What the OpenAPI document says about one route: its id, tag, parameters, body and responses.
///
/// Attached to the Vapor route where it is registered (``Vapor/Route/documented(_:)``), so the
/// document's paths and methods come from the router itself and cannot drift from what is served.
/// Path parameters are derived from the route's path.
public struct APIOperation: Sendable {
    public var operationID: String
    public var tag: String
    public var description: String?
    /// Query parameters as OpenAPI parameter objects.
    public var queryParameters: [JSONValue]
    public var requestBody: APIRequestBody?
    /// Success responses; error responses are added from `errors`.
    public var responses: [APIResponse]
    /// Error statuses the route may answer with, all in DefectDojo's error shape.
    public var errors: [Int]
    /// `false` only for `api-token-auth/`, which is the way to get credentials.
    public var requiresAuthentication: Bool
    /// Components the operation's schemas refer to, declared with it (the document keeps the first of each name).
    public var components: [(String, JSONValue)] = []

    public init(_ operationID: String, tag: String, description: String? = nil, query: [JSONValue] = [],
                body: APIRequestBody? = nil, responses: [APIResponse], errors: [Int] = [400, 403, 404],
                requiresAuthentication: Bool = true) {
        self.operationID = operationID
        self.tag = tag
        self.description = description
        self.queryParameters = query
        self.requestBody = body
        self.responses = responses
        self.errors = errors
        self.requiresAuthentication = requiresAuthentication
    }

    /// The same operation, also declaring `components`.
    public func declaring(_ components: [(String, JSONValue)]) -> APIOperation {
        var copy = self
        copy.components += components
        return copy
    }

    /// A query parameter object.
    public static func queryParameter(_ name: String, _ schema: JSONValue, description: String? = nil, required: Bool = false,
                                      style: (String, explode: Bool)? = nil) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("in", .string("query")), ("name", .string(name)), ("schema", schema)]
        if required { pairs.append(("required", .bool(true))) }
        if let description { pairs.append(("description", .string(description))) }
        if let style { pairs += [("style", .string(style.0)), ("explode", .bool(style.explode))] }
        return .object(pairs)
    }
}

/// A request body: a schema offered under one or more media types.
public struct APIRequestBody: Sendable {
    public var schema: JSONValue
    public var mediaTypes: [String]
    public var required: Bool

    /// The media types every CRUD route reads (``RequestBody``).
    public static let formAndJSON = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]

    public init(_ schema: JSONValue, mediaTypes: [String] = formAndJSON, required: Bool = true) {
        self.schema = schema
        self.mediaTypes = mediaTypes
        self.required = required
    }

    /// A body described by the component `name`.
    public static func component(_ name: String, mediaTypes: [String] = formAndJSON, required: Bool = true) -> APIRequestBody {
        APIRequestBody(OpenAPISchema.ref(name), mediaTypes: mediaTypes, required: required)
    }
}

/// One documented success response; a nil schema means an empty body.
public struct APIResponse: Sendable {
    public var status: Int
    public var schema: JSONValue?
    public var description: String

    public init(_ status: Int, _ schema: JSONValue?, description: String = "") {
        self.status = status
        self.schema = schema
        self.description = description
    }

    public static func ok(_ component: String) -> APIResponse { APIResponse(200, OpenAPISchema.ref(component)) }
    public static let noContent = APIResponse(204, nil, description: "No response body")
}

extension Route {
    /// Attaches the route's OpenAPI description.
    @discardableResult
    public func documented(_ operation: APIOperation) -> Route {
        userInfo["bulwark.apiOperation"] = operation
        return self
    }

    /// The description attached with ``documented(_:)``, if any.
    public var apiOperation: APIOperation? { userInfo["bulwark.apiOperation"] as? APIOperation }

    /// `true` for the 405/OPTIONS answers of ``MethodFallback``, which the document leaves out.
    public var isMethodFallback: Bool { userInfo["bulwark.methodFallback"] as? Bool == true }

    /// Marks the route as a ``MethodFallback`` answer.
    @discardableResult
    func markedAsMethodFallback() -> Route {
        userInfo["bulwark.methodFallback"] = true
        return self
    }
}
