import Foundation

/// What DefectDojo's `parse_cvss_data` reads from a CVSS vector text: the version, the cleaned
/// vector, the score it stores and the severity it derives.
struct CVSSVectorData: Equatable {
    enum Version: Equatable { case v3, v4 }

    var version: Version
    /// The vector with metrics in specification order and `X` (not defined) metrics left out.
    var cleanVector: String
    /// CVSS 3.x: the environmental score (the base score when no environmental metric is set).
    /// CVSS 4.0: `nil`; scoring 4.0 needs FIRST's macro-vector table, which is not implemented.
    var score: Double?
    /// The base severity (`None`, `Low`, `Medium`, `High`, `Critical`); `nil` for CVSS 4.0.
    var severity: String?
}

/// Finds and scores CVSS vectors in text the way DefectDojo does through the `cvss` library:
/// candidates are runs of vector characters (optionally after a `CVSS:3.x/` or `CVSS:4.x/`
/// prefix) of 26 characters or more; the first one that is a valid 3.x or 4.0 vector wins.
/// CVSS 2 vectors are not read.
enum CVSSVectorText {
    static func parse(_ text: String) -> CVSSVectorData? {
        for candidate in candidates(in: text) {
            if candidate.hasPrefix("CVSS:3.") {
                if let data = CVSS3Vector(candidate)?.data { return data }
            } else if candidate.hasPrefix("CVSS:4.") {
                if let data = CVSS4Vector(candidate)?.data { return data }
            }
        }
        return nil
    }

    /// Non-overlapping matches of `(?:CVSS:[3-4]\.\d/)?[A-Za-z:/]{26,}`, left to right.
    static func candidates(in text: String) -> [String] {
        let bytes = Array(text.utf8)
        func isVectorByte(_ byte: UInt8) -> Bool {
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x3A || byte == 0x2F
        }
        func prefixLength(at index: Int) -> Int {
            let prefix = Array("CVSS:".utf8)
            guard index + 9 <= bytes.count, Array(bytes[index..<index + 5]) == prefix,
                  (0x33...0x34).contains(bytes[index + 5]), bytes[index + 6] == 0x2E,
                  (0x30...0x39).contains(bytes[index + 7]), bytes[index + 8] == 0x2F else { return 0 }
            return 9
        }
        func runLength(from index: Int) -> Int {
            var end = index
            while end < bytes.count, isVectorByte(bytes[end]) { end += 1 }
            return end - index
        }
        var matches: [String] = []
        var index = 0
        while index < bytes.count {
            let prefix = prefixLength(at: index)
            if prefix > 0, runLength(from: index + prefix) >= 26 {
                let end = index + prefix + runLength(from: index + prefix)
                matches.append(String(decoding: bytes[index..<end], as: UTF8.self))
                index = end
            } else if runLength(from: index) >= 26 {
                let end = index + runLength(from: index)
                matches.append(String(decoding: bytes[index..<end], as: UTF8.self))
                index = end
            } else {
                index += 1
            }
        }
        return matches
    }

    /// Splits `CVSS:x.y/K:V/…` into ordered metric pairs; `nil` for an empty field, a trailing
    /// `/`, a field that is not one `K:V` pair, an unknown metric or value, or a repeated metric.
    static func metrics(of vector: String, allowed: [(String, Set<String>)]) -> [String: String]? {
        guard !vector.hasSuffix("/") else { return nil }
        let known = Dictionary(allowed.map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
        var metrics: [String: String] = [:]
        for field in vector.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            let pair = field.split(separator: ":", omittingEmptySubsequences: false)
            guard pair.count == 2, let values = known[String(pair[0])], values.contains(String(pair[1])),
                  metrics[String(pair[0])] == nil else { return nil }
            metrics[String(pair[0])] = String(pair[1])
        }
        return metrics
    }

    /// The vector rebuilt in specification order without `X` values.
    static func clean(prefix: String, metrics: [String: String], order: [(String, Set<String>)]) -> String {
        let fields = order.compactMap { name, _ in metrics[name].flatMap { $0 == "X" ? nil : "\(name):\($0)" } }
        return prefix + "/" + fields.joined(separator: "/")
    }
}

/// A CVSS 4.0 vector, validated and cleaned (not scored).
private struct CVSS4Vector {
    private static let metricOrder: [(String, Set<String>)] = [
        ("AV", ["N", "A", "L", "P"]), ("AC", ["L", "H"]), ("AT", ["N", "P"]), ("PR", ["N", "L", "H"]),
        ("UI", ["N", "P", "A"]), ("VC", ["H", "L", "N"]), ("VI", ["H", "L", "N"]), ("VA", ["H", "L", "N"]),
        ("SC", ["H", "L", "N"]), ("SI", ["H", "L", "N"]), ("SA", ["H", "L", "N"]), ("E", ["X", "A", "P", "U"]),
        ("CR", ["X", "H", "M", "L"]), ("IR", ["X", "H", "M", "L"]), ("AR", ["X", "H", "M", "L"]),
        ("MAV", ["X", "N", "A", "L", "P"]), ("MAC", ["X", "L", "H"]), ("MAT", ["X", "N", "P"]),
        ("MPR", ["X", "N", "L", "H"]), ("MUI", ["X", "N", "P", "A"]), ("MVC", ["X", "H", "L", "N"]),
        ("MVI", ["X", "H", "L", "N"]), ("MVA", ["X", "H", "L", "N"]), ("MSC", ["X", "H", "L", "N"]),
        ("MSI", ["X", "S", "H", "L", "N"]), ("MSA", ["X", "S", "H", "L", "N"]), ("S", ["X", "N", "P"]),
        ("AU", ["X", "N", "Y"]), ("R", ["X", "A", "U", "I"]), ("V", ["X", "D", "C"]), ("RE", ["X", "L", "M", "H"]),
        ("U", ["X", "Clear", "Green", "Amber", "Red"]),
    ]
    private static let mandatory = ["AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA"]

    let data: CVSSVectorData

    init?(_ vector: String) {
        guard vector.hasPrefix("CVSS:4.0/"),
              let metrics = CVSSVectorText.metrics(of: vector, allowed: Self.metricOrder),
              Self.mandatory.allSatisfy({ metrics[$0] != nil }) else { return nil }
        data = CVSSVectorData(
            version: .v4, cleanVector: CVSSVectorText.clean(prefix: "CVSS:4.0", metrics: metrics, order: Self.metricOrder),
            score: nil, severity: nil)
    }
}
