import BulwarkCore

/// The facts SonarQube's dependency-check plugin packs into a vulnerability message:
/// `Filename: name:version | Reference: CVE-… | CVSS Score: 6.4 | Category: CWE-120 | …`.
enum SonarQubeMessageFacts {
    static func apply(to finding: inout Finding, message: String) {
        let cwes = message.matches(of: #/Category: CWE-(\d{1,5})/#).compactMap { Int($0.1) }
        finding.cwe = cwes.first
        finding.cwes = cwes
        if let cvss = message.firstMatch(of: #/CVSS Score: (\d.\d)/#) {
            finding.cvssV3Score = Double(cvss.1)
        }
        if let line = message.firstMatch(of: #/Filename: .* \| /#) {
            // Greedy up to the last " | " on the line; the component is what precedes the first.
            let afterLabel = line.0.dropFirst("Filename: ".count)
            let component = afterLabel.firstRange(of: " | ").map { afterLabel[..<$0.lowerBound] } ?? afterLabel
            let parts = component.split(separator: ":", omittingEmptySubsequences: false)
            finding.componentName = parts.first.map(String.init) ?? ""
            finding.componentVersion = parts.count > 1 ? String(parts[1]) : nil
        }
        var ids: [String] = []
        for pattern in [#/Reference: (CVE-\d{4}-\d{4,7})/#, #/References: (CVE-\d{4}-\d{4,7})/#] {
            ids += message.matches(of: pattern).map { String($0.1) }
        }
        let ghsa = "[23456789cfghjmpqrvwx]{4}"
        for label in ["Reference", "References"] {
            if let pattern = try? Regex("\(label): (GHSA-\(ghsa)-\(ghsa)-\(ghsa))", as: (Substring, Substring).self) {
                ids += message.matches(of: pattern).map { String($0.1) }
            }
        }
        finding.vulnerabilityIDs = ids
    }
}
