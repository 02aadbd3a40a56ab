import BulwarkCore
import Foundation

/// Snyk issues to Core findings (spec §4).
enum SnykMapping {
    static func severity(_ raw: String?) -> Severity {
        switch raw?.lowercased() {
        case "critical": return .critical
        case "high": return .high
        case "medium": return .medium
        case "low": return .low
        default: return .info
        }
    }

    static func finding(_ issue: SnykAPI.Issue, orgSlug: String?, project: String, ignoredAsFalsePositive: Bool) -> Finding {
        let attributes = issue.attributes
        let representations = (attributes.coordinates ?? []).flatMap { $0.representations ?? [] }
        let dependency = representations.compactMap(\.dependency).first
        let source = representations.compactMap(\.sourceLocation).first
        var title = attributes.title ?? attributes.key ?? issue.id
        if let package = dependency?.packageName { title += ": \(package)" }
        var finding = Finding(title: FindingText.truncated(title), severity: severity(attributes.effectiveSeverityLevel))
        let problems = attributes.problems ?? []
        let link = orgSlug.map { "https://app.snyk.io/org/\($0)/project/\(project)" }
        let packageText = dependency.map { [$0.packageName, $0.packageVersion].compactMap { $0 }.joined(separator: "@") }
        finding.description = (attributes.description ?? attributes.title ?? title) + FindingText.details([
            ("Type", attributes.type), ("Problems", problems.compactMap(\.id).joined(separator: ", ")), ("Package", packageText),
            ("Risk score", attributes.risk?.score?.value.map { String(Int($0)) }), ("Snyk", link),
        ])
        let remedies = (attributes.coordinates ?? []).flatMap { $0.remedies ?? [] }.compactMap(\.description)
        if !remedies.isEmpty {
            finding.mitigation = remedies.joined(separator: "\n")
        } else if attributes.coordinates?.contains(where: { $0.isUpgradeable == true }) == true {
            finding.mitigation = "Upgrade \(dependency?.packageName ?? "the package") to a fixed version."
        }
        finding.cwe = (attributes.classes ?? []).first { $0.source?.uppercased() == "CWE" }.flatMap { FindingText.firstCWE(in: $0.id) } ?? 0
        finding.vulnerabilityIDs = attributes.type == "code" ? [] : FindingText.vulnerabilityIDs(problems.map(\.id))
        finding.componentName = dependency?.packageName
        finding.componentVersion = dependency?.packageVersion
        finding.filePath = source?.file
        finding.line = source?.region?.start?.line
        if let cvss = attributes.severities?.first(where: { $0.version?.hasPrefix("3") == true }) {
            finding.cvssV3Score = cvss.score
            if let vector = cvss.vector, vector.hasPrefix("CVSS:3") { finding.cvssV3 = vector }
        }
        finding.uniqueIDFromTool = issue.id
        finding.vulnIDFromTool = attributes.key
        finding.date = ToolTimestamp.day(attributes.createdAt)
        finding.references = (problems.compactMap(\.url) + [link].compactMap { $0 }).joined(separator: "\n")
        finding.staticFinding = true
        finding.dynamicFinding = false
        if attributes.status?.lowercased() == "resolved" {
            finding.active = false
            finding.verified = true
            finding.isMitigated = true
            finding.mitigated = ToolTimestamp.instant(attributes.resolution?.resolvedAt)
        } else if attributes.ignored == true {
            finding.active = false
            finding.verified = true
            if ignoredAsFalsePositive { finding.falsePositive = true } else { finding.riskAccepted = true }
        }
        return finding
    }
}
