import BulwarkCore
import Foundation

/// SonarQube issues and hotspots to findings (spec §1: severity and status tables, field mapping).
enum SonarQubeMapping {
    /// Rule details looked up once per rule key; `nil` when the lookup failed (404, 403).
    struct RuleInfo: Sendable {
        var name: String?
        var description: String
        var howToFix: String?
        var cwe: Int?
    }

    static func severity(_ raw: String?) -> Severity {
        switch raw?.uppercased() {
        case "BLOCKER": return .critical
        case "CRITICAL", "HIGH": return .high
        case "MAJOR", "MEDIUM": return .medium
        case "MINOR", "LOW": return .low
        default: return .info
        }
    }

    static func hotspotSeverity(_ raw: String?) -> Severity {
        switch raw?.uppercased() {
        case "CRITICAL": return .critical
        case "HIGH": return .high
        case "MEDIUM": return .medium
        case "LOW": return .low
        default: return .info
        }
    }

    static func rule(from rule: SonarQubeAPI.Rule) -> RuleInfo {
        let sections = rule.descriptionSections ?? []
        let html = rule.htmlDesc ?? sections.compactMap(\.content).joined(separator: "\n")
        let fix = sections.first { $0.key == "how_to_fix" }?.content
        return RuleInfo(name: rule.name, description: FindingText.plainText(fromHTML: html),
                        howToFix: fix.map { FindingText.plainText(fromHTML: $0) }, cwe: FindingText.firstCWE(in: html))
    }

    static func filePath(_ component: String?, project: String) -> String? {
        guard let component else { return nil }
        let prefix = project + ":"
        return component.hasPrefix(prefix) ? String(component.dropFirst(prefix.count)) : component
    }

    static func issue(_ issue: SonarQubeAPI.Issue, project: String, rule: RuleInfo?, location: String) -> Finding {
        let message = issue.message ?? issue.rule ?? issue.key
        var finding = Finding(title: FindingText.truncated(rule?.name ?? message), severity: severity(issue.severity))
        let link = "\(location)/project/issues?id=\(issue.project ?? project)&open=\(issue.key)"
        finding.description = message + (rule.map { $0.description.isEmpty ? "" : "\n\n" + $0.description } ?? "")
            + FindingText.details([("Rule", issue.rule), ("Type", issue.type), ("Status", [issue.status, issue.resolution].compactMap { $0 }.joined(separator: " / ")),
                                   ("Link", link)])
        finding.mitigation = rule?.howToFix
        finding.cwe = rule?.cwe ?? 0
        finding.filePath = filePath(issue.component, project: project)
        finding.line = issue.line
        finding.uniqueIDFromTool = issue.key
        finding.vulnIDFromTool = issue.rule
        finding.date = ToolTimestamp.day(issue.creationDate)
        finding.references = link
        finding.staticFinding = true
        finding.dynamicFinding = false
        applyIssueStatus(status: issue.status, resolution: issue.resolution, updated: issue.updateDate, to: &finding)
        return finding
    }

    static func applyIssueStatus(status: String?, resolution: String?, updated: String?, to finding: inout Finding) {
        switch (status?.uppercased() ?? "OPEN", resolution?.uppercased()) {
        case ("CONFIRMED", _):
            finding.verified = true
        case ("RESOLVED", "FALSE-POSITIVE"):
            finding.active = false; finding.verified = true; finding.falsePositive = true
        case ("RESOLVED", "WONTFIX"):
            finding.active = false; finding.verified = true; finding.riskAccepted = true
        case ("RESOLVED", _), ("CLOSED", _):
            finding.active = false; finding.isMitigated = true; finding.mitigated = ToolTimestamp.instant(updated)
        default:
            break
        }
    }

    static func hotspot(_ hotspot: SonarQubeAPI.Hotspot, project: String, location: String) -> Finding {
        let message = hotspot.message ?? hotspot.ruleKey ?? hotspot.key
        var finding = Finding(title: FindingText.truncated(message), severity: hotspotSeverity(hotspot.vulnerabilityProbability))
        let link = "\(location)/security_hotspots?id=\(hotspot.project ?? project)&hotspots=\(hotspot.key)"
        finding.description = message + FindingText.details([("Rule", hotspot.ruleKey), ("Category", hotspot.securityCategory),
                                                             ("Status", [hotspot.status, hotspot.resolution].compactMap { $0 }.joined(separator: " / ")),
                                                             ("Link", link)])
        finding.filePath = filePath(hotspot.component, project: project)
        finding.line = hotspot.line
        finding.uniqueIDFromTool = "hotspot:\(hotspot.key)"
        finding.vulnIDFromTool = hotspot.ruleKey
        finding.date = ToolTimestamp.day(hotspot.creationDate)
        finding.references = link
        finding.staticFinding = true
        finding.dynamicFinding = false
        switch (hotspot.status?.uppercased() ?? "TO_REVIEW", hotspot.resolution?.uppercased()) {
        case ("REVIEWED", "ACKNOWLEDGED"):
            finding.verified = true
        case ("REVIEWED", "FIXED"):
            finding.active = false; finding.isMitigated = true; finding.mitigated = ToolTimestamp.instant(hotspot.updateDate)
        case ("REVIEWED", "SAFE"):
            finding.active = false; finding.verified = true; finding.falsePositive = true
        default:
            break
        }
        return finding
    }
}
