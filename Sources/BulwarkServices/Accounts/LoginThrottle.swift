import Foundation

/// Slows down password guessing: after too many failed password checks from one client address
/// or for one username within a window, further attempts are refused for a while, with the wait
/// doubling on every further failure up to a cap.
///
/// It runs before any password hash is computed, so a flood of wrong passwords costs the
/// attacker refusals, not the server bcrypt time. State is kept in memory per process; a
/// successful login clears the counters of its address and username.
public actor LoginThrottle {
    /// The throttle's settings.
    public struct Limits: Sendable, Equatable {
        /// Failures allowed per key within ``window`` before refusals start.
        public var maxFailures: Int
        /// How long failures are remembered.
        public var window: TimeInterval
        /// The longest wait imposed.
        public var maxLockout: TimeInterval
        /// The first wait, after the first failure past ``maxFailures``; it doubles with each further failure.
        public var firstLockout: TimeInterval

        public init(maxFailures: Int = 10, window: TimeInterval = 600, maxLockout: TimeInterval = 300, firstLockout: TimeInterval = 1) {
            self.maxFailures = maxFailures
            self.window = window
            self.maxLockout = maxLockout
            self.firstLockout = firstLockout
        }
    }

    private struct Record {
        var failures: Int
        var firstFailure: Date
        var lockedUntil: Date?
    }

    private let limits: Limits
    private let now: @Sendable () -> Date
    private var records: [String: Record] = [:]
    /// Bound on remembered keys, so a flood of distinct usernames cannot grow memory without end.
    private let maxKeys = 100_000

    public init(limits: Limits = Limits(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.limits = limits
        self.now = now
    }

    /// The keys one attempt is counted under.
    public static func keys(address: String?, username: String) -> [String] {
        ["address:" + (address ?? "unknown"), "user:" + username.lowercased()]
    }

    /// Seconds to wait before another attempt is accepted, or nil when it may go ahead now.
    public func retryAfter(_ keys: [String]) -> Int? {
        let time = now()
        var wait: TimeInterval = 0
        for key in keys {
            guard let until = records[key]?.lockedUntil, until > time else { continue }
            wait = max(wait, until.timeIntervalSince(time))
        }
        return wait > 0 ? max(1, Int(wait.rounded(.up))) : nil
    }

    /// Counts a failed password check under each key.
    public func recordFailure(_ keys: [String]) {
        let time = now()
        if records.count > maxKeys { prune(at: time) }
        for key in keys {
            var record = records[key] ?? Record(failures: 0, firstFailure: time, lockedUntil: nil)
            if time.timeIntervalSince(record.firstFailure) > limits.window, record.lockedUntil.map({ $0 <= time }) ?? true {
                record = Record(failures: 0, firstFailure: time, lockedUntil: nil)
            }
            record.failures += 1
            let excess = record.failures - limits.maxFailures
            if excess > 0 {
                let wait = min(limits.maxLockout, limits.firstLockout * pow(2, Double(min(excess - 1, 30))))
                record.lockedUntil = time.addingTimeInterval(wait)
            }
            records[key] = record
        }
    }

    /// Clears the keys after a successful login.
    public func recordSuccess(_ keys: [String]) {
        for key in keys { records[key] = nil }
    }

    private func prune(at time: Date) {
        records = records.filter { _, record in
            time.timeIntervalSince(record.firstFailure) <= limits.window || (record.lockedUntil.map { $0 > time } ?? false)
        }
        // Still too many live keys: forget the oldest half rather than grow.
        if records.count > maxKeys {
            let sorted = records.sorted { $0.value.firstFailure < $1.value.firstFailure }
            for (key, _) in sorted.prefix(records.count / 2) { records[key] = nil }
        }
    }
}
