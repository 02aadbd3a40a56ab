import BulwarkServices
import Foundation
import Synchronization
import Testing

@Suite("Login throttle: failures per key, doubling lockout, cap, success clears")
struct LoginThrottleTests {
    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        private let seconds = Mutex<TimeInterval>(1_700_000_000)
        var now: Date { Date(timeIntervalSince1970: seconds.withLock { $0 }) }
        func advance(_ delta: TimeInterval) { seconds.withLock { $0 += delta } }
    }

    @Test("Failures within the limit pass; the first past it locks for firstLockout, each further one doubles up to the cap")
    func lockoutGrows() async {
        // Given
        let clock = ManualClock()
        let throttle = LoginThrottle(limits: .init(maxFailures: 2, maxLockout: 40, firstLockout: 10), now: { clock.now })
        let keys = LoginThrottle.keys(address: "10.0.0.1", username: "Admin")
        // When / Then
        await throttle.recordFailure(keys)
        await throttle.recordFailure(keys)
        #expect(await throttle.retryAfter(keys) == nil)
        await throttle.recordFailure(keys)
        #expect(await throttle.retryAfter(keys) == 10)
        clock.advance(10)
        #expect(await throttle.retryAfter(keys) == nil)
        await throttle.recordFailure(keys)
        #expect(await throttle.retryAfter(keys) == 20)
        clock.advance(20)
        await throttle.recordFailure(keys)
        await throttle.recordFailure(keys)
        #expect(await throttle.retryAfter(keys) == 40)
    }

    @Test("The username key ignores case and holds across addresses; a success clears both keys")
    func keysAndSuccess() async {
        // Given
        let clock = ManualClock()
        let throttle = LoginThrottle(limits: .init(maxFailures: 1, firstLockout: 5), now: { clock.now })
        // When
        await throttle.recordFailure(LoginThrottle.keys(address: "10.0.0.1", username: "admin"))
        await throttle.recordFailure(LoginThrottle.keys(address: "10.0.0.2", username: "ADMIN"))
        // Then
        #expect(await throttle.retryAfter(LoginThrottle.keys(address: "10.0.0.3", username: "Admin")) == 5)
        #expect(await throttle.retryAfter(LoginThrottle.keys(address: "10.0.0.3", username: "someone")) == nil)
        clock.advance(5)
        await throttle.recordSuccess(LoginThrottle.keys(address: "10.0.0.3", username: "admin"))
        await throttle.recordFailure(LoginThrottle.keys(address: "10.0.0.3", username: "admin"))
        #expect(await throttle.retryAfter(LoginThrottle.keys(address: "10.0.0.3", username: "admin")) == nil)
    }
}
