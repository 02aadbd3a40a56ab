import AsyncHTTPClient
import NIOSSL
import Foundation
import NIOCore
import NIOHTTP1

/// The production transport: AsyncHTTPClient with a 10 s connect timeout, a per-request
/// deadline, and a cap on the body size so a hostile server cannot exhaust memory.
public final class AsyncHTTPClientTransport: HTTPTransport {
    private let client: HTTPClient
    private let owned: Bool
    private let maxBodyBytes: Int

    /// A transport over AsyncHTTPClient's process-wide client (TLS verified); needs no shutdown.
    public static let shared = AsyncHTTPClientTransport(client: .shared, owned: false)

    private init(client: HTTPClient, owned: Bool, maxBodyBytes: Int = 256 * 1_048_576) {
        self.client = client
        self.owned = owned
        self.maxBodyBytes = maxBodyBytes
    }

    /// Creates a client; call ``shutdown()`` when done.
    /// - Parameters:
    ///   - verifyTLS: `false` accepts any certificate (for self-signed test servers only).
    ///   - maxBodyBytes: the largest response body read (256 MB by default).
    public init(verifyTLS: Bool = true, maxBodyBytes: Int = 256 * 1_048_576) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(60))
        if !verifyTLS { configuration.tlsConfiguration = .clientDefault; configuration.tlsConfiguration?.certificateVerification = .none }
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        owned = true
        self.maxBodyBytes = maxBodyBytes
    }

    /// Closes the client's connections (a no-op for ``shared``).
    public func shutdown() async {
        guard owned else { return }
        try? await client.shutdown()
    }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportFailure) -> HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let seconds = Int64(timeout.components.seconds)
        do {
            let response = try await client.execute(outgoing, timeout: .seconds(max(1, seconds)))
            let buffer = try await response.body.collect(upTo: maxBodyBytes)
            return HTTPResponse(status: Int(response.status.code), headers: response.headers.map { HTTPHeader($0.name, $0.value) },
                                body: Array(buffer.readableBytesView))
        } catch {
            throw Self.classify(error)
        }
    }

    /// Maps AsyncHTTPClient and NIO errors to the few cases the connector layer distinguishes.
    static func classify(_ error: any Error) -> TransportFailure {
        if let client = error as? HTTPClientError {
            switch client {
            case .connectTimeout, .deadlineExceeded, .readTimeout, .writeTimeout: return .timeout
            case .remoteConnectionClosed: return .connectionReset("the server closed the connection")
            default: break
            }
        }
        if error is NIOTooManyBytesError { return .bodyTooLarge(0) }
        let text = String(describing: error)
        if text.localizedCaseInsensitiveContains("tls") || text.localizedCaseInsensitiveContains("certificate")
            || text.localizedCaseInsensitiveContains("handshake") {
            return .tls(text)
        }
        if text.localizedCaseInsensitiveContains("reset") { return .connectionReset(text) }
        return .connectionFailed(text)
    }
}
