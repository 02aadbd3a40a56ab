import BulwarkCore

/// One issue of a sonar-report export (HTML table row or JSON issue), with its rule's texts.
struct SonarQubeRuleIssue {
    var title: String
    var severity: Severity
    var filePath: String?
    /// The line as the report writes it (`"190"`, or `nil`).
    var line: String?
    var mitigation: String
    var key: String?
    var description: String
    var references: String
    /// The CWE number as matched in the references (`"79"`), or `"0"`.
    var cwe: String
}

/// The rule texts DefectDojo's sonar-report helper derives from a rule's HTML description.
struct SonarQubeRuleDetails {
    var description: String
    var references: String
    var cwe: String

    /// No rule text in the report.
    static let missing = SonarQubeRuleDetails(description: "No description provided", references: "", cwe: "0")

    /// From the rule's description element: the text up to "See", the rule name plus each
    /// link text as references, the first `CWE-<n>` of those as cwe.
    init(ruleName: String, details: SonarQubeHTMLNode) {
        description = details.ruleDescription
        var references = ruleName
        for link in details.descendants(named: "a") {
            references += "\n" + (link.text ?? "None")
        }
        self.references = references
        cwe = Self.firstCWE(in: references)
    }

    private init(description: String, references: String, cwe: String) {
        self.description = description
        self.references = references
        self.cwe = cwe
    }

    /// The digits after the first `CWE-` (any case); `"0"` without one.
    static func firstCWE(in text: String) -> String {
        guard let match = text.firstMatch(of: #/(?i)CWE-([0-9]*)/#) else { return "0" }
        let digits = String(match.1)
        return digits.isEmpty ? "0" : digits
    }
}

/// DefectDojo's sonar-report severity names: blocker → Critical, critical → High,
/// major → Medium, minor → Low, high/medium/low as is, anything else Info.
enum SonarQubeSeverity {
    static func fromSonar(_ raw: String?) -> Severity {
        switch raw?.lowercased() {
        case "blocker": .critical
        case "critical", "high": .high
        case "major", "medium": .medium
        case "minor", "low": .low
        default: .info
        }
    }
}

/// Turns sonar-report issues into findings, aggregated (`SonarQube Scan`) or one per issue
/// (`SonarQube Scan detailed`).
enum SonarQubeAggregation {
    static func findings(from issues: [SonarQubeRuleIssue], detailed: Bool) -> [Finding] {
        var findings: [Finding] = []
        var indexByKey: [String: Int] = [:]
        for issue in issues {
            let base = issue.cwe + issue.title + issue.description + (issue.filePath ?? "None")
            if detailed {
                var finding = makeFinding(issue, description: issue.description)
                finding.line = issue.line.flatMap { Int($0) }
                finding.uniqueIDFromTool = issue.key
                let key = base + (issue.key ?? "None")
                if let index = indexByKey[key] {
                    findings[index] = finding
                } else {
                    indexByKey[key] = findings.count
                    findings.append(finding)
                }
                continue
            }
            let occurrence = "Line: \(issue.line ?? "None")"
            if let index = indexByKey[base] {
                findings[index].description += "\n" + occurrence
                findings[index].mitigation = (findings[index].mitigation ?? "") + "\n______\n" + issue.mitigation
                findings[index].numberOfOccurrences = (findings[index].numberOfOccurrences ?? 1) + 1
            } else {
                var finding = makeFinding(issue, description: issue.description + "\n\n-----\nOccurences:\n" + occurrence)
                finding.numberOfOccurrences = 1
                indexByKey[base] = findings.count
                findings.append(finding)
            }
        }
        return findings
    }

    private static func makeFinding(_ issue: SonarQubeRuleIssue, description: String) -> Finding {
        var finding = Finding(title: issue.title, severity: issue.severity, description: description)
        finding.cwe = Int(issue.cwe) ?? 0
        finding.filePath = issue.filePath
        finding.mitigation = issue.mitigation
        finding.references = issue.references
        finding.impact = "No impact provided"
        finding.staticFinding = true
        finding.dynamicFinding = false
        return finding
    }
}
