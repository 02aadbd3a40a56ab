import Vapor

/// Refuses requests whose query string breaks ``RequestLimits`` before routing, with a 400 that
/// names the parameter (DRF's field-error shape), so no handler or SQL statement ever sees them.
public struct RequestLimitsMiddleware: AsyncMiddleware {
    public init() {}

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let problem = Self.problem(query: request.url.query) {
            throw problem
        }
        return try await next.respond(to: request)
    }

    /// Why a query string is refused, or nil when it is within bounds.
    static func problem(query: String?) -> HTTPLimitError? {
        guard let query, !query.isEmpty else { return nil }
        if query.utf8.count > RequestLimits.maxQueryStringBytes {
            return HTTPLimitError(
                status: .badRequest, field: nil,
                message: "The query string is too long (\(query.utf8.count) bytes; at most \(RequestLimits.maxQueryStringBytes)).")
        }
        let pairs = FormURLEncoded.pairs(query)
        if pairs.count > RequestLimits.maxQueryParameters {
            return HTTPLimitError(
                status: .badRequest, field: nil,
                message: "Too many query parameters (\(pairs.count); at most \(RequestLimits.maxQueryParameters)).")
        }
        for (name, value) in pairs where value.utf8.count > RequestLimits.maxQueryValueBytes {
            return HTTPLimitError(
                status: .badRequest, field: String(name.prefix(100)),
                message: "Ensure this value has at most \(RequestLimits.maxQueryValueBytes) characters (it has \(value.utf8.count)).")
        }
        return nil
    }
}

/// A request refused by a limit: rendered as `{"<field>": ["…"]}` when it names a field, else `{"detail": "…"}`.
public struct HTTPLimitError: Error, Sendable {
    public var status: HTTPResponseStatus
    public var field: String?
    public var message: String
    /// Whether the connection must be closed after the answer (the client may still be sending a body we refuse to read).
    public var closeConnection: Bool

    public init(status: HTTPResponseStatus, field: String?, message: String, closeConnection: Bool = false) {
        self.status = status
        self.field = field
        self.message = message
        self.closeConnection = closeConnection
    }
}
