import Foundation

/// Requests with a body or their own headers (POST to export and search endpoints) and a per-call
/// timeout, on the same retry, rate-limit and error rules as ``ConnectorClient/get(_:query:call:)``.
extension ConnectorClient {
    /// Sends `method` to `path` (relative to the base URL) with an optional body and extra headers; returns a 2xx response.
    /// - Parameter timeout: overrides the policy's request timeout (Tenable chunk downloads allow 300 s).
    public func request(
        _ method: String, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil, headers: [HTTPHeader] = [],
        call: String? = nil, timeout: Duration? = nil
    ) async throws(ConnectorError) -> HTTPResponse {
        let name = call ?? "\(method) \(path.split(separator: "?").first.map(String.init) ?? path)"
        let request = HTTPRequest(method: method, url: Self.url(baseURL, path, query), headers: headers, body: body)
        return try await send(request, call: name, timeout: timeout)
    }

    /// POSTs a JSON body and decodes the JSON answer; a body of another shape is a parse error naming the call.
    public func postJSON<T: Decodable & Sendable>(
        _ type: T.Type, _ path: String, json: [UInt8], call: String? = nil
    ) async throws(ConnectorError) -> T {
        let name = call ?? "POST \(path)"
        let response = try await request("POST", path, body: json, headers: [HTTPHeader("Content-Type", "application/json")], call: name)
        return try Self.decode(type, response.body, call: name)
    }

    /// Encodes a request body as JSON (sorted keys, so requests are stable for tests and signatures).
    public static func jsonBody<T: Encodable>(_ value: T, call: String) throws(ConnectorError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(value))
        } catch {
            throw ConnectorError(.error, call: call, "cannot encode the request body")
        }
    }
}

extension ConnectorClient {
    /// Waits with the client's sleeper (polling an asynchronous export; tests record instead of waiting).
    public func pause(seconds: Double) async { await sleeper.sleep(seconds: seconds) }
}
