import BulwarkStorage
import Vapor

/// An API failure with DefectDojo's status code and body shape.
///
/// DRF-native errors carry `{"detail": …}`; DefectDojo's own business errors carry
/// `{"message": …}`; validation errors are `{"field": ["message", …]}`.
public struct APIError: Error, Sendable {
    public var status: HTTPResponseStatus
    public var body: JSONValue
    public var headers: [(String, String)] = []

    public init(status: HTTPResponseStatus, body: JSONValue) {
        self.status = status
        self.body = body
    }

    /// `{"detail": message}` with the given status.
    public static func detail(_ status: HTTPResponseStatus, _ message: String) -> APIError {
        APIError(status: status, body: .object([("detail", .string(message))]))
    }

    /// `{"message": message}` with the given status.
    public static func message(_ status: HTTPResponseStatus, _ message: String) -> APIError {
        APIError(status: status, body: .object([("message", .string(message))]))
    }

    /// 400 with field errors.
    public static func validation(_ errors: ValidationErrors) -> APIError {
        APIError(status: .badRequest, body: .object(errors.fields.map { ($0.0, .array($0.1.map(JSONValue.string))) }))
    }

    /// 400 with one field error.
    public static func field(_ name: String, _ message: String) -> APIError {
        validation(ValidationErrors(name, message))
    }

    /// 400 for a query parameter DefectDojo would reject.
    public static func filter(_ error: FilterError) -> APIError { field(error.parameter, error.message) }

    public static let notAuthenticated = detail(.forbidden, "Authentication credentials were not provided.")
    public static let invalidToken = detail(.forbidden, "Invalid token.")
    public static let invalidCredentials = detail(.forbidden, "Invalid username/password.")
    public static let inactiveUser = detail(.forbidden, "User inactive or deleted.")
    public static let permissionDenied = detail(.forbidden, "You do not have permission to perform this action.")
    public static let notFound = detail(.notFound, "Not found.")
    public static let malformedJSON = message(.badRequest, "JSON request content is malformed")
    public static let internalError = message(.internalServerError, "Internal server error, check logs for details")

    /// 429 for a throttled password check, with DRF's throttling message and `Retry-After`.
    public static func throttled(retryAfter seconds: Int) -> APIError {
        var error = detail(.tooManyRequests, "Request was throttled. Expected available in \(seconds) second\(seconds == 1 ? "" : "s").")
        error.headers = [("Retry-After", String(seconds))]
        return error
    }

    /// 429 when too many password checks are already running.
    public static var busy: APIError {
        var error = detail(.tooManyRequests, "Too many sign-in attempts are being checked right now. Try again shortly.")
        error.headers = [("Retry-After", "1")]
        return error
    }

    /// 503 when no database connection came free in time (the server is overloaded), with `Retry-After`.
    public static var overloaded: APIError {
        var error = detail(.serviceUnavailable, "The server is busy. Try again shortly.")
        error.headers = [("Retry-After", "5")]
        return error
    }

    /// 405 naming the method, with an `Allow` header.
    public static func methodNotAllowed(_ method: HTTPMethod, allowed: [HTTPMethod]) -> APIError {
        var error = detail(.methodNotAllowed, "Method \"\(method.rawValue)\" not allowed.")
        error.headers = [("Allow", allowed.map(\.rawValue).joined(separator: ", "))]
        return error
    }

    /// 415 naming the content type.
    public static func unsupportedMediaType(_ type: String) -> APIError {
        detail(.unsupportedMediaType, "Unsupported media type \"\(type)\" in request.")
    }

    /// The JSON response for this error.
    public func response() -> Response {
        var headers = HTTPHeaders([("Content-Type", "application/json")])
        for (name, value) in self.headers { headers.add(name: name, value: value) }
        return Response(status: status, headers: headers, body: .init(data: Data(body.serialized())))
    }
}

extension JSONValue {
    /// A JSON response with this value as body.
    public func response(status: HTTPResponseStatus = .ok) -> Response {
        Response(status: status, headers: ["Content-Type": "application/json"], body: .init(data: Data(serialized())))
    }
}
