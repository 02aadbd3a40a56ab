// Hadolint — Dockerfile linter, JSON output (`hadolint -f json Dockerfile …`).
//
// Accepts the top-level array hadolint writes, one object per rule violation:
// `{"line": 4, "code": "DL3008", "message": "…", "column": 1, "file": "Dockerfile", "level": "warning"}`.
// Reports of one or several Dockerfiles look the same (each entry names its file).
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/hadolint/{no_vuln,one_vuln,many_vulns}.json, plus
// repeated_entries.json (same place twice, missing level, Unicode, CRLF), truncated.json,
// not_a_list.json and missing_code.json.
//
// Field mapping (DefectDojo dojo/tools/hadolint/parser.py):
//   "<code>: <message>" → title; "Vulnerability ID: <code>\nDetails: <message>" → description
//   level error → Critical, warning → High, anything else or missing → Info
//   file → file_path, line → line; static_finding true, dynamic_finding false.
// Entries at the same line, column, code and file collapse into one finding that keeps the
// first entry's position in the list and the last entry's content (Python dict semantics).
import BulwarkCore
import Foundation

/// Parses hadolint JSON reports (`Hadolint Dockerfile check`).
public struct HadolintParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Hadolint Dockerfile check", label: "Hadolint Dockerfile check",
            summary: "Import Hadolint Dockerfile check findings in JSON format.", version: 1,
            dedupe: .hashCode()),
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
        guard let entries = try OrderedJSONParser.parse(data).arrayValue else {
            throw ParseError(.unsupportedFormat, "The report is JSON but not hadolint output: expected a list of rule violations.", position: .jsonPath("$"))
        }
        var findings: [Finding] = []
        var positions: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            let path = "$[\(index)]"
            guard let object = entry.objectValue else {
                throw ParseError(.invalidValue, "Each rule violation must be an object.", position: .jsonPath(path))
            }
            let fields = LooseFields(object: object, path: path)
            let finding = try finding(from: fields)
            let key = try [member(fields, "line"), "-", member(fields, "column"), member(fields, "code"), member(fields, "file")].joined()
            if let position = positions[key] {
                findings[position] = finding
            } else {
                positions[key] = findings.count
                findings.append(finding)
            }
        }
        return ParseResult(findings: findings)
    }

    private static func finding(from fields: LooseFields) throws(ParseError) -> Finding {
        let code = try member(fields, "code")
        let message = try member(fields, "message")
        let severity: Severity = switch fields.object["level"] {
        case .string("error")?: .critical
        case .string("warning")?: .high
        default: .info
        }
        var finding = Finding(
            title: "\(code): \(message)", severity: severity,
            description: PythonText.strip("Vulnerability ID: \(code)\nDetails: \(message)\n"))
        finding.filePath = try fields.string("file")
        finding.line = fields.integer("line", nullDefault: nil, absentDefault: nil)
        finding.staticFinding = true
        finding.dynamicFinding = false
        return finding
    }

    /// A member DefectDojo reads with `node[...]`: absent is an error; the value as Python's `str()`.
    private static func member(_ fields: LooseFields, _ key: String) throws(ParseError) -> String {
        guard let value = fields.object[key] else {
            throw ParseError(.missingField, "Required field \"\(key)\" is missing.", position: fields.position())
        }
        return value.pythonString
    }
}
