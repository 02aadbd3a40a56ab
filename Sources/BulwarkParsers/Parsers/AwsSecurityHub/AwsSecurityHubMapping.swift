import BulwarkCore
import Foundation

/// Maps one Security Hub finding (ASFF) to a ``Finding``, by the product that reported it.
struct AwsSecurityHubMapping {
    let node: JSONValue
    let position: ParseError.Position

    private static let severities: [String: Severity] = [
        "INFORMATIONAL": .info, "LOW": .low, "MEDIUM": .medium, "HIGH": .high, "CRITICAL": .critical,
    ]
    private static let guardDutyTypesLink =
        "[https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-active.html](https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-active.html)"

    /// Security Hub's own controls, Config rules and every product without its own mapping.
    func compliance() throws(ParseError) -> Finding {
        let recommendation = node.member("Remediation")?.member("Recommendation")
        let arns = node.list("Resources").compactMap { $0.text("Id") }.filter { !$0.isEmpty }
        var description = "This is a Security Hub Finding \n\(node.text("Description") ?? "")\n"
        description += "**AWS Finding ARN:** \(id)\n"
        description += "**Resource IDs:** \(Set(arns).sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }.joined(separator: ", "))\n"
        description += "**AwsAccountId:** \(node.text("AwsAccountId") ?? "")\n"
        if let region = node.text("Region"), !region.isEmpty { description += "**Region:** \(region)\n" }
        description += "**Generator ID:** \(node.text("GeneratorId") ?? "")\n"
        var finding = try base(description: description, endpoints: false)
        finding.mitigation = (recommendation?.text("Text") ?? "") + "\n" + (recommendation?.text("Url") ?? "")
        if (node.member("Compliance")?.text("Status") ?? "PASSED") == "PASSED" {
            try markMitigated(&finding)
            finding.active = false
        }
        return finding
    }

    /// Amazon GuardDuty threat findings.
    func guardDuty() throws(ParseError) -> Finding {
        var description = "This is a GuardDuty Finding\n\(node.text("Description") ?? "")\n"
        description += "**AWS Finding ARN:** \(id)\n"
        if let source = node.text("SourceUrl"), !source.isEmpty { description += "**SourceURL:** [\(source)](\(source))\n" }
        description += "**AwsAccountId:** \(node.text("AwsAccountId") ?? "")\n"
        description += "**Region:** \(node.text("Region") ?? "")\n"
        description += "**Generator ID:** \(node.text("GeneratorId") ?? "")\n"
        var finding = try base(description: description, endpoints: true, endpointTypes: ["AwsEcrContainerImage", "AwsEc2Instance"])
        guard let types = node.member("FindingProviderFields")?.member("Types")?.arrayValue else {
            throw ParseError(.missingField, "A GuardDuty finding needs FindingProviderFields.Types.", position: position)
        }
        finding.mitigation = types.map { $0.pythonString + "\n" }.joined() + Self.guardDutyTypesLink
        if node.text("RecordState") != "ACTIVE" { try markMitigated(&finding) }
        return finding
    }

    /// Amazon Inspector vulnerability findings.
    func inspector() throws(ParseError) -> Finding {
        var description = "This is an Inspector Finding\n\(node.text("Description") ?? "")\n"
        description += "**AWS Finding ARN:** \(id)\n"
        description += "**AwsAccountId:** \(node.text("AwsAccountId") ?? "")\n"
        description += "**Region:** \(node.text("Region") ?? "")\n"
        var ids: [String] = []
        var mitigation = ""
        var vendorURLs: [String] = []
        var epss = node.member("EpssScore")?.looseDouble
        var vector: CVSSText.Vector?
        var sawVector = false
        for vulnerability in node.list("Vulnerabilities") {
            let cve = vulnerability.text("Id")
            if let cve, !cve.isEmpty { ids.append(cve) }
            ids += vulnerability.list("RelatedVulnerabilities").map(\.pythonString).filter { $0 != cve }
            for package in vulnerability.list("VulnerablePackages") {
                mitigation += "- Update \(package.text("Name") ?? "")-\(package.text("Version") ?? "")\n"
                if let remediation = package.text("Remediation"), !remediation.isEmpty { mitigation += "\t- \(remediation)\n" }
            }
            if let url = vulnerability.member("Vendor")?.text("Url"), !url.isEmpty { vendorURLs.append(url) }
            if let score = vulnerability.member("EpssScore")?.looseDouble { epss = score }
            for entry in vulnerability.list("Cvss") where !sawVector {
                guard let text = entry.text("BaseVector"), !text.isEmpty else { continue }
                vector = CVSSText.firstVector(in: text)
                sawVector = vector != nil
            }
        }
        var finding = try base(description: description, endpoints: true, leadingReferences: vendorURLs)
        finding.mitigation = mitigation
        finding.vulnerabilityIDs = ids
        finding.epssScore = epss
        if (node.member("ProductFields")?.text("aws/inspector/FindingStatus") ?? "ACTIVE") != "ACTIVE" {
            try markMitigated(&finding)
            finding.active = false
        }
        var justification: [String] = []
        switch vector {
        case .v3(let cvss)?:
            finding.cvssV3 = cvss.cleanVector
            justification.append("CVSS v3 vector: \(cvss.cleanVector)")
        case .v4(let text)?:
            finding.cvssV4 = text
            justification.append("CVSS v4 vector: \(text)")
        default: break
        }
        if let label = node.member("Severity")?.text("Label"), !label.isEmpty { justification.append("AWS severity: \(label)") }
        if !justification.isEmpty { finding.severityJustification = justification.joined(separator: "\n") }
        return finding
    }

    // MARK: Shared parts

    private var id: String { node.text("Id") ?? "" }

    /// Title with the resource suffix, severity, impact, references, component and endpoints.
    private func base(
        description: String, endpoints: Bool, endpointTypes: Set<String>? = nil, leadingReferences: [String] = []
    ) throws(ParseError) -> Finding {
        let label = node.member("Severity")?.text("Label") ?? "INFORMATIONAL"
        var finding = Finding(title: "", severity: Self.severities[label] ?? .info, description: description)
        var impact: [String] = []
        var suffix = ""
        var componentName: String?
        for resource in node.list("Resources") {
            let type = resource.text("Type")
            componentName = type
            let resourceID = resource.text("Id")
            if endpoints, endpointTypes.map({ type.map($0.contains) ?? false }) ?? true {
                let host = "\(type ?? "None")_\(resourceID ?? "None")"
                    .replacingOccurrences(of: ":", with: "_").replacingOccurrences(of: "/", with: "_")
                finding.endpoints.append(EndpointURL(host: host))
            }
            if type == "AwsEcrContainerImage" {
                if let details = resource.member("Details")?.member("AwsEcrContainerImage"), details.isTruthy {
                    impact += [
                        "Image ARN: \(resourceID ?? "None")", "Registry: \(details.pythonText("RegistryId"))",
                        "Repository: \(details.pythonText("RepositoryName"))", "Image digest: \(details.pythonText("ImageDigest"))",
                        "Image tags: \(details.list("ImageTags").map(\.pythonString).joined(separator: ","))",
                    ]
                }
                guard let arn = resourceID, let slash = arn.firstIndex(of: "/") else {
                    throw ParseError(.invalidValue, "An ECR image resource id has no \"/\".", position: position)
                }
                suffix = " - Image: \(arn[arn.index(after: slash)...])"
            } else {
                guard let resourceID else {
                    throw ParseError(.missingField, "A resource has no \"Id\".", position: position)
                }
                let last = resourceID.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? resourceID
                impact.append("Resource: \(last)")
                suffix = " - Resource: \(last)"
            }
        }
        finding.title = (node.text("Title") ?? "") + suffix
        var references = leadingReferences
        if let url = node.member("Remediation")?.member("Recommendation")?.text("Url"), !url.isEmpty { references.append(url) }
        finding.references = references.joined(separator: "\n")
        finding.impact = impact.joined(separator: "\n")
        finding.componentName = componentName
        finding.uniqueIDFromTool = id
        finding.verified = false
        finding.falsePositive = false
        finding.staticFinding = true
        finding.dynamicFinding = false
        return finding
    }

    /// `is_mitigated`, with `mitigated` from LastObservedAt when the report has it.
    private func markMitigated(_ finding: inout Finding) throws(ParseError) {
        finding.isMitigated = true
        guard let observed = node.text("LastObservedAt"), !observed.isEmpty else { return }
        guard let instant = DateParsing.iso8601(observed)?.instant else {
            throw ParseError(.invalidValue, "LastObservedAt \"\(observed)\" is not a date.", position: position)
        }
        finding.mitigated = instant
    }
}
