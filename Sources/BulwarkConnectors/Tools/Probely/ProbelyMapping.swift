import BulwarkCore
import Foundation

/// Probely findings to Core findings (spec §10).
enum ProbelyMapping {
    static func severity(_ value: Int?) -> Severity {
        switch value {
        case 40: return .critical
        case 30: return .high
        case 20: return .medium
        case 10: return .low
        default: return .info
        }
    }

    static func finding(_ item: ProbelyAPI.Finding, targetID: String) -> Finding {
        let id = item.id.text
        let name = item.definition?.name ?? "Probely finding \(id)"
        var finding = Finding(title: FindingText.truncated(name), severity: severity(item.severity))
        let link = "https://plus.probely.app/targets/\(targetID)/findings/\(id)"
        let text = FindingText.plainText(fromHTML: item.definition?.desc)
        var description = text.isEmpty ? name : text
        if let evidence = item.evidence, !evidence.isEmpty { description += "\n\n**Evidence**\n\n" + FindingText.truncated(evidence, 4000) }
        finding.description = description + FindingText.details([
            ("URL", item.url), ("Method", item.method?.uppercased()), ("Parameter", item.parameter), ("Insertion point", item.insertion_point),
            ("State", item.state), ("Last found", item.last_found), ("Probely", link),
        ])
        finding.mitigation = item.fix.flatMap { $0.isEmpty ? nil : FindingText.plainText(fromHTML: $0) }
        if let vector = item.cvss_vector, vector.hasPrefix("CVSS:3") { finding.cvssV3 = vector }
        finding.cvssV3Score = item.cvss_score
        if let url = item.url, let endpoint = try? EndpointURL.parse(url) { finding.endpoints = [endpoint.cleaned()] }
        finding.param = item.parameter
        finding.uniqueIDFromTool = "\(targetID):\(id)"
        finding.vulnIDFromTool = item.definition?.id
        finding.date = ToolTimestamp.day(item.first_found) ?? ToolTimestamp.day(item.changed)
        finding.references = link
        finding.staticFinding = false
        finding.dynamicFinding = true
        finding.requestResponsePairs = (item.requests ?? []).prefix(3).map {
            RequestResponsePair(request: FindingText.truncated($0.request ?? "", 20_000), response: FindingText.truncated($0.response ?? "", 20_000))
        }
        switch item.state?.lowercased() {
        case "notfixed", "retesting":
            finding.verified = true
        case "accepted":
            finding.active = false; finding.verified = true; finding.riskAccepted = true
        case "invalid":
            finding.active = false; finding.verified = true; finding.falsePositive = true
        case "fixed":
            finding.active = false; finding.isMitigated = true
            finding.mitigated = ToolTimestamp.instant(item.changed)
        default:
            break
        }
        return finding
    }
}
