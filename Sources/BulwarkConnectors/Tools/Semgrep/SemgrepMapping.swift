import BulwarkCore
import Foundation

/// Semgrep SAST and SCA findings to Core findings (spec §3).
enum SemgrepMapping {
    static func severity(_ raw: String?) -> Severity {
        switch raw?.lowercased() {
        case "critical": return .critical
        case "high": return .high
        case "medium": return .medium
        case "low": return .low
        default: return .info
        }
    }

    static func finding(_ item: SemgrepAPI.Finding, deployment: String) -> Finding {
        let ruleName = item.ruleName ?? item.rule?.name ?? "Semgrep finding"
        var finding = Finding(title: FindingText.truncated(ruleName), severity: severity(item.severity))
        let link = item.id.map { "https://semgrep.dev/orgs/\(deployment)/findings/\($0)" }
        let place = item.location.map { [$0.filePath, $0.line.map(String.init)].compactMap { $0 }.joined(separator: ":") }
        finding.description = (item.ruleMessage ?? item.rule?.message ?? ruleName)
            + FindingText.details([("Location", place), ("Code", item.lineOfCodeURL), ("Ref", item.ref), ("Semgrep", link)])
        var mitigation: [String] = []
        if let guidance = item.assistant?.guidance {
            mitigation += [guidance.summary, guidance.instructions].compactMap { $0 }
        }
        if let fix = item.assistant?.autofix?.fixCode { mitigation.append("Suggested fix:\n\n```\n\(fix)\n```") }
        if let recommended = item.fixRecommendations?.first, let version = recommended.version {
            mitigation.append("Upgrade \(recommended.package ?? item.foundDependency?.package ?? "the dependency") to \(version)")
            finding.fixAvailable = true
            finding.fixVersion = version
        }
        finding.mitigation = mitigation.isEmpty ? nil : mitigation.joined(separator: "\n\n")
        finding.cwe = item.rule?.cweNames?.first.flatMap { FindingText.firstCWE(in: $0) } ?? 0
        finding.vulnerabilityIDs = FindingText.vulnerabilityIDs([item.vulnerabilityIdentifier])
        finding.filePath = item.location?.filePath
        finding.line = item.location?.line
        finding.componentName = item.foundDependency?.package
        finding.componentVersion = item.foundDependency?.version
        finding.uniqueIDFromTool = item.matchBasedID ?? item.id.map(String.init)
        finding.vulnIDFromTool = ruleName
        finding.date = ToolTimestamp.day(item.createdAt)
        finding.references = [item.lineOfCodeURL, link].compactMap { $0 }.joined(separator: "\n")
        finding.staticFinding = true
        finding.dynamicFinding = false
        switch item.status?.lowercased() {
        case "fixing":
            finding.verified = true
        case "ignored":
            finding.active = false
            finding.verified = true
            if item.triageReason?.lowercased() == "false_positive" { finding.falsePositive = true } else { finding.riskAccepted = true }
        case "fixed", "removed":
            finding.active = false
            finding.isMitigated = true
            finding.mitigated = ToolTimestamp.instant(item.stateUpdatedAt)
        default:
            break
        }
        return finding
    }
}
