import Foundation

/// Timeouts, attempts and backoff of the shared client (spec §0.3): 429 up to 8 attempts, 5xx and
/// resets up to 4, waits of 1 s, 2 s, 4 s … capped at 60 s with ±20 % jitter, `Retry-After` first.
public struct RetryPolicy: Sendable {
    public var requestTimeout: Duration = .seconds(60)
    public var maxAttemptsRateLimited = 8
    public var maxAttemptsServerError = 4
    public var baseDelay: Double = 1
    public var maxDelay: Double = 60
    public var jitter: Double = 0.2

    public init() {}

    /// The wait before attempt `attempt + 1` (attempt counts from 1), with jitter from `random` in 0..<1.
    public func backoff(afterAttempt attempt: Int, random: Double) -> Double {
        let raw = min(maxDelay, baseDelay * pow(2, Double(max(0, attempt - 1))))
        return max(0, raw * (1 + jitter * (2 * random - 1)))
    }

    /// `Retry-After` as seconds to wait: an integer, or an HTTP date relative to `now`. Capped at `maxDelay`.
    public func retryAfter(_ value: String?, now: Date) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds >= 0 { return min(seconds, maxDelay) }
        guard let date = Self.httpDate(value) else { return nil }
        return min(maxDelay, max(0, date.timeIntervalSince(now)))
    }

    /// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}

/// Waits; tests substitute one that records instead of sleeping.
public protocol Sleeper: Sendable {
    func sleep(seconds: Double) async
}

/// Sleeps for real.
public struct TaskSleeper: Sleeper {
    public init() {}
    public func sleep(seconds: Double) async {
        guard seconds > 0 else { return }
        try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
    }
}
