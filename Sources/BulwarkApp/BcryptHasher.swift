import BulwarkServices
import Vapor

/// Bcrypt password hashing (Vapor's C implementation) with a configurable cost.
public struct BcryptHasher: PasswordHashing {
    public let cost: Int
    public init(cost: Int) { self.cost = cost }

    public func hash(_ password: String) throws -> String { try Bcrypt.hash(password, cost: cost) }

    public func verify(_ password: String, against hash: String) -> Bool {
        guard hash.hasPrefix("$2") else { return false }
        return (try? Bcrypt.verify(password, created: hash)) ?? false
    }
}
