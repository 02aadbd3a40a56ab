// GitLab SAST Report — GitLab's SAST security report (`gl-sast-report.json`).
//
// Formats: the GitLab security report schema for SAST, versions 2.x to 15.x:
// `{"version": …, "vulnerabilities": [ {vulnerability}, … ], "scan": {"scanner": {…}}}`. The
// scanner named in `scan` names the test (DefectDojo `get_tests`), e.g. "Semgrep Scan (GitLab SAST Report)".
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/gitlab_sast/{no_vuln,one_vuln,many_vulns}.json,
// plus an old report without `id`/`scan`, Unicode and CRLF, and malformed reports.
//
// Field mapping (DefectDojo dojo/tools/gitlab_sast/parser.py):
//   id (else the deprecated cve) → unique_id_from_tool
//   name, else message, else description, else the id → title
//   severity → severity; missing, Undefined or Unknown → Info with "[<severity> severity] " before the title
//   confidence Confirmed/High/Medium/Low/Experimental → scanner_confidence 1/3/4/6/7
//   solution → mitigation ("" when absent)     location.file → file_path
//   location.end_line, else start_line → line   class#method → sast source and sink object
//   identifiers: numeric cwe → cwe (first) and cwes; cve → vulnerability_ids; the others → references
//   description: "Scanner: <name>", then message and description. static true, dynamic false.
// A vulnerability whose id repeats replaces the earlier one in the earlier one's place.
import BulwarkCore

/// Parses GitLab SAST reports (`GitLab SAST Report`).
public struct GitlabSastParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "GitLab SAST Report", label: "GitLab SAST Report",
            summary: "GitLab SAST report file can be imported in JSON format (option --json).", version: 1,
            dedupe: .hashCode(), namesToolInReport: true),
    ]

    private static let confidences: [String: Int] = ["Confirmed": 1, "High": 3, "Medium": 4, "Low": 6, "Experimental": 7]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let root = LooseFields(object: try JSONReportDocument.rootObject(input, format: "GitLab SAST report"), path: "$")
            guard !root.object.isEmpty else { return ParseResult(findings: []) }
            guard root.contains("vulnerabilities") else {
                throw ParseError(
                    .unsupportedFormat, "The report is JSON but not a GitLab security report: \"vulnerabilities\" is missing.",
                    position: .jsonPath("$"))
            }
            let scan = try root.optionalObject("scan")
            let scanner = try scan?.optionalObject("scanner")
            let scannerName = scanner?.pythonText("name")
            let scannerLabel = scannerName ?? "Could not be determined"
            var findings = GitlabSecurityReport.FindingList()
            for (index, item) in try root.requiredArray("vulnerabilities").enumerated() {
                let vulnerability = try root.element(item, of: "vulnerabilities", at: index)
                findings.add(try Self.finding(from: vulnerability, scannerLabel: scannerLabel))
            }
            let version = scanner?.object["version"].flatMap { $0.isNull ? nil : $0.pythonString }
            return ParseResult(findings: findings.findings, toolType: scannerName, testName: scannerName, toolVersion: version)
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

        let severity: Severity
        let rawSeverity = vulnerability.object["severity"]
        if rawSeverity == nil || rawSeverity == .null || rawSeverity == .string("Undefined") || rawSeverity == .string("Unknown") {
            title = "[\(rawSeverity?.pythonString ?? "None") severity] \(title)"
            severity = .info
        } else {
            severity = try Severity.sanitizedOrThrow(rawSeverity?.pythonString ?? "", at: vulnerability.position("severity"))
        }

        var finding = Finding(title: title, severity: severity, description: description)
        finding.uniqueIDFromTool = uniqueID
        finding.scannerConfidence = vulnerability.object["confidence"]?.stringValue.flatMap { confidences[$0] }
        finding.mitigation = vulnerability.contains("solution") ? try vulnerability.string("solution") : ""
        try locate(&finding, at: try vulnerability.requiredObject("location"))
        try classify(&finding, by: vulnerability)
        finding.staticFinding = true
        finding.dynamicFinding = false
        return finding
    }

    private static func locate(_ finding: inout Finding, at location: LooseFields) throws(ParseError) {
        finding.filePath = try location.string("file")
        finding.line = location.integer("start_line", nullDefault: nil, absentDefault: nil)
        var sastObject: String?
        if let className = location.pythonText("class"), let method = location.pythonText("method") {
            sastObject = "\(className)#\(method)"
        } else {
            sastObject = location.pythonText("class") ?? location.pythonText("method")
        }
        if let sastObject {
            finding.sastSourceObject = sastObject
            finding.sastSinkObject = sastObject
            finding.sastSourceFilePath = finding.filePath
            finding.sastSourceLine = finding.line
        }
        if location.contains("end_line") {
            finding.line = location.integer("end_line", nullDefault: nil, absentDefault: nil)
        }
    }

    /// CWEs, the CVE and references from `identifiers`.
    private static func classify(_ finding: inout Finding, by vulnerability: LooseFields) throws(ParseError) {
        var cwes: [Int] = []
        var cve: String?
        var references = ""
        for identifier in try GitlabSecurityReport.identifiers(of: vulnerability) {
            let type = try identifier.requiredValue("type").pythonString
            let value = try identifier.requiredValue("value")
            switch type.lowercased() {
            case "cwe":
                // DefectDojo keeps integers and all-digit texts; other CWE values are ignored.
                if case .integer(let number) = value {
                    cwes.append(number)
                } else if let text = value.stringValue, !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                          let number = Int(text) {
                    cwes.append(number)
                }
            case "cve":
                cve = value.pythonString
            default:
                references += try GitlabSecurityReport.reference(from: identifier, type: type, value: value)
            }
        }
        finding.references = references
        finding.cwe = cwes.first
        finding.cwes = cwes
        if let cve, !cve.isEmpty { finding.vulnerabilityIDs = [cve] }
    }
}
