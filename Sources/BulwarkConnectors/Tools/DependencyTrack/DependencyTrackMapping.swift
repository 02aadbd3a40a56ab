import BulwarkCore
import Foundation

/// Dependency-Track findings to Core findings (spec §2).
enum DependencyTrackMapping {
    static func severity(_ vulnerability: DependencyTrackAPI.Vulnerability) -> Severity {
        switch vulnerability.severity?.uppercased() {
        case "CRITICAL": return .critical
        case "HIGH": return .high
        case "MEDIUM": return .medium
        case "LOW": return .low
        case "INFO": return .info
        default:
            guard let score = vulnerability.cvssV3BaseScore else { return .info }
            if score >= 9 { return .critical }
            if score >= 7 { return .high }
            if score >= 4 { return .medium }
            return score > 0 ? .low : .info
        }
    }

    static func finding(_ item: DependencyTrackAPI.Finding, location: String) -> Finding {
        let vulnerability = item.vulnerability, component = item.component
        let vulnID = vulnerability.vulnId ?? vulnerability.uuid ?? "unknown"
        let name = component.name ?? "unknown"
        let version = component.version ?? ""
        var finding = Finding(title: FindingText.truncated("\(vulnID): \(name):\(version)"), severity: severity(vulnerability))
        let uiLink = vulnerability.source.map { "\(location)/vulnerabilities/\($0)/\(vulnID)" }
        var text = [vulnerability.title, vulnerability.description].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n\n")
        if text.isEmpty { text = vulnID }
        finding.description = text + FindingText.details([
            ("Component", component.purl ?? [component.group, component.name].compactMap { $0 }.joined(separator: "/")),
            ("Version", component.version), ("Analyzer", item.attribution?.analyzerIdentity), ("Analysis", item.analysis?.state),
        ])
        finding.mitigation = vulnerability.recommendation ?? "Upgrade \(name) beyond \(version)"
        finding.cwe = vulnerability.cweId ?? vulnerability.cwes?.first?.cweId ?? 0
        finding.cwes = (vulnerability.cwes ?? []).compactMap(\.cweId)
        let aliases = (vulnerability.aliases ?? []).flatMap { [$0.cveId, $0.ghsaId, $0.sonatypeId, $0.osvId, $0.snykId, $0.gsdId, $0.vulnDbId] }
        finding.vulnerabilityIDs = FindingText.vulnerabilityIDs([vulnerability.vulnId] + aliases)
        finding.componentName = component.group.map { "\($0)/\(name)" } ?? name
        finding.componentVersion = component.version
        finding.uniqueIDFromTool = item.matrix ?? [component.uuid, vulnerability.uuid].compactMap { $0 }.joined(separator: ":")
        finding.vulnIDFromTool = vulnID
        finding.cvssV3Score = vulnerability.cvssV3BaseScore
        finding.epssScore = vulnerability.epssScore
        finding.epssPercentile = vulnerability.epssPercentile
        finding.date = ToolTimestamp.day(item.attribution?.attributedOn)
        finding.references = [item.attribution?.referenceUrl, uiLink].compactMap { $0 }.joined(separator: "\n")
        finding.staticFinding = true
        finding.dynamicFinding = false
        applyStatus(item.analysis, to: &finding)
        return finding
    }

    static func applyStatus(_ analysis: DependencyTrackAPI.Analysis?, to finding: inout Finding) {
        switch analysis?.state?.uppercased() {
        case "EXPLOITABLE":
            finding.verified = true
        case "FALSE_POSITIVE", "NOT_AFFECTED":
            finding.active = false; finding.verified = true; finding.falsePositive = true
        case "RESOLVED":
            finding.active = false; finding.verified = true; finding.isMitigated = true
        default:
            break
        }
        if analysis?.isSuppressed == true, finding.active {
            finding.active = false; finding.verified = true; finding.riskAccepted = true
        }
    }
}
