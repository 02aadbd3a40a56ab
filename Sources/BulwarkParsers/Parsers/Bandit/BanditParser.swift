// Bandit Scan — Bandit (Python static analysis) JSON reports (`bandit -f json`).
//
// Formats: the JSON report of Bandit 1.x: `{"generated_at": …, "results": [ {issue}, … ], …}`.
// Other members (errors, metrics) are ignored.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/bandit/{no_vuln,one_vuln,many_vulns}.json, plus
// edge cases (unknown confidence, missing code, Unicode, CRLF) and malformed reports.
//
// Field mapping (DefectDojo dojo/tools/bandit/parser.py):
//   issue_text → title                     issue_severity (title-cased) → severity
//   filename → file_path                   line_number → line
//   generated_at → date (UTC day)          test_name + ":" + test_id → vuln_id_from_tool
//   more_info → references                 issue_confidence HIGH/MEDIUM/LOW → scanner_confidence 2/3/6
//   description: Markdown list of test name, test id, file, line, confidence and the code
//   (code fences inside the code escaped); static true, dynamic false, nb_occurences 1.
// One finding per result, in report order; a report with results must have `generated_at`.
import BulwarkCore
import Foundation

/// Parses Bandit JSON reports (`Bandit Scan`).
public struct BanditParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Bandit Scan", label: "Bandit Scan", summary: "Bandit JSON report format.", version: 1,
            dedupe: .hashCode(fields: [.filePath, .line, .vulnIDFromTool])),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let root = LooseFields(object: try JSONReportDocument.rootObject(input, format: "Bandit JSON report"), path: "$")
            guard root.contains("results") else {
                throw ParseError(
                    .unsupportedFormat, "The report is JSON but not a Bandit report: the \"results\" list is missing.",
                    position: .jsonPath("$"))
            }
            let results = try root.requiredArray("results")
            guard !results.isEmpty else { return ParseResult(findings: []) }
            let date = try Self.reportDate(root)
            var findings: [Finding] = []
            findings.reserveCapacity(results.count)
            for (index, item) in results.enumerated() {
                findings.append(try Self.finding(from: try root.element(item, of: "results", at: index), date: date))
            }
            return ParseResult(findings: findings)
        } catch {
            throw error.naming(scanType)
        }
    }

    /// `generated_at` as a UTC day; DefectDojo cannot date the findings without it.
    private static func reportDate(_ root: LooseFields) throws(ParseError) -> CalendarDate {
        guard let text = try root.requiredValue("generated_at").stringValue else {
            throw ParseError(.invalidValue, "\"generated_at\" must be a date text.", position: root.position("generated_at"))
        }
        guard let parsed = DateParsing.flexible(text), let day = parsed.utcCalendarDate else {
            throw ParseError(.invalidValue, "\"generated_at\" value \"\(text)\" is not a date.", position: root.position("generated_at"))
        }
        return day
    }

    private static func finding(from item: LooseFields, date: CalendarDate) throws(ParseError) -> Finding {
        let testName = try item.requiredText("test_name")
        let testID = try item.requiredText("test_id")
        let fileName = try item.requiredText("filename")
        let lineValue = try item.requiredValue("line_number")
        let confidence = try item.requiredText("issue_confidence")
        let code = (item.pythonText("code") ?? "None").replacingOccurrences(of: "```", with: "\\`\\`\\`")
        let description = [
            "**Test Name:** `\(testName)`",
            "**Test ID:** `\(testID)`",
            "**Filename:** `\(fileName)`",
            "**Line number:** `\(lineValue.pythonString)`",
            "**Issue Confidence:** `\(confidence)`",
            "**Code:**",
            "```",
            code,
            "```",
        ].joined(separator: "\n")

        let severityText = PythonStringCase.title(try item.requiredText("issue_severity"))
        var finding = Finding(
            title: try item.requiredText("issue_text"),
            severity: try Severity.sanitizedOrThrow(severityText, at: item.position("issue_severity")),
            description: description)
        finding.filePath = fileName
        finding.line = item.integer("line_number", nullDefault: nil, absentDefault: nil)
        finding.date = date
        finding.staticFinding = true
        finding.dynamicFinding = false
        finding.vulnIDFromTool = testName + ":" + testID
        finding.numberOfOccurrences = 1
        finding.scannerConfidence = Self.confidences[confidence.lowercased()]
        if item.contains("more_info") { finding.references = try item.string("more_info") }
        return finding
    }

    /// Bandit confidence → DefectDojo's 1 (certain) … 7 (tentative) scale.
    private static let confidences: [String: Int] = ["high": 2, "medium": 3, "low": 6]
}
