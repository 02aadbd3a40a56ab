import Foundation

/// A parsed CVSS v3.0/v3.1 vector with its base score, as DefectDojo validates `cvssv3`
/// and derives `cvssv3_score` from it.
public struct CVSS3: Sendable, Equatable {
    public let version: String
    public let metrics: [String: String]

    /// The message DefectDojo gives for a vector it cannot read.
    public static let invalidMessage = "No valid CVSS3 vectors found by cvss.parse_cvss_from_text()"

    static let allowed: [String: Set<String>] = [
        "AV": ["N", "A", "L", "P"], "AC": ["L", "H"], "PR": ["N", "L", "H"], "UI": ["N", "R"], "S": ["U", "C"],
        "C": ["H", "L", "N"], "I": ["H", "L", "N"], "A": ["H", "L", "N"],
        "E": ["X", "H", "F", "P", "U"], "RL": ["X", "U", "W", "T", "O"], "RC": ["X", "C", "R", "U"],
        "CR": ["X", "H", "M", "L"], "IR": ["X", "H", "M", "L"], "AR": ["X", "H", "M", "L"],
        "MAV": ["X", "N", "A", "L", "P"], "MAC": ["X", "L", "H"], "MPR": ["X", "N", "L", "H"], "MUI": ["X", "N", "R"],
        "MS": ["X", "U", "C"], "MC": ["X", "H", "L", "N"], "MI": ["X", "H", "L", "N"], "MA": ["X", "H", "L", "N"],
    ]
    static let mandatory = ["AV", "AC", "PR", "UI", "S", "C", "I", "A"]

    /// Parses `CVSS:3.x/AV:N/…`; nil when the prefix, a metric or a value is wrong or a base metric is missing.
    public init?(vector: String) {
        let parts = vector.trimmingCharacters(in: .whitespaces).split(separator: "/").map(String.init)
        guard let prefix = parts.first, prefix == "CVSS:3.0" || prefix == "CVSS:3.1" else { return nil }
        var metrics: [String: String] = [:]
        for part in parts.dropFirst() {
            let pair = part.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard pair.count == 2, let values = Self.allowed[pair[0]], values.contains(pair[1]), metrics[pair[0]] == nil else { return nil }
            metrics[pair[0]] = pair[1]
        }
        guard Self.mandatory.allSatisfy({ metrics[$0] != nil }) else { return nil }
        self.version = String(prefix.dropFirst(5))
        self.metrics = metrics
    }

    /// The base score (0.0–10.0) per the CVSS v3 specification.
    public var baseScore: Double {
        let changed = metrics["S"] == "C"
        let av: Double = ["N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2][metrics["AV"] ?? ""] ?? 0
        let ac: Double = ["L": 0.77, "H": 0.44][metrics["AC"] ?? ""] ?? 0
        let pr: Double
        switch metrics["PR"] {
        case "N": pr = 0.85
        case "L": pr = changed ? 0.68 : 0.62
        default: pr = changed ? 0.5 : 0.27
        }
        let ui: Double = metrics["UI"] == "N" ? 0.85 : 0.62
        func cia(_ key: String) -> Double { ["H": 0.56, "L": 0.22, "N": 0][metrics[key] ?? ""] ?? 0 }
        let iss: Double = 1 - (1 - cia("C")) * (1 - cia("I")) * (1 - cia("A"))
        let scopeChangedTail: Double = 3.25 * Foundation.pow(iss - 0.02, 15.0)
        let impact: Double = changed ? 7.52 * (iss - 0.029) - scopeChangedTail : 6.42 * iss
        guard impact > 0 else { return 0 }
        let exploitability: Double = 8.22 * av * ac * pr * ui
        let raw: Double = changed ? Swift.min(1.08 * (impact + exploitability), 10) : Swift.min(impact + exploitability, 10)
        return roundUp(raw)
    }

    /// CVSS "Roundup": the smallest one-decimal number not below the input (3.1's float-safe form).
    func roundUp(_ value: Double) -> Double {
        let scaled = Int((value * 100_000).rounded())
        if scaled % 10_000 == 0 { return Double(scaled) / 100_000 }
        return (floor(Double(scaled) / 10_000) + 1) / 10
    }
}
