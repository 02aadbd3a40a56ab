import BulwarkCore

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
