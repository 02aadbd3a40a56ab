import Foundation

/// Finds CVSS vectors in text the way the `cvss` Python library's `parse_cvss_from_text` does
/// (a run of at least 26 letters, colons and slashes, optionally after a `CVSS:3.x/` or
/// `CVSS:4.x/` prefix), keeping the ones that are valid vectors of their version.
///
/// DefectDojo's `parse_cvss_data` takes the first vector found: CVSS 4.0 gives `cvssv4`, 3.x
/// gives `cvssv3` with the environmental score, 2.0 gives neither (but still counts as found).
enum CVSSText {
    /// One valid vector.
    enum Vector {
        /// A CVSS 2.0 vector (no prefix).
        case v2
        /// A CVSS 3.0 or 3.1 vector.
        case v3(CVSS3Calculator)
        /// A CVSS 4.0 vector, as written.
        case v4(String)
    }

    /// The first valid vector in `text`, or `nil`.
    static func firstVector(in text: String) -> Vector? {
        for candidate in candidates(in: text) {
            if candidate.hasPrefix("CVSS:4.") {
                if isValidV4(candidate) { return .v4(candidate) }
            } else if candidate.hasPrefix("CVSS:3.") {
                if let vector = CVSS3Calculator(candidate) { return .v3(vector) }
            } else if isValidV2(candidate) {
                return .v2
            }
        }
        return nil
    }

    /// The first valid CVSS 3.x vector in `text` when the first valid vector is one.
    static func firstV3(in text: String) -> CVSS3Calculator? {
        if case .v3(let vector)? = firstVector(in: text) { return vector }
        return nil
    }

    /// DefectDojo's severity for a CVSS 3 base score (`severities()[0]`): 0 gives Info.
    static func severity(ofScore score: Double) -> String {
        switch score {
        case 9...: "Critical"
        case 7..<9: "High"
        case 4..<7: "Medium"
        case 0.1..<4: "Low"
        default: "Info"
        }
    }

    /// The regular expression's matches, left to right and non-overlapping.
    private static func candidates(in text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        func isVectorCharacter(_ scalar: Unicode.Scalar) -> Bool {
            scalar == ":" || scalar == "/" || (scalar.isASCII && scalar.properties.isAlphabetic)
        }
        func prefixLength(at index: Int) -> Int {
            let prefix = Array("CVSS:".unicodeScalars)
            guard index + 9 <= scalars.count, Array(scalars[index..<index + 5]) == prefix,
                  scalars[index + 5] == "3" || scalars[index + 5] == "4", scalars[index + 6] == ".",
                  ("0"..."9").contains(scalars[index + 7]), scalars[index + 8] == "/" else { return 0 }
            return 9
        }
        var found: [String] = []
        var index = 0
        while index < scalars.count {
            var matched = false
            for prefix in Set([prefixLength(at: index), 0]).sorted(by: >) {
                var end = index + prefix
                while end < scalars.count, isVectorCharacter(scalars[end]) { end += 1 }
                if end - (index + prefix) >= 26 {
                    found.append(String(String.UnicodeScalarView(scalars[index..<end])))
                    index = end
                    matched = true
                    break
                }
            }
            if !matched { index += 1 }
        }
        return found
    }

    private static func metrics(_ parts: ArraySlice<Substring>) -> [String: String]? {
        var metrics: [String: String] = [:]
        for part in parts {
            let pair = part.split(separator: ":", omittingEmptySubsequences: false)
            guard pair.count == 2, metrics[String(pair[0])] == nil else { return nil }
            metrics[String(pair[0])] = String(pair[1])
        }
        return metrics
    }

    private static func isValid(_ metrics: [String: String], allowed: [String: Set<String>], mandatory: [String]) -> Bool {
        mandatory.allSatisfy { metrics[$0] != nil }
            && metrics.allSatisfy { allowed[$0.key]?.contains($0.value) == true }
    }

    private static let v2Allowed: [String: Set<String>] = [
        "AV": ["L", "A", "N"], "AC": ["H", "M", "L"], "Au": ["M", "S", "N"], "C": ["N", "P", "C"], "I": ["N", "P", "C"],
        "A": ["N", "P", "C"], "E": ["U", "POC", "F", "H", "ND"], "RL": ["OF", "TF", "W", "U", "ND"],
        "RC": ["UC", "UR", "C", "ND"], "CDP": ["N", "L", "LM", "MH", "H", "ND"], "TD": ["N", "L", "M", "H", "ND"],
        "CR": ["L", "M", "H", "ND"], "IR": ["L", "M", "H", "ND"], "AR": ["L", "M", "H", "ND"],
    ]

    private static func isValidV2(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard let metrics = metrics(parts[...]) else { return false }
        return isValid(metrics, allowed: v2Allowed, mandatory: ["AV", "AC", "Au", "C", "I", "A"])
    }

    private static let v4Allowed: [String: Set<String>] = {
        let impact: Set<String> = ["H", "L", "N"]
        let modifiedImpact: Set<String> = ["X", "H", "L", "N"]
        let requirement: Set<String> = ["X", "H", "M", "L"]
        return [
            "AV": ["N", "A", "L", "P"], "AC": ["L", "H"], "AT": ["N", "P"], "PR": ["N", "L", "H"], "UI": ["N", "P", "A"],
            "VC": impact, "VI": impact, "VA": impact, "SC": impact, "SI": impact, "SA": impact,
            "E": ["X", "A", "P", "U"], "CR": requirement, "IR": requirement, "AR": requirement,
            "MAV": ["X", "N", "A", "L", "P"], "MAC": ["X", "L", "H"], "MAT": ["X", "N", "P"], "MPR": ["X", "N", "L", "H"],
            "MUI": ["X", "N", "P", "A"], "MVC": modifiedImpact, "MVI": modifiedImpact, "MVA": modifiedImpact,
            "MSC": modifiedImpact, "MSI": modifiedImpact.union(["S"]), "MSA": modifiedImpact.union(["S"]),
            "S": ["X", "N", "P"], "AU": ["X", "N", "Y"], "R": ["X", "A", "U", "I"], "V": ["X", "D", "C"],
            "RE": ["X", "L", "M", "H"], "U": ["X", "Clear", "Green", "Amber", "Red"],
        ]
    }()

    private static func isValidV4(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.first == "CVSS:4.0", let metrics = metrics(parts.dropFirst()) else { return false }
        return isValid(metrics, allowed: v4Allowed, mandatory: ["AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA"])
    }
}
