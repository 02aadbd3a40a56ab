import BulwarkCore
import Foundation

/// ASFF findings to Core findings (spec §7): severity from `Severity.Label` (else `Normalized`),
/// status from record state, workflow status, compliance status and Inspector's finding status.
enum SecurityHubMapping {
    static func severity(_ value: SecurityHubAPI.Severity?) -> Severity {
        switch value?.Label?.uppercased() {
        case "CRITICAL": return .critical
        case "HIGH": return .high
        case "MEDIUM": return .medium
        case "LOW": return .low
        case "INFORMATIONAL": return .info
        default:
            guard let score = value?.Normalized else { return .info }
            if score >= 90 { return .critical }
            if score >= 70 { return .high }
            if score >= 40 { return .medium }
            return score >= 1 ? .low : .info
        }
    }

    /// The record a finding belongs to: `"<account>/<region>"`.
    static func recordID(account: String, region: String) -> String { "\(account)/\(region)" }

    static func finding(_ item: SecurityHubAPI.Finding) -> Finding {
        let title = item.Title ?? item.GeneratorId ?? item.Id
        var finding = Finding(title: FindingText.truncated(title), severity: severity(item.Severity))
        let resources = (item.Resources ?? []).compactMap { resource -> String? in
            guard let id = resource.Id else { return nil }
            return resource.type.map { "\($0) \(id)" } ?? id
        }
        finding.description = (item.Description ?? title) + FindingText.details([
            ("Product", [item.CompanyName, item.ProductName].compactMap { $0 }.joined(separator: " ")),
            ("Account", item.AwsAccountId), ("Region", item.Region), ("Generator", item.GeneratorId),
            ("Types", (item.Types ?? []).joined(separator: ", ")), ("Resources", resources.joined(separator: ", ")),
            ("Compliance", item.Compliance?.Status), ("Workflow", item.Workflow?.Status ?? item.WorkflowState),
            ("Record state", item.RecordState), ("Finding", item.Id),
        ])
        let vulnerabilities = item.Vulnerabilities ?? []
        let packages = vulnerabilities.flatMap { $0.VulnerablePackages ?? [] }
        var mitigation: [String] = []
        if let text = item.Remediation?.Recommendation?.Text { mitigation.append(text) }
        if let url = item.Remediation?.Recommendation?.Url { mitigation.append(url) }
        for package in packages {
            guard let name = package.Name, let fixed = package.FixedInVersion, !fixed.isEmpty else { continue }
            mitigation.append("Update \(name) \(package.Version ?? "") to \(fixed)".replacingOccurrences(of: "  ", with: " "))
        }
        finding.mitigation = mitigation.isEmpty ? nil : mitigation.joined(separator: "\n")
        finding.vulnerabilityIDs = FindingText.vulnerabilityIDs(vulnerabilities.map(\.Id))
        finding.cwe = FindingText.firstCWE(in: vulnerabilities.compactMap(\.Id).joined(separator: " ")) ?? 0
        if let package = packages.first {
            finding.componentName = package.Name
            finding.componentVersion = package.Version
            finding.filePath = package.FilePath
            finding.fixVersion = package.FixedInVersion
        }
        if let fix = vulnerabilities.compactMap(\.FixAvailable).first { finding.fixAvailable = fix.uppercased() == "YES" }
        if let cvss = vulnerabilities.flatMap({ $0.Cvss ?? [] }).first(where: { $0.Version?.hasPrefix("3") == true }) {
            finding.cvssV3Score = cvss.BaseScore
            if let vector = cvss.BaseVector, vector.hasPrefix("CVSS:3") { finding.cvssV3 = vector }
        }
        finding.uniqueIDFromTool = item.Id
        finding.vulnIDFromTool = item.GeneratorId
        finding.date = ToolTimestamp.day(item.FirstObservedAt) ?? ToolTimestamp.day(item.CreatedAt)
        let references = [item.Remediation?.Recommendation?.Url] + vulnerabilities.map(\.Vendor?.Url)
            + vulnerabilities.flatMap { ($0.ReferenceUrls ?? []).map(Optional.some) }
        var seen = Set<String>()
        finding.references = references.compactMap { $0 }.filter { seen.insert($0).inserted }.joined(separator: "\n")
        if let product = item.ProductName, !product.isEmpty {
            finding.tags = [product.lowercased().replacingOccurrences(of: " ", with: "-")]
        }
        finding.staticFinding = false
        finding.dynamicFinding = true
        applyStatus(item, to: &finding)
        return finding
    }

    /// The status table of spec §7: anything that says "fixed" wins, then suppression, then notification.
    static func applyStatus(_ item: SecurityHubAPI.Finding, to finding: inout Finding) {
        let workflow = (item.Workflow?.Status ?? legacyWorkflow(item.WorkflowState))?.uppercased()
        let inspectorStatus = item.ProductFields?["aws/inspector/FindingStatus"]?.uppercased()
        if item.RecordState?.uppercased() == "ARCHIVED" || workflow == "RESOLVED" {
            mitigate(&finding, at: item.UpdatedAt ?? item.LastObservedAt)
        } else if item.Compliance?.Status?.uppercased() == "PASSED" {
            mitigate(&finding, at: item.LastObservedAt ?? item.UpdatedAt)
        } else if let inspectorStatus, inspectorStatus != "ACTIVE" {
            mitigate(&finding, at: item.UpdatedAt ?? item.LastObservedAt)
        } else if workflow == "SUPPRESSED" {
            finding.active = false
            finding.verified = true
            finding.riskAccepted = true
        } else if workflow == "NOTIFIED" {
            finding.verified = true
        }
    }

    /// The deprecated `WorkflowState` read as a `Workflow.Status` when only it is present.
    static func legacyWorkflow(_ state: String?) -> String? {
        switch state?.uppercased() {
        case "RESOLVED": return "RESOLVED"
        case "DEFERRED": return "SUPPRESSED"
        case "ASSIGNED", "IN_PROGRESS": return "NOTIFIED"
        case "NEW": return "NEW"
        default: return nil
        }
    }

    static func mitigate(_ finding: inout Finding, at time: String?) {
        finding.active = false
        finding.verified = false
        finding.isMitigated = true
        finding.mitigated = ToolTimestamp.instant(time)
    }
}
