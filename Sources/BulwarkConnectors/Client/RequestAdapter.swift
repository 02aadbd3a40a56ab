/// Tool-specific steps the shared ``ConnectorClient`` runs around each attempt: signing the request
/// just before it is sent (AWS SigV4 signs the final headers and the time of sending), and reading
/// failures the HTTP status alone does not tell (AWS answers a bad signature with 403, which is an
/// invalid secret rather than a missing permission).
public protocol RequestAdapter: Sendable {
    /// Called for every attempt, retries included, after the client has set its headers.
    func prepare(_ request: inout HTTPRequest)

    /// The error a non-2xx response means, or `nil` to let the client apply §0.3 by status.
    func failure(for response: HTTPResponse, call: String) -> ConnectorError?
}

extension RequestAdapter {
    public func failure(for response: HTTPResponse, call: String) -> ConnectorError? { nil }
}
