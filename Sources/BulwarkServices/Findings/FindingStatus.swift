import BulwarkCore
import BulwarkStorage
import Foundation

extension Severity {
    /// The message DefectDojo's finding serializer gives for a severity outside the five.
    public static let invalidMessage = "Severity must be one of the following: ['Info', 'Low', 'Medium', 'High', 'Critical']"
}

/// The flags that decide a finding's status text.
public struct FindingFlags: Sendable, Equatable {
    public var active = false, verified = false, falsePositive = false, outOfScope = false, duplicate = false
    public var riskAccepted = false, isMitigated = false, hasMitigatedDate = false, underReview = false
    public init() {}
}

/// An SLA configuration's days per severity (nil when that severity is not enforced).
public struct SLAPolicy: Sendable, Equatable {
    public var critical: Int?, high: Int?, medium: Int?, low: Int?
    public init(critical: Int?, high: Int?, medium: Int?, low: Int?) {
        self.critical = critical
        self.high = high
        self.medium = medium
        self.low = low
    }

    /// DefectDojo's default SLA configuration: 7 / 30 / 90 / 120 days.
    public static let defaultPolicy = SLAPolicy(critical: 7, high: 30, medium: 90, low: 120)

    /// Days allowed for a severity; Info has no SLA.
    public func days(for severity: String) -> Int? {
        switch Severity(rawValue: severity) {
        case .critical: return critical
        case .high: return high
        case .medium: return medium
        case .low: return low
        default: return nil
        }
    }
}

/// DefectDojo's derived finding fields, as pure functions.
public enum FindingStatus {
    /// `display_status`: e.g. "Active, Verified", "Inactive, Mitigated", "Inactive, Duplicate".
    public static func displayStatus(_ flags: FindingFlags) -> String {
        var parts: [String] = []
        if flags.underReview { parts.append("Under Review") }
        parts.append(flags.active ? "Active" : "Inactive")
        if flags.verified { parts.append("Verified") }
        if flags.isMitigated || flags.hasMitigatedDate { parts.append("Mitigated") }
        if flags.falsePositive { parts.append("False Positive") }
        if flags.outOfScope { parts.append("Out Of Scope") }
        if flags.duplicate { parts.append("Duplicate") }
        if flags.riskAccepted { parts.append("Risk Accepted") }
        return parts.joined(separator: ", ")
    }

    /// Whole days from `start` to `end` (UTC calendar days).
    static func days(from start: Date, to end: Date) -> Int {
        Int((DateFormatting.startOfDay(end).timeIntervalSince(DateFormatting.startOfDay(start)) / 86_400).rounded())
    }

    /// `age`: days from the finding's date to its mitigation, or to today; never negative.
    public static func age(date: Date, mitigated: Date?, today: Date) -> Int {
        max(0, days(from: date, to: mitigated ?? today))
    }

    /// `sla_expiration_date`: SLA start (or the finding date) plus the severity's days; nil without an SLA.
    public static func slaExpiration(severity: String, date: Date, slaStart: Date?, policy: SLAPolicy) -> Date? {
        guard let days = policy.days(for: severity) else { return nil }
        return DateFormatting.adding(days: days, to: slaStart ?? date)
    }

    /// `sla_days_remaining`: days from today (or the mitigation date) to the SLA expiration; nil without an SLA.
    public static func slaDaysRemaining(expiration: Date?, mitigated: Date?, today: Date) -> Int? {
        guard let expiration else { return nil }
        return days(from: mitigated ?? today, to: expiration)
    }
}
