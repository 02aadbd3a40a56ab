// Gosec — Go source security checker, JSON output (`gosec -fmt=json`).
//
// Accepts the object gosec writes, `{"Golang errors": …, "Issues": [ … ], "Stats": …}`; only
// `Issues` is read (a null list means no issues). Older and newer gosec versions differ only in
// optional members (`cwe`, `nosec`, `suppressions`, `autofix`), which are handled as optional.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/gosec/{no_vuln,one_vuln,many_vulns}.json, plus
// line_ranges.json (ranges, numeric lines, repeated issues, Unicode), bad_severity.json,
// no_issues_member.json, truncated.json and not_an_object.json.
//
// Field mapping (DefectDojo dojo/tools/gosec/parser.py), one finding per distinct
// (title, file, line); a repeated issue is dropped:
//   "<details> - rule <rule_id>" → title
//   "Filename: …\n\nLine number: …\n\nIssue Confidence: …\n\nCode:\n\n```<code>```" → description
//   severity HIGH/MEDIUM/LOW → High/Medium/Low (Python's str.title(), then sanitised)
//   confidence HIGH/MEDIUM/LOW → scanner_confidence 1/4/7
//   cwe.id (digits only) → cwe, else null; cwe.url → references, else
//   https://securego.io/docs/rules/<rule_id>.html (lower-cased)
//   file → file_path; line "12" → 12, "12-14" → 12, anything else → null
//   impact "", static_finding true (dynamic_finding keeps DefectDojo's default, true).
import BulwarkCore
import Foundation

/// Parses gosec JSON reports (`Gosec Scanner`).
public struct GosecParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Gosec Scanner", label: "Gosec Scanner",
            summary: "Import Gosec Scanner findings in JSON format.", version: 1, dedupe: .legacy),
    ]

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
        var seen = Set<String>()
        _ = try OrderedJSONParser.objectStreamingList(data, member: "Issues", format: "gosec output") { (issue, _) throws(ParseError) in
            let finding = try finding(from: issue)
            // DefectDojo keeps the first issue of each title, file and line.
            let key = finding.title + (finding.filePath ?? "None") + (finding.line.map(String.init) ?? "None")
            if seen.insert(key).inserted { findings.append(finding) }
        }
        return ParseResult(findings: findings)
    }

    private static func finding(from fields: LooseFields) throws(ParseError) -> Finding {
        let details = try fields.required("details")
        let ruleID = try fields.required("rule_id")
        let file = try fields.required("file")
        let code = try fields.required("code")
        let rawLine = try fields.required("line")
        let severityText = try fields.required("severity")
        let confidence = fields.object["confidence"]?.pythonString ?? "None"

        var finding = Finding(
            title: "\(details) - rule \(ruleID)",
            severity: try Severity.sanitizedOrThrow(PythonCase.title(severityText), at: fields.position("severity")),
            description: "Filename: \(file)\n\nLine number: \(rawLine)\n\nIssue Confidence: \(confidence)\n\nCode:\n\n```\(code)```")
        finding.impact = ""
        finding.staticFinding = true
        finding.filePath = file
        finding.line = lineNumber(rawLine)
        finding.scannerConfidence = switch confidence {
        case "HIGH": 1
        case "MEDIUM": 4
        case "LOW": 7
        default: nil
        }
        finding.cwe = nil
        if let cwe = fields.object["cwe"]?.objectValue, !cwe.isEmpty {
            if let id = cwe["id"], id.isTruthy {
                finding.cwe = digitsOnly(id.pythonString).flatMap { Int($0) }
            }
            if let url = cwe["url"], url.isTruthy { finding.references = url.pythonString }
        }
        if finding.references == nil {
            finding.references = "https://securego.io/docs/rules/\(ruleID).html".lowercased()
        }
        return finding
    }

    /// `"12"` → 12 and `"12-14"` → 12 (a range points at its first line); anything else → nil.
    private static func lineNumber(_ raw: String) -> Int? {
        let first = raw.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? raw
        return digitsOnly(first).flatMap { Int($0) }
    }

    private static func digitsOnly(_ text: String) -> String? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return text
    }
}
