// Sysdig Vulnerability Report — Sysdig Secure pipeline, registry and runtime vulnerability
// reports (CSV or JSON).
//
// Formats: the Vulnerability Engine CSV (`Vulnerability ID`, `Severity`, `Package name`, …, `K8S
// cluster name`, …) and its 2025 successor (`Vulnerability Name`, `Vulnerability Severity`,
// `Kubernetes …`), header case ignored; the UI's JSON report (`data[]`, camelCase members) and its
// 2025 form (`panels[0].data[]`, snake_case members). The file name decides (`.csv` / `.json`);
// without a name the content does (a leading `{` means JSON); other names are refused.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/sysdig_reports/{no_vuln,one_vuln,many_vulns}.csv,
// {no_vuln,one_vuln,many_vulns,panels_2025}.json, many_vulns_2025.csv, plus malformed variants.
//
// Field mapping (DefectDojo dojo/tools/sysdig_reports/parser.py and sysdig_common):
//   CSV: "<cluster> - <namespace> - <package> - <id>" for runtime rows, else "<id> - <package>"
//   → title; id → vuln_id_from_tool and vulnerability_ids; severity (unknown → Info); cluster,
//   namespace, workload, package, version, in-use and id tags; runtime rows are dynamic, others
//   static; runtime, cloud, registry, vulnerability, package and image details → description;
//   package path → file_path; suggested fix → mitigation; vuln link → references; risk accepted;
//   CVSS 3.x score and cleaned vector (rows whose CVSS version or 3.x score is not a number are
//   left out, as DefectDojo skips them).
//   JSON: "<vulnName>_<fix version>" → title; image, Kubernetes, CVSS, dates and package lines →
//   description; fix availability, version and suggested fix → mitigation; vulnLink →
//   references; package → component; vulnName → vulnerability_ids; static true.
import BulwarkCore
import Foundation

/// Parses Sysdig Secure vulnerability reports (`Sysdig Vulnerability Report`).
public struct SysdigReportsParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Sysdig Vulnerability Report", label: "Sysdig Vulnerability Report Scan",
            summary: "Import of Sysdig Pipeline, Registry and Runtime Vulnerability Report Scans in CSV format or a Sysdig UI JSON Report",
            version: 1, dedupe: .legacy),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            switch try SysdigFormat.of(input) {
            case .other:
                throw ParseError(.unsupportedFormat, "Expected CSV or JSON  file")
            case .json:
                let report = try JSONReport.object(try JSONReport.read(input), tool: "Sysdig")
                if report["data"] != nil { return ParseResult(findings: Self.jsonFindings(report)) }
                if let panel = report.list("panels").first, panel["data"] != nil {
                    return ParseResult(findings: Self.jsonFindings(panel))
                }
                let reason = report["result"] != nil
                    ? "JSON file is not in the expected format, it looks like a Sysdig CLI report."
                    : "JSON file is not in the expected format, expected data element"
                throw ParseError(.unsupportedFormat, reason, position: .jsonPath("$"))
            case .csv:
                let rows = try SysdigCSVRow.rows(try input.readData(), flavor: .reports)
                return ParseResult(findings: rows.compactMap(Self.csvFinding))
            }
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func csvFinding(_ row: SysdigCSVRow) -> Finding? {
        let runtime = !row.clusterName.isEmpty
        let title = runtime
            ? "\(row.clusterName) - \(row.namespaceName) - \(row.packageName) - \(row.vulnerabilityID)"
            : "\(row.vulnerabilityID) - \(row.packageName)"
        var finding = Finding(title: title, severity: row.severity)
        finding.vulnIDFromTool = row.vulnerabilityID
        finding.vulnerabilityIDs = [row.vulnerabilityID]
        finding.componentName = row.packageName
        finding.componentVersion = row.packageVersion
        var tags: [String] = []
        if runtime { tags.append("Cluster:" + row.clusterName) }
        if !row.namespaceName.isEmpty { tags.append("Namespace:" + row.namespaceName) }
        if !row.workloadName.isEmpty { tags.append("WorkloadName:" + row.workloadName) }
        if !row.packageName.isEmpty { tags.append("PackageName:" + row.packageName) }
        if !row.packageVersion.isEmpty { tags.append("PackageVersion:" + row.packageVersion) }
        if runtime { tags.append("InUse:" + (row.inUse ? "True" : "False")) }
        if !row.vulnerabilityID.isEmpty { tags.append("VulnId:" + row.vulnerabilityID) }
        finding.tags = tags.map(SysdigCSVRow.cleanTag)
        finding.dynamicFinding = runtime
        finding.staticFinding = !runtime

        var text = ""
        if runtime {
            text += "###Runtime Context \(row.clusterName)\n - **Cluster:** \(row.clusterName)"
            text += "\n - **Namespace:** \(row.namespaceName)\n - **Workload Name:** \(row.workloadName) "
            text += "\n - **Workload Type:** \(row.workloadType) \n - **Container Name:** \(row.containerName)"
        }
        if !row.cloudProviderName.isEmpty || !row.cloudProviderRegion.isEmpty {
            text += "\n\n###Cloud Details"
        }
        if !row.cloudProviderName.isEmpty { text += "\n - **Cloud Provider Name:** \(row.cloudProviderName)" }
        if !row.cloudProviderRegion.isEmpty { text += "\n - **Cloud Provider Region:** \(row.cloudProviderRegion)" }
        if !row.registryName.isEmpty || !row.registryRepository.isEmpty || !row.registryVendor.isEmpty {
            text += "\n\n###Registry Details"
        }
        if !row.registryName.isEmpty { text += "\n - **Registry Name:** \(row.registryName)" }
        if !row.registryRepository.isEmpty { text += "\n - **Registry Image Repository:** \(row.registryRepository)" }
        if !row.registryVendor.isEmpty { text += "\n - **Registry Vendor:** \(row.registryVendor)" }
        text += "\n\n###Vulnerability Details"
        text += "\n - **Vulnerability ID:** \(row.vulnerabilityID)\n - **Vulnerability Link:** \(row.vulnLink)"
        text += "\n - **Severity:** \(row.severityText)\n - **Publish Date:** \(row.publishDate)"
        text += "\n - **CVSS Version:** \(row.cvssVersion)\n - **CVSS Vector:** \(row.cvssVector)"
        if !row.publicExploit.isEmpty { text += "\n - **Public Exploit:** \(row.publicExploit)" }
        text += "\n\n###Package Details"
        text += row.packageType == "os"
            ? "\n - **Package Type: \(row.packageType) \\* Consider upgrading your Base OS \\***"
            : "\n - **Package Type:** \(row.packageType)"
        text += "\n - **Package Name:** \(row.packageName)\n - **Package Version:** \(row.packageVersion)"
        text += "\n - **In-Use:** \(row.inUse ? "True" : "False")"
        if !row.packagePath.isEmpty {
            text += "\n - **Package Path:** \(row.packagePath)"
            finding.filePath = row.packagePath
        }
        if !row.suggestedFix.isEmpty {
            finding.mitigation = "Package suggested fix version: \(row.suggestedFix)"
                + (row.packageType == "os" ? "\n\\*** Consider upgrading your Base OS \\***" : "")
            text += "\n - **Package suggested fix version:** \(row.suggestedFix)"
        }
        text += "\n\n###Image Details\n - **Image Name:** \(row.image)\n - **Image OS:** \(row.osName)\n - **Image ID:** \(row.imageID)"
        if !row.registryName.isEmpty {
            text += "\n - **Registry Name:** \(row.registryName)\n - **Registy Image Repository:** \(row.registryRepository)"
        }
        finding.description = text
        guard SysdigCVSS.apply(version: row.cvssVersion, score: row.cvssScore, vector: row.cvssVector, to: &finding) else { return nil }
        finding.riskAccepted = row.riskAccepted
        if !row.vulnLink.isEmpty { finding.references = row.vulnLink }
        return finding
    }

    /// Old camelCase member first, then the 2025 snake_case one, with Python's `or`.
    private static func field(_ item: JSONValue, _ old: String, _ new: String? = nil) -> String {
        if let value = item.member(old), value.isTruthy { return value.pythonString }
        guard let new, let value = item[new] else { return "" }
        return value.pythonString
    }

    private static func jsonFindings(_ container: JSONValue) -> [Finding] {
        guard let items = container.member("data"), items.isTruthy else { return [] }
        var findings: [Finding] = []
        for item in items.arrayValue ?? [] {
            let vulnName = field(item, "vulnName", "vuln_id"), fixVersion = field(item, "vulnFixVersion", "vuln_fixed_in_version")
            let packageName = field(item, "packageName", "scan_package_name")
            let packageVersion = field(item, "packageVersion", "scan_package_version")
            let suggestedFix = field(item, "packageSuggestedFix")
            let lines: [(String, String)] = [
                ("imageId", field(item, "imageId", "container_image_id")),
                ("imagePullString", field(item, "imagePullString", "container_image")),
                ("osName", field(item, "osName", "container_image_distro")),
                ("k8sClusterName", field(item, "k8sClusterName", "kubernetes_cluster_name")),
                ("k8sNamespaceName", field(item, "k8sNamespaceName", "kubernetes_namespace_name")),
                ("k8sWorkloadType", field(item, "k8sWorkloadType", "kubernetes_workload_type")),
                ("k8sWorkloadName", field(item, "k8sWorkloadName", "kubernetes_workload_name")),
                ("k8sPodContainerName", field(item, "k8sPodContainerName", "kubernetes_pod_container_name")),
                ("vulnCvssVersion", field(item, "vulnCvssVersion", "vuln_cvss_version")),
                ("vulnCvssScore", field(item, "vulnCvssScore", "vuln_cvss_score")),
                ("vulnCvssVector", field(item, "vulnCvssVector", "vuln_cvss_vector")),
                ("vulnDisclosureDate", field(item, "vulnDisclosureDate", "vuln_disclosure_date")),
                ("vulnSolutionDate", field(item, "vulnSolutionDate", "vuln_fix_available_date")),
                ("vulnExploitable", field(item, "vulnExploitable", "vuln_has_exploit")),
                ("packageName", packageName),
                ("packageType", field(item, "packageType", "scan_package_type")),
                ("packagePath", field(item, "packagePath", "scan_package_path")),
                ("packageVersion", packageVersion),
                ("packageSuggestedFix", suggestedFix),
                ("k8sPodCount", field(item, "k8sPodCount")),
            ]
            let severity = SysdigCSVRow.severity(field(item, "vulnSeverity", "vuln_severity")).0
            var finding = Finding(
                title: "\(vulnName)_\(fixVersion)", severity: severity,
                description: lines.map { "\($0.0): \($0.1)\n" }.joined())
            finding.mitigation = "vulnFixAvailable: \(field(item, "vulnFixAvailable", "vuln_fix_available"))\n"
                + "vulnFixVersion: \(fixVersion)\nsuggestedFix: \(suggestedFix)\n"
            finding.staticFinding = true
            finding.references = field(item, "vulnLink")
            finding.componentName = packageName
            finding.componentVersion = packageVersion
            if !vulnName.isEmpty { finding.vulnerabilityIDs = [vulnName] }
            findings.append(finding)
        }
        return findings
    }
}
