import BulwarkServices
import NIOConcurrencyHelpers
import NIOPosix
import Vapor

/// Bcrypt password hashing (Vapor's C implementation) with a configurable cost.
///
/// Checks run on a small thread pool of their own (half the cores, at least one) instead of the
/// request threads, with at most ``maxWaitingChecks`` waiting: a flood of wrong passwords then
/// slows only other password checks, never token-authenticated requests or pages.
public struct BcryptHasher: PasswordHashing {
    public let cost: Int
    public let timingDummyHash: String?
    /// Checks allowed to wait for a worker before new ones are refused as busy.
    public static let maxWaitingChecks = 64

    public init(cost: Int) {
        self.cost = cost
        timingDummyHash = try? Bcrypt.hash("bulwark-timing-dummy", cost: cost)
    }

    public func hash(_ password: String) throws -> String { try Bcrypt.hash(password, cost: cost) }

    public func verify(_ password: String, against hash: String) -> Bool {
        guard hash.hasPrefix("$2") else { return false }
        return (try? Bcrypt.verify(password, created: hash)) ?? false
    }

    public func verifyOffloaded(_ password: String, against hash: String) async throws -> Bool {
        let admitted = BcryptWorkers.waiting.withLockedValue { count -> Bool in
            guard count < Self.maxWaitingChecks else { return false }
            count += 1
            return true
        }
        guard admitted else { throw PasswordHashingBusy() }
        defer { BcryptWorkers.waiting.withLockedValue { $0 -= 1 } }
        return try await BcryptWorkers.pool.runIfActive { verify(password, against: hash) }
    }
}

/// The process-wide pool for password checks (shared by every application in the process, so
/// tests that build many applications do not each start threads).
enum BcryptWorkers {
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount / 2))
        pool.start()
        return pool
    }()
    static let waiting = NIOLockedValueBox(0)
}
