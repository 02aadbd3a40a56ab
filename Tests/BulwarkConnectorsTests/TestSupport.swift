import BulwarkConnectors
import BulwarkCore
import Foundation

/// Records waits instead of sleeping.
final class RecordingSleeper: Sleeper, @unchecked Sendable {
    private let lock = NSLock()
    private var waits: [Double] = []
    var recorded: [Double] { lock.withLock { waits } }
    func sleep(seconds: Double) async { lock.withLock { waits.append(seconds) } }
}

/// Per-record counts in the fixtures README's columns.
struct FindingCounts: Equatable, CustomStringConvertible {
    var total = 0, critical = 0, high = 0, medium = 0, low = 0, active = 0, verified = 0, falsePositive = 0, riskAccepted = 0, mitigated = 0

    init(total: Int, critical: Int, high: Int, medium: Int, low: Int, active: Int, verified: Int, falsePositive: Int, riskAccepted: Int, mitigated: Int) {
        (self.total, self.critical, self.high, self.medium, self.low) = (total, critical, high, medium, low)
        (self.active, self.verified, self.falsePositive, self.riskAccepted, self.mitigated) = (active, verified, falsePositive, riskAccepted, mitigated)
    }

    init(_ findings: [Finding]) {
        total = findings.count
        for finding in findings {
            switch finding.severity {
            case .critical: critical += 1
            case .high: high += 1
            case .medium: medium += 1
            case .low: low += 1
            case .info: break
            }
            if finding.active { active += 1; if finding.verified { verified += 1 } }
            if finding.falsePositive { falsePositive += 1 }
            if finding.riskAccepted { riskAccepted += 1 }
            if finding.isMitigated { mitigated += 1 }
        }
    }

    var description: String {
        "\(total) C\(critical) H\(high) M\(medium) L\(low) A\(active)(\(verified)) FP\(falsePositive) RA\(riskAccepted) M\(mitigated)"
    }
}

/// A fast retry policy for tests (real waits would only slow them; the sleeper records them).
func testPolicy() -> RetryPolicy {
    var policy = RetryPolicy()
    policy.requestTimeout = .seconds(5)
    return policy
}

func configuration(_ tool: String, location: String, secret: String = "s3cr3t-token", extra: [String: String] = [:]) -> ConnectorConfiguration {
    ConnectorConfiguration(tool: tool, label: "test", location: location, secret: secret, extra: extra)
}
