import Foundation

/// One HTTP request a connector sends. Headers may hold the secret: never log them.
public struct HTTPRequest: Sendable, Hashable {
    public var method: String
    /// Absolute URL with its query string.
    public var url: String
    public var headers: [HTTPHeader]
    public var body: [UInt8]?

    public init(method: String = "GET", url: String, headers: [HTTPHeader] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// A header name and value.
public struct HTTPHeader: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A response as the connector layer sees it: status, headers and the whole body.
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    public var headers: [HTTPHeader]
    public var body: [UInt8]

    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Why a request got no HTTP response at all.
public enum TransportFailure: Error, Sendable, Hashable {
    /// TCP connect refused or host unknown.
    case connectionFailed(String)
    /// The certificate or TLS handshake failed.
    case tls(String)
    /// No complete response within the timeout.
    case timeout
    /// The connection broke while the response was read.
    case connectionReset(String)
    /// The response body exceeded the allowed size.
    case bodyTooLarge(Int)
}

/// Sends requests. Production uses ``AsyncHTTPClientTransport``; unit tests use ``ReplayTransport``
/// and loopback mock servers. Implementations throw ``TransportFailure`` when no response arrived.
public protocol HTTPTransport: Sendable {
    /// Sends one request and reads the whole response, within `timeout`.
    func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportFailure) -> HTTPResponse
}
