import Foundation

/// A CVSS 3.0/3.1 vector with the scores DefectDojo stores, computed in decimal arithmetic
/// (as the `cvss` library does) from the formulas of the CVSS 3.0 and 3.1 specifications.
struct CVSS3Vector {
    private static let metricOrder: [(String, Set<String>)] = [
        ("AV", ["N", "A", "L", "P"]), ("AC", ["L", "H"]), ("PR", ["N", "L", "H"]), ("UI", ["N", "R"]),
        ("S", ["U", "C"]), ("C", ["H", "L", "N"]), ("I", ["H", "L", "N"]), ("A", ["H", "L", "N"]),
        ("E", ["X", "H", "F", "P", "U"]), ("RL", ["X", "U", "W", "T", "O"]), ("RC", ["X", "C", "R", "U"]),
        ("CR", ["X", "H", "M", "L"]), ("IR", ["X", "H", "M", "L"]), ("AR", ["X", "H", "M", "L"]),
        ("MAV", ["X", "N", "A", "L", "P"]), ("MAC", ["X", "L", "H"]), ("MPR", ["X", "N", "L", "H"]),
        ("MUI", ["X", "N", "R"]), ("MS", ["X", "U", "C"]), ("MC", ["X", "H", "L", "N"]),
        ("MI", ["X", "H", "L", "N"]), ("MA", ["X", "H", "L", "N"]),
    ]
    private static let mandatory = ["AV", "AC", "PR", "UI", "S", "C", "I", "A"]

    private static let weightTexts: [String: [String: String]] = [
        "AV": ["N": "0.85", "A": "0.62", "L": "0.55", "P": "0.2"],
        "AC": ["L": "0.77", "H": "0.44"],
        "UI": ["N": "0.85", "R": "0.62"],
        "CIA": ["H": "0.56", "L": "0.22", "N": "0"],
        "E": ["X": "1", "H": "1", "F": "0.97", "P": "0.94", "U": "0.91"],
        "RL": ["X": "1", "U": "1", "W": "0.97", "T": "0.96", "O": "0.95"],
        "RC": ["X": "1", "C": "1", "R": "0.96", "U": "0.92"],
        "REQ": ["X": "1", "H": "1.5", "M": "1", "L": "0.5"],
    ]
    private static let weights: [String: [String: Decimal]] = weightTexts.mapValues { $0.mapValues(decimal) }

    let data: CVSSVectorData

    init?(_ vector: String) {
        let minor: Int
        if vector.hasPrefix("CVSS:3.0/") {
            minor = 0
        } else if vector.hasPrefix("CVSS:3.1/") {
            minor = 1
        } else {
            return nil
        }
        guard let metrics = CVSSVectorText.metrics(of: vector, allowed: Self.metricOrder),
              Self.mandatory.allSatisfy({ metrics[$0] != nil }) else { return nil }
        let base = Self.baseScore(metrics)
        data = CVSSVectorData(
            version: .v3, cleanVector: CVSSVectorText.clean(prefix: "CVSS:3.\(minor)", metrics: metrics, order: Self.metricOrder),
            score: Self.double(Self.environmentalScore(metrics, minorVersion: minor)), severity: Self.severity(of: base))
    }

    // MARK: Scores

    private static func baseScore(_ metrics: [String: String]) -> Decimal {
        let changed = metrics["S"] == "C"
        let iss = 1 - (1 - weight("CIA", metrics["C"])) * (1 - weight("CIA", metrics["I"])) * (1 - weight("CIA", metrics["A"]))
        let impact = changed ? decimal("7.52") * (iss - decimal("0.029")) - decimal("3.25") * power(iss - decimal("0.02"), 15)
            : decimal("6.42") * iss
        guard impact > 0 else { return 0 }
        let exploitability = decimal("8.22") * weight("AV", metrics["AV"]) * weight("AC", metrics["AC"])
            * privileges(metrics["PR"], scopeChanged: changed) * weight("UI", metrics["UI"])
        return roundUp(min((changed ? decimal("1.08") : 1) * (impact + exploitability), 10))
    }

    private static func environmentalScore(_ metrics: [String: String], minorVersion: Int) -> Decimal {
        // Modified metrics that are absent or X take the base metric's value.
        func modified(_ name: String) -> String? {
            let value = metrics["M" + name]
            return value == nil || value == "X" ? metrics[name] : value
        }
        let changed = modified("S") == "C"
        let miss = min(
            1 - (1 - weight("CIA", modified("C")) * weight("REQ", metrics["CR"]))
                * (1 - weight("CIA", modified("I")) * weight("REQ", metrics["IR"]))
                * (1 - weight("CIA", modified("A")) * weight("REQ", metrics["AR"])),
            decimal("0.915"))
        let impact: Decimal
        if !changed {
            impact = decimal("6.42") * miss
        } else if minorVersion == 0 {
            impact = decimal("7.52") * (miss - decimal("0.029")) - decimal("3.25") * power(miss - decimal("0.02"), 15)
        } else {
            impact = decimal("7.52") * (miss - decimal("0.029")) - decimal("3.25") * power(miss * decimal("0.9731") - decimal("0.02"), 13)
        }
        guard impact > 0 else { return 0 }
        let exploitability = decimal("8.22") * weight("AV", modified("AV")) * weight("AC", modified("AC"))
            * privileges(modified("PR"), scopeChanged: changed) * weight("UI", modified("UI"))
        let capped = roundUp(min((changed ? decimal("1.08") : 1) * (impact + exploitability), 10))
        return roundUp(capped * weight("E", metrics["E"]) * weight("RL", metrics["RL"]) * weight("RC", metrics["RC"]))
    }

    private static func severity(of score: Decimal) -> String {
        if score == 0 { return "None" }
        if score < 4 { return "Low" }
        if score < 7 { return "Medium" }
        if score < 9 { return "High" }
        return "Critical"
    }

    // MARK: Arithmetic

    private static func privileges(_ value: String?, scopeChanged: Bool) -> Decimal {
        switch value {
        case "N": decimal("0.85")
        case "L": scopeChanged ? decimal("0.68") : decimal("0.62")
        default: scopeChanged ? decimal("0.5") : decimal("0.27")
        }
    }

    /// The weight of a metric value; absent optional metrics weigh as `X`.
    private static func weight(_ table: String, _ value: String?) -> Decimal {
        weights[table]?[value ?? "X"] ?? 1
    }

    private static func decimal(_ text: String) -> Decimal {
        Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) ?? 0
    }

    private static func power(_ value: Decimal, _ exponent: Int) -> Decimal {
        var result = Decimal(1)
        for _ in 0..<exponent { result *= value }
        return result
    }

    /// The smallest one-decimal number not below the value.
    private static func roundUp(_ value: Decimal) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, 1, .up)
        return result
    }

    private static func double(_ value: Decimal) -> Double {
        Double(NSDecimalNumber(decimal: value).stringValue) ?? 0
    }
}
