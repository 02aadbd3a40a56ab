import BulwarkConnectors
import BulwarkServices
import FluentKit
import Vapor

/// What the connector routes need from the composition root: the secret cipher and the HTTP
/// transports (tests pass their own retry policy and sleeper).
public struct ConnectorRuntime: Sendable {
    public var cipher: SecretCipher
    public var transport: @Sendable (Bool) -> any HTTPTransport
    public var policy: RetryPolicy
    public var sleeper: any Sleeper

    public init(cipher: SecretCipher, transport: @escaping @Sendable (Bool) -> any HTTPTransport, policy: RetryPolicy = RetryPolicy(),
                sleeper: any Sleeper = TaskSleeper()) {
        self.cipher = cipher
        self.transport = transport
        self.policy = policy
        self.sleeper = sleeper
    }

    /// The connector service over `database`.
    public func service(_ database: any Database) -> ConnectorService {
        ConnectorService(database: database, cipher: cipher, transport: transport, policy: policy, sleeper: sleeper)
    }
}

extension Application {
    private struct ConnectorRuntimeKey: StorageKey { typealias Value = ConnectorRuntime }

    /// Set by `configure`; the connector routes answer 500 without it.
    public var connectorRuntime: ConnectorRuntime? {
        get { storage[ConnectorRuntimeKey.self] }
        set { storage[ConnectorRuntimeKey.self] = newValue }
    }
}
