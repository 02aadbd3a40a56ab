import Foundation

/// A client-side request rate limit: requests start at least `1 / perSecond` apart.
public actor RateLimiter {
    private let interval: Double
    private var next: Date = .distantPast
    private let sleeper: any Sleeper

    /// - Parameter perSecond: requests per second; 0 or less disables the limit.
    public init(perSecond: Double, sleeper: any Sleeper = TaskSleeper()) {
        interval = perSecond > 0 ? 1 / perSecond : 0
        self.sleeper = sleeper
    }

    /// Waits until the next request may start.
    public func acquire() async {
        guard interval > 0 else { return }
        let now = Date()
        let start = max(now, next)
        next = start.addingTimeInterval(interval)
        let wait = start.timeIntervalSince(now)
        if wait > 0 { await sleeper.sleep(seconds: wait) }
    }
}
