import BulwarkCore
import Foundation

/// Burp Suite DAST scan issues to Core findings (spec §9). Identity is the issue type and the URL:
/// serial numbers change from one scan to the next.
enum BurpDASTMapping {
    static func severity(_ text: String?) -> Severity {
        switch text?.lowercased() {
        case "high": return .high
        case "medium": return .medium
        case "low": return .low
        default: return .info
        }
    }

    /// The `href` targets of an HTML fragment, in order.
    static func links(in html: String?) -> [String] {
        guard let html, let regex = try? NSRegularExpression(pattern: "href\\s*=\\s*\"([^\"]+)\"", options: [.caseInsensitive]) else { return [] }
        return regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).compactMap { match in
            Range(match.range(at: 1), in: html).map { String(html[$0]).replacingOccurrences(of: "&amp;", with: "&") }
        }
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return text
    }

    static func finding(_ issue: BurpDASTAPI.Issue, scan: BurpDASTAPI.Scan, tentativeAsInfo: Bool = false) -> Finding {
        let type = issue.issue_type
        let url = (issue.origin ?? "") + (issue.path ?? "")
        let name = type?.name ?? "Burp issue \(type?.type_index ?? "")"
        var finding = Finding(title: FindingText.truncated(name), severity: severity(issue.severity))
        let text = FindingText.plainText(fromHTML: nonEmpty(issue.description_html) ?? type?.description_html)
        finding.description = (text.isEmpty ? name : text) + FindingText.details([
            ("URL", url), ("Confidence", issue.confidence), ("Issue type", type?.type_index), ("Serial number", issue.serial_number), ("Scan", scan.id),
        ])
        let remediation = FindingText.plainText(fromHTML: nonEmpty(issue.remediation_html) ?? type?.remediation_html)
        finding.mitigation = remediation.isEmpty ? nil : remediation
        let classifications = type?.vulnerability_classifications_html
        finding.cwe = FindingText.firstCWE(in: classifications) ?? 0
        finding.cwes = links(in: classifications).compactMap { FindingText.firstCWE(in: $0) }
        finding.references = links(in: type?.references_html).joined(separator: "\n")
        if !url.isEmpty, let endpoint = try? EndpointURL.parse(url) { finding.endpoints = [endpoint.cleaned()] }
        finding.uniqueIDFromTool = "\(type?.type_index ?? "unknown"):\(url)"
        finding.vulnIDFromTool = type?.type_index
        finding.date = ToolTimestamp.day(scan.start_time)
        finding.staticFinding = false
        finding.dynamicFinding = true
        finding.verified = issue.confidence?.lowercased() == "certain"
        if tentativeAsInfo, issue.confidence?.lowercased() == "tentative" { finding.severity = .info }
        return finding
    }
}
