import Foundation

/// A transport for unit tests: answers from a list of canned responses matched by path and a
/// subset of query parameters, and records every request it saw.
public final class ReplayTransport: HTTPTransport, @unchecked Sendable {
    /// A canned answer for requests whose path equals `path` and whose query contains `query`.
    public struct Route: Sendable {
        public var path: String
        public var query: [String: String]
        public var responses: [HTTPResponse]
        public init(path: String, query: [String: String] = [:], responses: [HTTPResponse]) {
            self.path = path
            self.query = query
            self.responses = responses
        }
    }

    private let lock = NSLock()
    private var routes: [Route]
    private var seen: [HTTPRequest] = []

    /// Routes are tried in order; a route with several responses answers them in turn and then repeats its last.
    public init(_ routes: [Route]) { self.routes = routes }

    /// Every request sent so far, in order.
    public var requests: [HTTPRequest] { lock.withLock { seen } }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportFailure) -> HTTPResponse {
        let parts = RequestURLParts(request.url)
        return lock.withLock {
            seen.append(request)
            guard let index = routes.firstIndex(where: { route in
                route.path == parts.path && route.query.allSatisfy { parts.query[$0.key]?.contains($0.value) == true }
            }) else {
                return HTTPResponse(status: 404, body: Array(#"{"error":"no route"}"#.utf8))
            }
            let response = routes[index].responses[0]
            if routes[index].responses.count > 1 { routes[index].responses.removeFirst() }
            return response
        }
    }
}

/// The path and decoded query parameters of a URL (repeated parameters keep every value).
public struct RequestURLParts: Sendable {
    public var path: String
    public var query: [String: [String]]

    public init(_ url: String) {
        let components = URLComponents(string: url)
        path = components?.path ?? url
        var query: [String: [String]] = [:]
        for item in components?.queryItems ?? [] { query[item.name, default: []].append(item.value ?? "") }
        self.query = query
    }
}
