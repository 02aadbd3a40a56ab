// Brakeman Scan — Brakeman (Ruby on Rails static analysis) JSON reports (`brakeman -f json`).
//
// Formats: Brakeman 4.x–6.x JSON: `{"scan_info": {"end_time": …, …}, "warnings": [ {warning}, … ]}`.
// Ignored warnings, errors and obsolete entries are not findings.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/brakeman/{no_vuln,one_vuln,many_vulns}.json, plus a
// render path and Unicode case, a repeated fingerprint and malformed reports.
//
// Field mapping (DefectDojo dojo/tools/brakeman/parser.py):
//   warning_type + ". " + message → title        severity: always Medium
//   file → file_path                             line → line
//   link → references                            scan_info.end_time → date (UTC day)
//   description: file, line (when not null), confidence, then code, user input and the render
//   path (as Python's `json.dumps(…, indent=4)`) when each is not null. impact is "" and
//   static true (dynamic keeps DefectDojo's default, true).
// Warnings with a fingerprint already seen are dropped; order is that of first appearance.
import BulwarkCore

/// Parses Brakeman JSON reports (`Brakeman Scan`).
public struct BrakemanParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Brakeman Scan", label: "Brakeman Scan",
            summary: "Import Brakeman Scanner findings in JSON format.", version: 1, dedupe: .legacy),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let root = LooseFields(object: try JSONReportDocument.rootObject(input, format: "Brakeman report"), path: "$")
            guard root.contains("scan_info"), root.contains("warnings") else {
                throw ParseError(
                    .unsupportedFormat, "The report is JSON but not a Brakeman report: \"scan_info\" and \"warnings\" are required.",
                    position: .jsonPath("$"))
            }
            let date = try Self.scanDate(try root.requiredObject("scan_info"))
            var seen = Set<String>()
            var findings: [Finding] = []
            for (index, item) in try root.requiredArray("warnings").enumerated() {
                let warning = try root.element(item, of: "warnings", at: index)
                let fingerprint = try warning.requiredValue("fingerprint").pythonString
                guard seen.insert(fingerprint).inserted else { continue }
                findings.append(try Self.finding(from: warning, date: date))
            }
            return ParseResult(findings: findings)
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func scanDate(_ scanInfo: LooseFields) throws(ParseError) -> CalendarDate {
        guard let text = try scanInfo.requiredValue("end_time").stringValue else {
            throw ParseError(.invalidValue, "\"end_time\" must be a date text.", position: scanInfo.position("end_time"))
        }
        guard let parsed = DateParsing.flexible(text), let day = parsed.utcCalendarDate else {
            throw ParseError(.invalidValue, "\"end_time\" value \"\(text)\" is not a date.", position: scanInfo.position("end_time"))
        }
        return day
    }

    private static func finding(from warning: LooseFields, date: CalendarDate) throws(ParseError) -> Finding {
        let file = try warning.requiredText("file")
        let line = try warning.requiredValue("line")
        let code = try warning.requiredValue("code")
        let userInput = try warning.requiredValue("user_input")
        let renderPath = try warning.requiredValue("render_path")

        var description = "Filename: \(file)\n"
        if !line.isNull { description += "Line number: \(line.pythonString)\n" }
        description += "Issue Confidence: \(try warning.requiredText("confidence"))\n\n"
        if !code.isNull { description += "Code:\n\(code.pythonString)\n" }
        if !userInput.isNull { description += "User input:\n\(userInput.pythonString)\n" }
        if !renderPath.isNull { description += "Render path details:\n" + renderPath.pythonJSONDumps(indent: 4) }

        let title = try warning.requiredText("warning_type") + ". " + warning.requiredText("message")
        var finding = Finding(title: title, severity: .medium, description: description)
        finding.impact = ""
        let link = try warning.requiredValue("link")
        finding.references = link.isNull ? nil : link.pythonString
        finding.filePath = file
        finding.line = warning.integer("line", nullDefault: nil, absentDefault: nil)
        finding.date = date
        finding.staticFinding = true
        return finding
    }
}
