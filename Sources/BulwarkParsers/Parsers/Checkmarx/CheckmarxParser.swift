// Checkmarx Scan / Checkmarx Scan detailed — Checkmarx CxSAST XML reports and Checkmarx JSON
// reports.
//
// Formats: the CxSAST XML report (`CxXMLResults` → `Query` → `Result` → `Path` → `PathNode`),
// streamed one `<Result>` at a time; and the JSON report (`scanResults` with `sast`, `sca` and
// `kics` sections), chosen like DefectDojo by a `.json` file name.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/checkmarx/{no_vuln,one_vuln,many_vulns}.xml
// (read in both modes: the same file gives fewer, aggregated findings as "Checkmarx Scan"),
// many_vulns.json, missing_path.xml, wrong_root.xml, truncated.xml.
//
// Field mapping (DefectDojo dojo/tools/checkmarx/parser.py), XML:
//   Query name ("_" → " ") + " (<sink file base name>)" → title; Query cweId → cwe;
//   Query id → vuln_id_from_tool; Result Severity → severity; root ScanStart → date (its day);
//   Result state 0/2/3/4 → active, 2/3 → verified; FalsePositive "True" → false_p;
//   category, language, group, status and deep link lines → description; static true.
//   "Checkmarx Scan": one finding per (cwe, severity, sink file), in order of first appearance,
//     with nb_occurences, numbered descriptions, source/sink summary, comma-joined query ids
//     (≤ 500 characters) and no line; active/verified if any member is, false_p cleared by any
//     "False" member.
//   "Checkmarx Scan detailed": one finding per result (its last Path): sink file → file_path,
//     sink line → line, SimilarityId+PathId → unique_id_from_tool, source/sink objects, source
//     line and file → sast_* fields, every path node (line, column, object, snippet) → description.
// JSON: sast vulnerabilities (queryName → title, last node → file_path/line, id or similarityId
//   → unique_id_from_tool, tag "sast"), sca packages ("<name>:<version> | <CVE>", tag "sca"),
//   kics results ("<name> | <issueType>", tags "kics" and the name); severity title-cased;
//   firstFoundDate → date; status "Not exploitable" → inactive; state/status "To verify" →
//   unverified (DefectDojo reads `status` for sast, `state` for sca and kics).
import BulwarkCore

/// Parses Checkmarx XML and JSON reports (`Checkmarx Scan`, `Checkmarx Scan detailed`).
public struct CheckmarxParser: ScanParser {
    static let aggregated: ScanType = "Checkmarx Scan"
    static let detailed: ScanType = "Checkmarx Scan detailed"

    public static let descriptors = [
        ParserDescriptor(
            scanType: aggregated, label: "Checkmarx Scan",
            summary: "Checkmarx CxSAST XML or Checkmarx JSON report, findings aggregated per CWE, severity and sink file.",
            version: 1, dedupe: .hashCode(fields: [.cwe, .severity, .filePath], allowsNullCWE: false)),
        ParserDescriptor(
            scanType: detailed, label: "Checkmarx Scan detailed",
            summary: "Checkmarx CxSAST XML or Checkmarx JSON report, one finding per result path.",
            version: 1, dedupe: .uniqueIDFromTool()),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do {
            let filename = input.filename.map { PythonText.strip($0).lowercased() } ?? ""
            if filename.hasSuffix(".json") {
                return ParseResult(findings: try CheckmarxJSONReport.findings(in: try input.readData()))
            }
            var report = CheckmarxXMLReport(detailed: scanType == Self.detailed)
            try report.read(input)
            return ParseResult(findings: report.findings)
        } catch {
            throw error.naming(scanType)
        }
    }

    /// Checkmarx states "To verify" (0), "Confirmed" (2), "Urgent" (3) and "Proposed not
    /// exploitable" (4) are active.
    static func isActive(state: String?) -> Bool {
        ["0", "2", "3", "4"].contains(state ?? "")
    }

    /// "Confirmed" (2) and "Urgent" (3) are verified.
    static func isVerified(state: String?) -> Bool {
        ["2", "3"].contains(state ?? "")
    }

    /// Python's `str(value)` for an optional text: `None` when absent.
    static func python(_ text: String?) -> String {
        text ?? "None"
    }

    /// Python's `str.title()`: a letter after a non-letter is upper-cased, other letters lower-cased.
    static func pythonTitle(_ text: String) -> String {
        var result = ""
        var previousIsLetter = false
        for character in text {
            if character.isLetter {
                result += previousIsLetter ? character.lowercased() : character.uppercased()
                previousIsLetter = true
            } else {
                result.append(character)
                previousIsLetter = false
            }
        }
        return result
    }
}
