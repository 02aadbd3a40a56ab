import Vapor

extension Request {
    /// The connected peer's IP address, used to count failed logins per client. Forwarding
    /// headers are not trusted here: behind a reverse proxy every client shares the proxy's address.
    public var clientAddress: String? {
        remoteAddress?.ipAddress ?? peerAddress?.ipAddress
    }
}
