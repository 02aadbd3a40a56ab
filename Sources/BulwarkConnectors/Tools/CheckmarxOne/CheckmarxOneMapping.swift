import BulwarkCore
import Foundation

/// Checkmarx ONE results to Core findings (spec §5).
enum CheckmarxOneMapping {
    static func severity(_ text: String?) -> Severity {
        switch text?.uppercased() {
        case "CRITICAL": return .critical
        case "HIGH": return .high
        case "MEDIUM": return .medium
        case "LOW": return .low
        default: return .info
        }
    }

    /// `Maven-org.apache.logging.log4j:log4j-core-2.14.1` → (`org.apache.logging.log4j:log4j-core`, `2.14.1`):
    /// the version after the last `-`, the ecosystem before the first.
    static func component(_ identifier: String?) -> (name: String, version: String?)? {
        guard let identifier, !identifier.isEmpty else { return nil }
        guard let last = identifier.lastIndex(of: "-") else { return (identifier, nil) }
        var name = String(identifier[..<last])
        let version = String(identifier[identifier.index(after: last)...])
        if let first = name.firstIndex(of: "-") { name = String(name[name.index(after: first)...]) }
        return (name, version.isEmpty ? nil : version)
    }

    static func stripSlash(_ path: String?) -> String? {
        guard var path, !path.isEmpty else { return nil }
        while path.hasPrefix("/") { path.removeFirst() }
        return path
    }

    static func finding(_ result: CheckmarxOneAPI.Result, projectID: String, scanID: String, location: String) -> Finding {
        let type = (result.type ?? "result").lowercased()
        let data = result.data
        let details = result.vulnerabilityDetails
        let query = data?.queryName?.replacingOccurrences(of: "_", with: " ")
        let firstNode = data?.nodes?.first
        let component = type.hasPrefix("sca") ? Self.component(data?.packageIdentifier) : nil
        let resultID = result.id ?? result.similarityId?.text ?? "unknown"
        let title: String
        switch type {
        case "sast": title = [query, stripSlash(firstNode?.fileName)].compactMap { $0 }.joined(separator: " in ")
        case _ where type.hasPrefix("sca"): title = [resultID, data?.packageIdentifier].compactMap { $0 }.joined(separator: " in ")
        default: title = query ?? resultID
        }
        var finding = Finding(title: FindingText.truncated(title.isEmpty ? resultID : title), severity: severity(result.severity))
        let overview = "\(location)/projects/\(projectID)/overview"
        var text = result.description ?? FindingText.plainText(fromHTML: result.descriptionHTML)
        if let nodes = data?.nodes, nodes.count > 1 {
            text += "\n\n**Data flow**\n\n" + nodes.prefix(50).map { node in
                "- `\(stripSlash(node.fileName) ?? "?")`:\(node.line.map(String.init) ?? "?") \(node.method ?? "") \(node.name ?? "")"
                    .trimmingCharacters(in: .whitespaces)
            }.joined(separator: "\n")
        }
        finding.description = text + FindingText.details([
            ("Type", type), ("Query", query), ("Group", data?.group), ("Language", data?.languageName), ("Platform", data?.platform),
            ("Package", data?.packageIdentifier), ("Actual value", data?.value), ("Status", result.status), ("State", result.state),
            ("Query id", data?.queryId?.text), ("Scan", scanID), ("Checkmarx ONE", overview),
        ])
        if type.hasPrefix("sca") {
            finding.mitigation = data?.recommendations ?? data?.recommendedVersion.map { "Upgrade to \($0)" }
            finding.fixVersion = data?.recommendedVersion
            finding.fixAvailable = data?.recommendedVersion != nil
        } else if type == "kics" {
            finding.mitigation = data?.expectedValue
        }
        finding.cwe = details?.cweId?.cweNumber ?? 0
        if type.hasPrefix("sca") {
            finding.vulnerabilityIDs = FindingText.vulnerabilityIDs([result.id, details?.cveName].filter { $0?.hasPrefix("CVE-") == true })
        }
        finding.cvssV3Score = details?.cvssScore
        finding.componentName = component?.name
        finding.componentVersion = component?.version
        if type == "sast" {
            finding.filePath = stripSlash(firstNode?.fileName)
            finding.line = firstNode?.line
            finding.sastSourceFilePath = finding.filePath
            finding.sastSourceLine = firstNode?.line
        } else if type == "kics" {
            finding.filePath = stripSlash(data?.fileName)
            finding.line = data?.line
        }
        finding.uniqueIDFromTool = "\(type):\(result.similarityId?.text ?? resultID)"
        finding.vulnIDFromTool = data?.queryId?.text ?? result.id
        finding.date = ToolTimestamp.day(result.firstFoundAt)
        finding.references = overview
        finding.staticFinding = true
        finding.dynamicFinding = false
        finding.tags = [type]
        applyStatus(result, to: &finding)
        return finding
    }

    static func applyStatus(_ result: CheckmarxOneAPI.Result, to finding: inout Finding) {
        switch result.state?.uppercased() {
        case "CONFIRMED", "URGENT":
            finding.verified = true
        case "NOT_EXPLOITABLE":
            finding.active = false; finding.verified = true; finding.falsePositive = true
        default:
            break
        }
        if result.status?.uppercased() == "FIXED", !finding.falsePositive {
            finding.active = false; finding.isMitigated = true
            finding.mitigated = ToolTimestamp.instant(result.foundAt)
        }
    }
}
