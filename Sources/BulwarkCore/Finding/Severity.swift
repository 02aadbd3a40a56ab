/// A finding's severity, spelled exactly as DefectDojo stores it.
///
/// DefectDojo accepts five values (`Critical`, `High`, `Medium`, `Low`, `Info`). Anything a parser
/// produces goes through ``sanitized(_:)`` first, which mirrors the importer's severity clean-up
/// (import-semantics §3.3). Severities compare by gravity: `.critical > .high > … > .info`.
public enum Severity: String, CaseIterable, Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    case critical = "Critical"
    case high = "High"
    case medium = "Medium"
    case low = "Low"
    case info = "Info"

    /// The values DefectDojo lists in its "not supported" error, in its order.
    public static let supportedValues = ["Info", "Low", "Medium", "High", "Critical"]

    /// Cleans a raw severity the way DefectDojo's importer does.
    ///
    /// Any value that lowercases to something starting with `info`, or equal to `none`, becomes
    /// `.info`; otherwise the value must be one of the five exact, case-sensitive spellings.
    ///
    /// - Parameter raw: The severity text a tool reported.
    /// - Returns: The severity, or `nil` when the value is not supported (the API answers 400).
    public static func sanitized(_ raw: String) -> Severity? {
        if let exact = Severity(rawValue: raw) {
            return exact
        }
        let lowered = raw.lowercased()
        if lowered.hasPrefix("info") || lowered == "none" {
            return .info
        }
        return nil
    }

    /// One of the five names in any letter case (`critical`, `HIGH`, …), or `fallback` for anything else.
    public static func named(_ raw: String?, fallback: Severity = .info) -> Severity {
        guard let lowered = raw?.lowercased() else { return fallback }
        return allCases.first { $0.rawValue.lowercased() == lowered } ?? fallback
    }

    /// DefectDojo's `numerical_severity`: `S0` for Critical through `S4` for Info.
    public var numericalSeverity: String { "S\(rank)" }

    /// The numerical severity for any raw value, `S5` when the value is not one of the five.
    public static func numericalSeverity(for raw: String) -> String {
        Severity(rawValue: raw)?.numericalSeverity ?? "S5"
    }

    /// Position in DefectDojo's `Finding.SEVERITIES` map: Critical 0 … Info 4 (lower is worse).
    public var rank: Int {
        switch self {
        case .critical: 0
        case .high: 1
        case .medium: 2
        case .low: 3
        case .info: 4
        }
    }

    /// The metric number DefectDojo's dashboards use: Critical 4 … Info 0 (higher is worse).
    public var metricNumber: Int { 4 - rank }

    /// Orders by gravity, so `Severity.info < Severity.critical`.
    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs.rank > rhs.rank
    }

    /// The DefectDojo spelling, e.g. `High`.
    public var description: String { rawValue }
}
