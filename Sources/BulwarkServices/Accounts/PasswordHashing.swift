/// A slow, salted password hash (the app wires Bcrypt); kept behind a protocol so services stay free of Vapor.
public protocol PasswordHashing: Sendable {
    /// Hashes a password with a fresh salt.
    func hash(_ password: String) throws -> String
    /// Checks a password against a stored hash; false for malformed hashes.
    func verify(_ password: String, against hash: String) -> Bool
    /// Checks a password off the request threads, in a bounded pool.
    /// - Throws: ``PasswordHashingBusy`` when too many checks are already waiting.
    func verifyOffloaded(_ password: String, against hash: String) async throws -> Bool
    /// A valid hash of the same cost as real ones, checked when a username does not exist so that
    /// unknown and known users take the same time (no user enumeration by timing).
    var timingDummyHash: String? { get }
}

extension PasswordHashing {
    public func verifyOffloaded(_ password: String, against hash: String) async throws -> Bool {
        verify(password, against: hash)
    }

    public var timingDummyHash: String? { nil }
}

/// Too many password checks are waiting; the caller should answer 429 rather than queue more.
public struct PasswordHashingBusy: Error, Sendable {
    public init() {}
}
