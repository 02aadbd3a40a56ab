import Foundation

/// A CVSS v3.0/v3.1 vector read the way DefectDojo reads one with the `cvss` Python library:
/// `clean_vector()` (metrics in canonical order, "X" values dropped, the 3.x prefix kept) and
/// `scores()` (base, temporal, environmental).
///
/// ```swift
/// let cvss = CVSS3Calculator("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
/// cvss?.cleanVector        // "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
/// cvss?.environmentalScore // 9.8
/// ```
struct CVSS3Calculator: Sendable, Hashable {
    /// The minor version: 0 or 1.
    let minorVersion: Int
    /// The metrics as written (before defaults are filled in).
    let written: [String: String]

    static let order = [
        "AV", "AC", "PR", "UI", "S", "C", "I", "A", "E", "RL", "RC", "CR", "IR", "AR",
        "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA",
    ]
    private static let allowed: [String: Set<String>] = [
        "AV": ["N", "A", "L", "P"], "AC": ["L", "H"], "PR": ["N", "L", "H"], "UI": ["N", "R"], "S": ["U", "C"],
        "C": ["H", "L", "N"], "I": ["H", "L", "N"], "A": ["H", "L", "N"],
        "E": ["X", "H", "F", "P", "U"], "RL": ["X", "U", "W", "T", "O"], "RC": ["X", "C", "R", "U"],
        "CR": ["X", "H", "M", "L"], "IR": ["X", "H", "M", "L"], "AR": ["X", "H", "M", "L"],
        "MAV": ["X", "N", "A", "L", "P"], "MAC": ["X", "L", "H"], "MPR": ["X", "N", "L", "H"], "MUI": ["X", "N", "R"],
        "MS": ["X", "U", "C"], "MC": ["X", "H", "L", "N"], "MI": ["X", "H", "L", "N"], "MA": ["X", "H", "L", "N"],
    ]
    private static let mandatory = ["AV", "AC", "PR", "UI", "S", "C", "I", "A"]

    /// Parses `CVSS:3.x/AV:N/…`; `nil` for anything the `cvss` library rejects (wrong prefix,
    /// unknown or repeated metric, bad value, empty field, missing base metric).
    init?(_ vector: String) {
        let parts = vector.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let prefix = parts.first, prefix == "CVSS:3.0" || prefix == "CVSS:3.1", parts.count > 1 else { return nil }
        var metrics: [String: String] = [:]
        for part in parts.dropFirst() {
            let pair = part.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard pair.count == 2, let values = Self.allowed[pair[0]], values.contains(pair[1]), metrics[pair[0]] == nil else {
                return nil
            }
            metrics[pair[0]] = pair[1]
        }
        guard Self.mandatory.allSatisfy({ metrics[$0] != nil }) else { return nil }
        minorVersion = prefix == "CVSS:3.1" ? 1 : 0
        written = metrics
    }

    /// The vector with metrics in canonical order and "X" values left out.
    var cleanVector: String {
        let metrics = Self.order.compactMap { key in written[key].flatMap { $0 == "X" ? nil : "\(key):\($0)" } }
        return "CVSS:3.\(minorVersion)/" + metrics.joined(separator: "/")
    }

    /// The base score.
    var baseScore: Double {
        let changed = written["S"] == "C"
        let impactBase = 1 - (1 - weight("C")) * (1 - weight("I")) * (1 - weight("A"))
        let impact = changed ? 7.52 * (impactBase - 0.029) - 3.25 * pow(impactBase - 0.02, 15) : 6.42 * impactBase
        guard impact > 0 else { return 0 }
        let exploitability = 8.22 * weight("AV") * weight("AC") * privilegeWeight(written["PR"], changed: changed) * weight("UI")
        return roundUp(min((changed ? 1.08 : 1) * (impact + exploitability), 10))
    }

    /// The temporal score.
    var temporalScore: Double {
        roundUp(baseScore * weight("E") * weight("RL") * weight("RC"))
    }

    /// The environmental score (what DefectDojo stores as `cvssv3_score`).
    var environmentalScore: Double {
        let scope = modified("S")
        let changed = scope == "C"
        let impactBase = min(
            1 - (1 - weight(modified("C"), of: "C") * weight("CR")) * (1 - weight(modified("I"), of: "I") * weight("IR"))
                * (1 - weight(modified("A"), of: "A") * weight("AR")),
            0.915)
        let impact: Double
        if changed {
            impact = minorVersion == 1
                ? 7.52 * (impactBase - 0.029) - 3.25 * pow(impactBase * 0.9731 - 0.02, 13)
                : 7.52 * (impactBase - 0.029) - 3.25 * pow(impactBase - 0.02, 15)
        } else {
            impact = 6.42 * impactBase
        }
        guard impact > 0 else { return 0 }
        let exploitability = 8.22 * weight(modified("AV"), of: "AV") * weight(modified("AC"), of: "AC")
            * privilegeWeight(modified("PR"), changed: changed) * weight(modified("UI"), of: "UI")
        let modifiedBase = roundUp(min((changed ? 1.08 : 1) * (impact + exploitability), 10))
        return roundUp(modifiedBase * weight("E") * weight("RL") * weight("RC"))
    }

    /// The modified metric `M<key>`, or the base metric when it is absent or "X".
    private func modified(_ key: String) -> String {
        if let value = written["M" + key], value != "X" { return value }
        return written[key] ?? "X"
    }

    private func weight(_ key: String) -> Double {
        weight(written[key] ?? "X", of: key)
    }

    private func weight(_ value: String, of key: String) -> Double {
        switch (key, value) {
        case ("AV", "N"): 0.85
        case ("AV", "A"): 0.62
        case ("AV", "L"): 0.55
        case ("AV", "P"): 0.2
        case ("AC", "L"): 0.77
        case ("AC", "H"): 0.44
        case ("UI", "N"): 0.85
        case ("UI", "R"): 0.62
        case ("C", "H"), ("I", "H"), ("A", "H"): 0.56
        case ("C", "L"), ("I", "L"), ("A", "L"): 0.22
        case ("C", _), ("I", _), ("A", _): 0
        case ("E", "F"): 0.97
        case ("E", "P"): 0.94
        case ("E", "U"): 0.91
        case ("RL", "W"): 0.97
        case ("RL", "T"): 0.96
        case ("RL", "O"): 0.95
        case ("RC", "R"): 0.96
        case ("RC", "U"): 0.92
        case ("CR", "H"), ("IR", "H"), ("AR", "H"): 1.5
        case ("CR", "L"), ("IR", "L"), ("AR", "L"): 0.5
        default: 1
        }
    }

    private func privilegeWeight(_ value: String?, changed: Bool) -> Double {
        switch value {
        case "N": 0.85
        case "L": changed ? 0.68 : 0.62
        default: changed ? 0.5 : 0.27
        }
    }

    /// CVSS "Roundup": the smallest one-decimal number not below the input, computed on
    /// integers so that float noise (4.000000001) does not push a score up.
    private func roundUp(_ value: Double) -> Double {
        let scaled = Int((value * 100_000).rounded())
        if scaled % 10_000 == 0 { return Double(scaled) / 100_000 }
        return (Double(scaled / 10_000) + 1) / 10
    }
}
