import BulwarkConnectors
import Foundation
import Vapor

/// The production HTTP clients: AsyncHTTPClient's shared client for verified TLS, and one made on
/// first use for `verify_tls: false`, closed at shutdown.
final class ConnectorTransports: LifecycleHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var unverified: AsyncHTTPClientTransport?

    /// The transport for a configuration.
    var transport: @Sendable (Bool) -> any HTTPTransport {
        { [self] verify in verify ? AsyncHTTPClientTransport.shared : insecure() }
    }

    private func insecure() -> AsyncHTTPClientTransport {
        lock.withLock {
            if let unverified { return unverified }
            let made = AsyncHTTPClientTransport(verifyTLS: false)
            unverified = made
            return made
        }
    }

    func shutdownAsync(_ application: Application) async {
        let client = lock.withLock { () -> AsyncHTTPClientTransport? in
            defer { unverified = nil }
            return unverified
        }
        await client?.shutdown()
    }
}
