/// A slow, salted password hash (the app wires Bcrypt); kept behind a protocol so services stay free of Vapor.
public protocol PasswordHashing: Sendable {
    /// Hashes a password with a fresh salt.
    func hash(_ password: String) throws -> String
    /// Checks a password against a stored hash; false for malformed hashes.
    func verify(_ password: String, against hash: String) -> Bool
}
