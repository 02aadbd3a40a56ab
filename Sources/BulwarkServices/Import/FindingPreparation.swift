import BulwarkCore
import BulwarkStorage
import Foundation

/// A parsed finding made ready to store: options applied, dates filled, hash computed.
public struct PreparedFinding: Sendable {
    public var finding: Finding
    public var date: String
    public var hashCode: String
    public var mitigated: Date?
}

/// import-semantics §3.3: what happens to parser findings before anything is saved. Pure.
public enum FindingPreparation {
    /// Applies `minimum_severity`, the `active`/`verified` overrides, `service`, `scan_date`,
    /// the cve ↔ vulnerability id sync and the hash code, in DefectDojo's order.
    public static func prepare(_ findings: [Finding], options: ImportOptions, dedupe: DedupeConfiguration, now: Date) -> [PreparedFinding] {
        let today = DateFormatting.day(now)
        let scanDay = options.scanDate.map(DateFormatting.day)
        var out: [PreparedFinding] = []
        out.reserveCapacity(findings.count)
        for var finding in findings where finding.severity >= options.minimumSeverity {
            if let service = options.service { finding.service = service }
            if let active = options.active { finding.active = active }
            if let verified = options.verified { finding.verified = verified }
            finding = finding.synchronizingCVE()
            var mitigated = finding.mitigated
            if finding.isMitigated {
                finding.active = false
                if mitigated == nil { mitigated = options.scanDate ?? now }
            }
            let date = scanDay ?? finding.date?.description ?? today
            out.append(PreparedFinding(finding: finding, date: date, hashCode: HashCode.compute(for: finding, configuration: dedupe), mitigated: mitigated))
        }
        return out
    }
}
