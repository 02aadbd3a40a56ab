import BulwarkCore
import Foundation

/// Wiz issues and vulnerability findings to Core findings (spec §6).
enum WizMapping {
    static func severity(_ text: String?) -> Severity {
        switch text?.uppercased() {
        case "CRITICAL": return .critical
        case "HIGH": return .high
        case "MEDIUM": return .medium
        case "LOW": return .low
        default: return .info
        }
    }

    /// A host endpoint for an entity whose name is a DNS-style name, else none.
    static func hostEndpoint(_ name: String?) -> [EndpointURL] {
        guard let name, !name.isEmpty, name.count <= 253,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }) else { return [] }
        return [EndpointURL(host: name.lowercased())]
    }

    static func issue(_ issue: WizAPI.Issue) -> Finding {
        let rule = issue.sourceRule
        let entity = issue.entitySnapshot
        let title = rule?.name ?? issue.type ?? issue.id
        var finding = Finding(title: FindingText.truncated(title), severity: severity(issue.severity))
        let link = "https://app.wiz.io/issues#~(issue~'\(issue.id))"
        let ruleText = rule?.controlDescription ?? rule?.cloudConfigurationRuleDescription ?? rule?.cloudEventRuleDescription ?? title
        finding.description = ruleText + FindingText.details([
            ("Issue type", issue.type), ("Rule", rule?.typename), ("Resource", entity?.name), ("Resource type", entity?.nativeType ?? entity?.type),
            ("Cloud", entity?.cloudPlatform), ("Region", entity?.region),
            ("Account", [entity?.subscriptionName, entity?.subscriptionExternalId.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")),
            ("Provider id", entity?.providerId), ("Status", issue.status), ("Resolution", issue.resolutionReason), ("Wiz", link),
        ])
        finding.mitigation = rule?.resolutionRecommendation ?? rule?.remediationInstructions
        finding.uniqueIDFromTool = "issue:\(issue.id)"
        finding.vulnIDFromTool = rule?.id
        finding.date = ToolTimestamp.day(issue.createdAt)
        finding.references = link
        finding.staticFinding = false
        finding.dynamicFinding = true
        finding.endpoints = hostEndpoint(entity?.name)
        switch issue.status?.uppercased() {
        case "IN_PROGRESS":
            finding.verified = true
        case "RESOLVED":
            finding.active = false; finding.isMitigated = true
            finding.mitigated = ToolTimestamp.instant(issue.resolvedAt) ?? ToolTimestamp.instant(issue.statusChangedAt)
        case "REJECTED":
            finding.active = false; finding.verified = true
            if issue.resolutionReason?.uppercased() == "FALSE_POSITIVE" { finding.falsePositive = true } else { finding.riskAccepted = true }
        default:
            break
        }
        return finding
    }

    static func vulnerability(_ vulnerability: WizAPI.Vulnerability) -> Finding {
        let package = [vulnerability.detailedName, vulnerability.version].compactMap { $0 }.joined(separator: " ")
        let name = vulnerability.name ?? vulnerability.id
        var finding = Finding(title: FindingText.truncated(package.isEmpty ? name : "\(name) in \(package)"),
                              severity: severity(vulnerability.severity))
        let asset = vulnerability.vulnerableAsset
        finding.description = (vulnerability.description ?? vulnerability.CVEDescription ?? name) + FindingText.details([
            ("Package", package), ("Fixed version", vulnerability.fixedVersion), ("Location", vulnerability.locationPath),
            ("Asset", asset?.name), ("Asset type", asset?.type), ("Cloud", asset?.cloudPlatform), ("Region", asset?.region),
            ("Account", asset?.subscriptionName), ("Status", vulnerability.status), ("Wiz", vulnerability.portalUrl),
        ])
        var mitigation: [String] = []
        if let fixed = vulnerability.fixedVersion, !fixed.isEmpty { mitigation.append("Upgrade \(vulnerability.detailedName ?? "the package") to \(fixed)") }
        if let text = vulnerability.remediation, !text.isEmpty { mitigation.append(text) }
        finding.mitigation = mitigation.isEmpty ? nil : mitigation.joined(separator: "\n\n")
        finding.fixVersion = vulnerability.fixedVersion
        finding.fixAvailable = vulnerability.fixedVersion.map { !$0.isEmpty }
        finding.vulnerabilityIDs = FindingText.vulnerabilityIDs([vulnerability.name])
        finding.componentName = vulnerability.detailedName
        finding.componentVersion = vulnerability.version
        finding.filePath = vulnerability.locationPath
        finding.cvssV3Score = vulnerability.score
        finding.uniqueIDFromTool = "vuln:\(vulnerability.id)"
        finding.vulnIDFromTool = vulnerability.name
        finding.date = ToolTimestamp.day(vulnerability.firstDetectedAt)
        finding.references = [vulnerability.portalUrl, vulnerability.link].compactMap { $0 }.joined(separator: "\n")
        finding.staticFinding = true
        finding.dynamicFinding = false
        switch vulnerability.status?.uppercased() {
        case "RESOLVED", "FIXED":
            finding.active = false; finding.isMitigated = true
            finding.mitigated = ToolTimestamp.instant(vulnerability.resolvedAt)
        case "IGNORED", "REJECTED":
            finding.active = false; finding.verified = true; finding.riskAccepted = true
        default:
            break
        }
        return finding
    }
}
