// Horusec — multi-language SAST orchestrator, JSON output (`horusec start -o json`).
//
// Accepts the analysis object Horusec 2.x writes: `version`, `status`, `errors`, `createdAt`
// and `analysisVulnerabilities`, a list of `{"vulnerabilities": {details, severity, confidence,
// file, line, language, code, …}}`. Reports of 2.6 to 2.8 share this shape.
//
// The report names its tool, so the result carries tool type and test name "Horusec", the
// version (without its leading "v") and a test description with the status and errors, as
// DefectDojo's `get_tests` does.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/horusec/{no_vuln,one_vuln,many_vulns}.json, plus
// edge_cases.json (empty and non-numeric lines, NUL and fences in code, multi-line details,
// Unicode, CRLF), bad_confidence.json, truncated.json, not_horusec.json, missing_vulnerabilities.json.
//
// Field mapping (DefectDojo dojo/tools/horusec/parser.py):
//   first line of details → title; last line of details, then "**Code:**" and the code in a
//   fence tagged with the language (``` doubled, NUL removed) → description
//   severity → Python str.title() (CRITICAL → Critical …), then sanitised
//   confidence LOW/MEDIUM/HIGH → scanner_confidence 7/4/1
//   file → file_path; line (digits only) → line; report createdAt → date (its UTC day).
import BulwarkCore
import Foundation

/// Parses Horusec JSON reports (`Horusec Scan`).
public struct HorusecParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Horusec Scan", label: "Horusec Scan", summary: "JSON output of Horusec cli.", version: 1,
            dedupe: .hashCode(fields: [.title, .description, .filePath, .line]), namesToolInReport: true),
    ]

    private static let confidences = ["LOW": 7, "MEDIUM": 4, "HIGH": 1]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do {
            return try Self.parseReport(try input.readData())
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func parseReport(_ data: Data) throws(ParseError) -> ParseResult {
        var findings: [Finding] = []
        let report = try OrderedJSONParser.objectStreamingList(
            data, member: "analysisVulnerabilities", format: "Horusec output"
        ) { (item, _) throws(ParseError) in
            guard case .object(let vulnerability)? = item.object["vulnerabilities"] else {
                throw ParseError(.missingField, "Each analysis vulnerability needs a \"vulnerabilities\" object.", position: item.position("vulnerabilities"))
            }
            findings.append(try finding(from: LooseFields(object: vulnerability, path: item.position("vulnerabilities").description)))
        }
        let fields = LooseFields(object: report, path: "$")
        guard let createdText = try fields.string("createdAt") else {
            throw ParseError(.missingField, "Required field \"createdAt\" is missing.", position: .jsonPath("$"))
        }
        // Every finding is dated with the analysis (DefectDojo's get_tests parses createdAt).
        guard let created = DateParsing.flexible(createdText), let date = created.utcCalendarDate else {
            throw ParseError(.invalidValue, "\"createdAt\" value \"\(createdText)\" is not a date.", position: fields.position("createdAt"))
        }
        for index in findings.indices { findings[index].date = date }
        let version = try fields.string("version").map { PythonString.lstrip($0, ["v"]) }
        let errors = try fields.string("errors") ?? ""
        let description = [
            "**Status:** \(report["status"]?.pythonString ?? "None")", "**Errors:**", "```",
            PythonString.replace(errors, "```", "``````"), "```",
        ].joined(separator: "\n")
        return ParseResult(findings: findings, toolType: "Horusec", testName: "Horusec", toolVersion: version, testDescription: description)
    }

    private static func finding(from fields: LooseFields) throws(ParseError) -> Finding {
        let detailLines = PythonString.split(try fields.required("details"), "\n")
        let code = PythonString.replace(PythonString.replace(try fields.required("code"), "```", "``````"), "\u{0}", "")
        let description = [
            detailLines.last ?? "", "**Code:**", "```\(try fields.required("language"))", code, "```",
        ].joined(separator: "\n")
        let severityText = PythonCase.title(try fields.required("severity"))
        var finding = Finding(
            title: detailLines.first ?? "",
            severity: try Severity.sanitizedOrThrow(severityText, at: fields.position("severity")),
            description: description)
        finding.filePath = try fields.required("file")
        let confidence = try fields.required("confidence")
        guard let scannerConfidence = confidences[confidence] else {
            throw ParseError(.invalidValue, "Confidence \"\(confidence)\" is not one of LOW, MEDIUM, HIGH.", position: fields.position("confidence"))
        }
        finding.scannerConfidence = scannerConfidence
        if let line = try fields.string("line"), !line.isEmpty, line.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            finding.line = Int(line)
        }
        return finding
    }
}
