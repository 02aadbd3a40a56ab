// GitLab Dependency Scanning Report — GitLab's dependency scanning security report
// (`gl-dependency-scanning-report.json`).
//
// Formats: the GitLab security report schema for dependency scanning, versions 2.x to 15.x:
// `{"version": …, "vulnerabilities": [ {vulnerability}, … ], "scan": {"scanner": {…}}}`.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/gitlab_dep_scan/{no_vuln,one_vuln,many_vulns}.json,
// plus an old report without `id`/`scan`, Unicode and CRLF, and malformed reports.
//
// Field mapping (DefectDojo dojo/tools/gitlab_dep_scan/parser.py):
//   id (else the deprecated cve) → unique_id_from_tool
//   name, else message, else description, else the id → title, prefixed "<CVE>: " when a CVE is given
//   severity → severity; Undefined or Unknown → Info with "[<severity> severity] " before the title
//   solution → mitigation ("" when absent)       location.file → file_path
//   location.dependency.package.name / .version → component_name / component_version
//   identifiers: cwe → cwe (first) and cwes; cve → vulnerability_ids; the others → references
//   description: "Scanner: <name>", then message and description. scanner_confidence 0
//   (DefectDojo stores its `False`), static true, dynamic false.
// A vulnerability whose id repeats replaces the earlier one in the earlier one's place.
import BulwarkCore

/// Parses GitLab dependency scanning reports (`GitLab Dependency Scanning Report`).
public struct GitlabDepScanParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "GitLab Dependency Scanning Report", label: "GitLab Dependency Scanning Report",
            summary: "Import GitLab Dependency Scanning report in JSON format.", version: 1,
            dedupe: .hashCode(fields: [.title, .vulnerabilityIDs, .filePath, .componentName, .componentVersion])),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let root = LooseFields(
                object: try JSONReportDocument.rootObject(input, format: "GitLab dependency scanning report"), path: "$")
            guard !root.object.isEmpty else { return ParseResult(findings: []) }
            guard root.contains("vulnerabilities") else {
                throw ParseError(
                    .unsupportedFormat, "The report is JSON but not a GitLab security report: \"vulnerabilities\" is missing.",
                    position: .jsonPath("$"))
            }
            let scanner = try root.optionalObject("scan")?.optionalObject("scanner")
            let scannerLabel = scanner?.pythonText("name") ?? "could not be determined"
            var findings = GitlabSecurityReport.FindingList()
            for (index, item) in try root.requiredArray("vulnerabilities").enumerated() {
                let vulnerability = try root.element(item, of: "vulnerabilities", at: index)
                findings.add(try Self.finding(from: vulnerability, scannerLabel: scannerLabel))
            }
            return ParseResult(findings: findings.findings)
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func finding(from vulnerability: LooseFields, scannerLabel: String) throws(ParseError) -> Finding {
        let uniqueID = try GitlabSecurityReport.uniqueID(of: vulnerability)
        var title = try GitlabSecurityReport.title(of: vulnerability, uniqueID: uniqueID)
        var description = "Scanner: \(scannerLabel)\n"
        if let message = vulnerability.pythonText("message") { description += "\(message)\n" }
        if let text = vulnerability.pythonText("description") { description += "\(text)\n" }

        let location = try vulnerability.requiredObject("location")
        let rawSeverity = try vulnerability.requiredValue("severity")
        let severity: Severity
        if rawSeverity == .string("Undefined") || rawSeverity == .string("Unknown") {
            title = "[\(rawSeverity.pythonString) severity] \(title)"
            severity = .info
        } else {
            severity = try Severity.sanitizedOrThrow(rawSeverity.pythonString, at: vulnerability.position("severity"))
        }

        var cwes: [Int] = []
        var cve: String?
        var references = ""
        for identifier in try GitlabSecurityReport.identifiers(of: vulnerability) {
            let type = try identifier.requiredValue("type").pythonString
            let value = try identifier.requiredValue("value")
            switch type.lowercased() {
            case "cwe":
                // DefectDojo keeps the value as given; the database stores it as a number.
                guard let number = value.looseInteger else {
                    throw ParseError(.invalidValue, "CWE \"\(value.pythonString)\" is not a number.", position: identifier.position("value"))
                }
                cwes.append(number)
            case "cve":
                cve = value.pythonString
            default:
                references += try GitlabSecurityReport.reference(from: identifier, type: type, value: value)
            }
        }
        if let cve, !cve.isEmpty { title = "\(cve): \(title)" }

        var finding = Finding(title: title, severity: severity, description: description)
        finding.uniqueIDFromTool = uniqueID
        finding.scannerConfidence = 0
        finding.mitigation = vulnerability.contains("solution") ? try vulnerability.string("solution") : ""
        finding.references = references
        finding.filePath = try location.string("file")
        if let dependency = try location.optionalObject("dependency") {
            finding.componentVersion = try dependency.string("version")
            if let package = try dependency.optionalObject("package") {
                finding.componentName = try package.string("name")
            }
        }
        finding.cwe = cwes.first
        finding.cwes = cwes
        if let cve, !cve.isEmpty { finding.vulnerabilityIDs = [cve] }
        finding.staticFinding = true
        finding.dynamicFinding = false
        return finding
    }
}
