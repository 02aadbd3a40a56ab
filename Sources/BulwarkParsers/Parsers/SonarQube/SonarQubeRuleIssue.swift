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
