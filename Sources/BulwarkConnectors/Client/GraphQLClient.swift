import Foundation

/// GraphQL over the shared ``ConnectorClient`` (Wiz, Burp Suite DAST): every call is a named
/// operation POSTed as JSON to one endpoint. An HTTP 200 whose body carries an `errors` list is a
/// failure: a rate-limit error is retried exactly like a 429, an authentication error is a 401
/// (so an OAuth token is refreshed once), a permission error a 403, a not-found error a 404, and
/// anything else fails the call with the tool's message.
public struct GraphQLClient: Sendable {
    public let client: ConnectorClient
    /// The endpoint path under the client's base URL (`""` when the location is the endpoint).
    public let path: String

    public init(client: ConnectorClient, path: String = "") {
        self.client = client
        self.path = path
    }

    struct Request<Variables: Encodable>: Encodable {
        var operationName: String
        var query: String
        var variables: Variables
    }

    struct Envelope<Data: Decodable>: Decodable {
        var data: Data?
    }

    struct ErrorList: Decodable {
        var errors: [GraphQLError]?
    }

    /// One entry of a GraphQL `errors` list.
    public struct GraphQLError: Decodable, Sendable {
        public var message: String?
        public var extensions: Extensions?

        public struct Extensions: Decodable, Sendable {
            public var code: String?
            enum CodingKeys: String, CodingKey { case code }
            public init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                if let text = try? container.decodeIfPresent(String.self, forKey: .code) {
                    code = text
                } else if let number = try? container.decodeIfPresent(Int.self, forKey: .code) {
                    code = String(number)
                }
            }
        }
    }

    /// Runs `operation` and decodes its `data` as `T`. The call is named `GraphQL <operation>`.
    public func query<Variables: Encodable & Sendable, T: Decodable & Sendable>(
        _ type: T.Type, operation: String, query: String, variables: Variables
    ) async throws(ConnectorError) -> T {
        let call = "GraphQL \(operation)"
        let body: [UInt8]
        do {
            body = Array(try JSONEncoder().encode(Request(operationName: operation, query: query, variables: variables)))
        } catch {
            throw ConnectorError(.configuration, call: call, "the query variables cannot be encoded")
        }
        let response = try await client.post(path, body: body, contentType: "application/json", call: call,
                                              effectiveStatus: Self.effectiveStatus)
        if let errors = Self.errors(in: response.body), !errors.isEmpty {
            throw ConnectorError(.error, call: call, "the query failed: " + Self.summary(errors), status: response.status)
        }
        let envelope = try ConnectorClient.decode(Envelope<T>.self, response.body, call: call)
        guard let data = envelope.data else { throw ConnectorError(.parse, call: call, "unexpected response shape: missing data") }
        return data
    }

    /// The `errors` list of a body, or `nil` when there is none (or the body is not JSON).
    static func errors(in body: [UInt8]) -> [GraphQLError]? {
        // Cheap pre-check: most pages carry no errors and need not be decoded twice.
        guard mentionsErrors(body) else { return nil }
        return try? JSONDecoder().decode(ErrorList.self, from: Data(body)).errors
    }

    static let errorsKey = Array(#""errors""#.utf8)

    static func mentionsErrors(_ body: [UInt8]) -> Bool {
        let key = errorsKey
        guard body.count >= key.count else { return false }
        for start in 0...(body.count - key.count) where body[start] == key[0] {
            if body[start..<(start + key.count)].elementsEqual(key) { return true }
        }
        return false
    }

    /// The status a 2xx GraphQL answer stands for: 429, 401, 403 or 404 for those errors, else `nil`.
    @Sendable static func effectiveStatus(_ response: HTTPResponse) -> Int? {
        guard (200..<300).contains(response.status), let errors = errors(in: response.body), !errors.isEmpty else { return nil }
        for error in errors {
            let code = (error.extensions?.code ?? "").uppercased()
            let message = (error.message ?? "").lowercased()
            if code.contains("RATE") || code.contains("THROTTL") || code.contains("TOO_MANY") || message.contains("rate limit")
                || message.contains("too many requests") {
                return 429
            }
            if code == "UNAUTHENTICATED" || code == "INVALID_TOKEN" || message.contains("unauthenticated") { return 401 }
            if code == "FORBIDDEN" || code == "UNAUTHORIZED" || code == "PERMISSION_DENIED" || message.contains("permission") { return 403 }
            if code == "NOT_FOUND" { return 404 }
        }
        return nil
    }

    /// The first few error messages, bounded.
    static func summary(_ errors: [GraphQLError]) -> String {
        let text = errors.prefix(3).map { error in
            [error.message, error.extensions?.code.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
        }.joined(separator: "; ")
        return String(text.prefix(300))
    }
}
