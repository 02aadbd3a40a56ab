// KICS — Checkmarx "Keeping Infrastructure as Code Secure", JSON results (`kics scan --report-formats json`).
//
// Accepts the results object KICS writes (`{"kics_version": …, "queries": [ {query with
// "files": [ … ]} ], "severity_counters": …}`); only `queries` is read. KICS 1.x reports of
// every minor version share this shape (newer ones add members that are ignored).
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/kics/{no_vuln,one_vuln,many_vulns}.json, plus
// repeated_files.json (repeated occurrences, missing optional members, unknown severity,
// Unicode), truncated.json, not_kics.json and queries_not_a_list.json.
//
// Field mapping (DefectDojo dojo/tools/kics/parser.py), one finding per distinct
// (platform, category, issue type, file, expected value, line); repeats count in nb_occurences:
//   "<category>: <query_name>" → title
//   query description, then **Platform:**, **Category:**, **Issue type:**, **Actual value:**
//   lines (each only when non-empty) → description
//   severity CRITICAL/HIGH/MEDIUM/LOW/INFO → Critical/High/Medium/Low/Info, anything else → Medium
//   expected_value → mitigation; file_name → file_path; line → line; platform → component_name
//   query_url → references; active true, verified false.
import BulwarkCore
import Foundation

/// Parses KICS JSON results (`KICS Scan`).
public struct KicsParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "KICS Scan", label: "KICS Scan", summary: "Import JSON output for KICS scan report.",
            version: 1, dedupe: .hashCode(fields: [.filePath, .line, .severity, .description, .title])),
    ]

    private static let severities: [String: Severity] = [
        "CRITICAL": .critical, "HIGH": .high, "MEDIUM": .medium, "LOW": .low, "INFO": .info,
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
        var positions: [String: Int] = [:]
        _ = try OrderedJSONParser.objectStreamingList(data, member: "queries", format: "KICS results") { (queryFields, _) throws(ParseError) in
            let query = queryFields.object
            let queryPath = queryFields.path
            for (fileIndex, fileValue) in (try queryFields.list("files") ?? []).enumerated() {
                let filePath = "\(queryPath).files[\(fileIndex)]"
                guard let file = fileValue.objectValue else {
                    throw ParseError(.invalidValue, "Each file entry must be an object.", position: .jsonPath(filePath))
                }
                let fileFields = LooseFields(object: file, path: filePath)
                // DefectDojo's key: the texts run together, absent ones spelled as Python's None.
                let key = ["platform", "category"].map { query[$0]?.pythonString ?? "None" }.joined()
                    + ["issue_type", "file_name", "expected_value", "line"].map { file[$0]?.pythonString ?? "None" }.joined()
                if let position = positions[key] {
                    findings[position].numberOfOccurrences = (findings[position].numberOfOccurrences ?? 1) + 1
                } else {
                    positions[key] = findings.count
                    findings.append(try finding(query: queryFields, file: fileFields))
                }
            }
        }
        return ParseResult(findings: findings)
    }

    private static func finding(query: LooseFields, file: LooseFields) throws(ParseError) -> Finding {
        var description = (query.object["description"]?.pythonString ?? "") + "\n"
        let labelled: [(String, JSONValue?)] = [
            ("Platform", query.object["platform"]), ("Category", query.object["category"]),
            ("Issue type", file.object["issue_type"]), ("Actual value", file.object["actual_value"]),
        ]
        for (label, value) in labelled {
            if let value, value.isTruthy { description += "**\(label):** \(value.pythonString)\n" }
        }
        description = PythonString.removingSuffix(description, "\n")

        let category = query.object["category"]?.pythonString ?? "None"
        let name = query.object["query_name"]?.pythonString ?? "None"
        var finding = Finding(
            title: "\(category): \(name)",
            severity: query.object["severity"]?.stringValue.flatMap { severities[$0] } ?? .medium,
            description: description)
        finding.active = true
        finding.verified = false
        finding.mitigation = try file.string("expected_value")
        finding.filePath = try file.string("file_name")
        finding.line = file.integer("line", nullDefault: nil, absentDefault: nil)
        finding.componentName = try query.string("platform")
        finding.numberOfOccurrences = 1
        finding.references = try query.string("query_url")
        return finding
    }
}
