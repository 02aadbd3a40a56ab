import Foundation

extension ConnectorClient {
    /// POSTs `body` to `path` (relative to the base URL) and returns a 2xx response; retries and
    /// error mapping as for ``get(_:query:call:)``. `effectiveStatus` may read a 2xx body as another
    /// status (GraphQL errors).
    public func post(_ path: String, query: [(String, String)] = [], body: [UInt8], contentType: String, call: String,
                     effectiveStatus: (@Sendable (HTTPResponse) -> Int?)? = nil) async throws(ConnectorError) -> HTTPResponse {
        let request = HTTPRequest(method: "POST", url: Self.url(baseURL, path, query), headers: [HTTPHeader("Content-Type", contentType)],
                                  body: body)
        return try await send(request, call: call, effectiveStatus: effectiveStatus)
    }
}
