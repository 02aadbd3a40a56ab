import Foundation

/// A CVSS v3.0/v3.1 vector and the figures DefectDojo's `parse_cvss_data` takes from the Python
/// `cvss` library: the cleaned vector, the environmental score (`scores()[2]`, which for a vector
/// without environmental metrics differs from the base score only for a changed scope in 3.1) and
/// the base severity (`severities()[0]`).
struct CVSS3Vector: Sendable, Hashable {
    /// `3.0` or `3.1`.
    let version: String
    /// Metric abbreviation → value, e.g. `AV` → `N`.
    let metrics: [String: String]

    private static let baseOrder = ["AV", "AC", "PR", "UI", "S", "C", "I", "A"]
    private static let allowed: [String: Set<String>] = [
        "AV": ["N", "A", "L", "P"], "AC": ["L", "H"], "PR": ["N", "L", "H"], "UI": ["N", "R"], "S": ["U", "C"],
        "C": ["H", "L", "N"], "I": ["H", "L", "N"], "A": ["H", "L", "N"],
    ]

    /// Parses `CVSS:3.x/AV:…/AC:…/…` with the eight base metrics (other metrics are refused);
    /// `nil` when the vector is not such a vector.
    init?(_ vector: String) {
        let parts = vector.split(separator: "/").map(String.init)
        guard let prefix = parts.first, prefix == "CVSS:3.0" || prefix == "CVSS:3.1" else { return nil }
        var metrics: [String: String] = [:]
        for part in parts.dropFirst() {
            let pair = part.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard pair.count == 2, Self.allowed[pair[0]]?.contains(pair[1]) == true, metrics[pair[0]] == nil else { return nil }
            metrics[pair[0]] = pair[1]
        }
        guard metrics.count == Self.baseOrder.count else { return nil }
        version = String(prefix.dropFirst(5))
        self.metrics = metrics
    }

    /// The vector in the canonical metric order, e.g. `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`.
    var cleanVector: String {
        "CVSS:\(version)/" + Self.baseOrder.map { "\($0):\(metrics[$0] ?? "")" }.joined(separator: "/")
    }

    private var scopeChanged: Bool { metrics["S"] == "C" }

    private var exploitability: Double {
        let vectors: [String: Double] = ["N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2]
        let complexities: [String: Double] = ["L": 0.77, "H": 0.44]
        let privilegeWeights: [String: Double] = scopeChanged ? ["N": 0.85, "L": 0.68, "H": 0.5] : ["N": 0.85, "L": 0.62, "H": 0.27]
        let interactions: [String: Double] = ["N": 0.85, "R": 0.62]
        let attackVector = vectors[metrics["AV"] ?? ""] ?? 0
        let complexity = complexities[metrics["AC"] ?? ""] ?? 0
        let privileges = privilegeWeights[metrics["PR"] ?? ""] ?? 0
        let interaction = interactions[metrics["UI"] ?? ""] ?? 0
        return 8.22 * attackVector * complexity * privileges * interaction
    }

    private func impactValue(_ key: String) -> Double {
        let weights: [String: Double] = ["H": 0.56, "L": 0.22, "N": 0]
        return weights[metrics[key] ?? ""] ?? 0
    }

    private var impactSubScore: Double {
        1 - (1 - impactValue("C")) * (1 - impactValue("I")) * (1 - impactValue("A"))
    }

    /// The base score (0.0–10.0).
    var baseScore: Double {
        let subScore = impactSubScore
        let impact = scopeChanged ? 7.52 * (subScore - 0.029) - 3.25 * pow(subScore - 0.02, 15) : 6.42 * subScore
        guard impact > 0 else { return 0 }
        let total = scopeChanged ? min(1.08 * (impact + exploitability), 10) : min(impact + exploitability, 10)
        return Self.roundUp(total)
    }

    /// The environmental score with every environmental metric "not defined".
    var environmentalScore: Double {
        let subScore = min(impactSubScore, 0.915)
        let impact: Double
        if !scopeChanged {
            impact = 6.42 * subScore
        } else if version == "3.0" {
            impact = 7.52 * (subScore - 0.029) - 3.25 * pow(subScore - 0.02, 15)
        } else {
            impact = 7.52 * (subScore - 0.029) - 3.25 * pow(subScore * 0.9731 - 0.02, 13)
        }
        guard impact > 0 else { return 0 }
        let total = scopeChanged ? min(1.08 * (impact + exploitability), 10) : min(impact + exploitability, 10)
        return Self.roundUp(Self.roundUp(total))
    }

    /// The qualitative severity of the base score: `None`, `Low`, `Medium`, `High` or `Critical`.
    var baseSeverity: String {
        switch baseScore {
        case ..<0.1: "None"
        case ..<4.0: "Low"
        case ..<7.0: "Medium"
        case ..<9.0: "High"
        default: "Critical"
        }
    }

    /// CVSS 3.1's Roundup: the smallest one-decimal number not below the value, computed on
    /// integers so floating-point noise does not push an exact value up.
    static func roundUp(_ value: Double) -> Double {
        let scaled = Int((value * 100_000).rounded())
        if scaled % 10_000 == 0 { return Double(scaled) / 100_000 }
        return Double(scaled / 10_000 + 1) / 10
    }
}
