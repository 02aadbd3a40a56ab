/// A connector failure with a stable ``Code`` (spec §0.3), the call it happened on and a message
/// safe to store and show: never a header, never the secret.
public struct ConnectorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as the operation and health columns record it.
    public enum Code: String, Sendable, Hashable, Codable {
        /// HTTP 401 or the tool's own authentication failure (SonarQube `valid:false`).
        case invalidSecret = "invalid_secret"
        /// HTTP 403: authenticated but missing a permission.
        case forbidden
        /// HTTP 404 on a record's asset: it vanished since discover.
        case notFound = "not_found"
        /// HTTP 429 after every retry.
        case rateLimited = "rate_limited"
        /// HTTP 5xx, reset or timeout after every retry.
        case serverError = "server_error"
        /// DNS, TCP or TLS failure: nothing answered.
        case unreachable
        /// A body that is not JSON or not the documented shape.
        case parse
        /// The configuration cannot work (bad location, missing field).
        case configuration
        /// Any other unexpected answer.
        case error
        /// The asset has nothing to import yet (no completed scan): nothing is imported and nothing
        /// is closed by absence; not a failure.
        case nothingToImport = "nothing_to_import"
    }

    public var code: Code
    /// What the connector was doing, e.g. `"GET /api/issues/search"`.
    public var call: String
    public var message: String
    /// The HTTP status, when there was a response.
    public var status: Int?

    public init(_ code: Code, call: String, _ message: String, status: Int? = nil) {
        self.code = code
        self.call = call
        self.message = message
        self.status = status
    }

    public var description: String {
        let prefix = status.map { "HTTP \($0) " } ?? ""
        return "\(code.rawValue): \(prefix)\(call): \(message)"
    }

    /// Whether the whole operation must stop (rather than only the record being synced).
    public var stopsOperation: Bool { code == .invalidSecret || code == .unreachable || code == .configuration }
}
