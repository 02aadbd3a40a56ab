// Semgrep JSON Report — `semgrep --json` output, and Semgrep's supply-chain (SCA) deployment
// vulnerability export.
//
// Formats: `{"results": [...], "errors": [...]}` where each result has check_id, path,
// start.line and `extra` (message, severity, lines, fingerprint, fix, fix_regex, metadata.cwe,
// metadata.references); or `{"vulns": [...]}` where each entry has title, repositoryId,
// dependencyFileLocation (path, startLine) and `advisory` (severity, description,
// references.cweIds). A JSON document with neither member gives no findings, as in DefectDojo.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/semgrep/{no_vuln,one_vuln,many_vulns}.json, sca_vulns.json,
// plus unknown-severity, CDATA snippet, "requires login" and malformed variants.
//
// Field mapping (DefectDojo dojo/tools/semgrep/parser.py), in result order; results with the same
// check id, path and line merge into the first (nb_occurences counts them):
//   check_id → title and vuln_id_from_tool; severity CRITICAL → Critical, WARNING/MEDIUM →
//   Medium, ERROR/HIGH → High, LOW/INFO → Low (others refused)
//   message + snippet (`lines`) → description (Markdown; "requires login" snippets dropped)
//   path → file_path; start.line → line; fingerprint (not "requires login") → unique_id_from_tool
//   metadata.cwe "CWE-n: …" (text or list) → cwe, all → cwes; metadata.references → references
//   extra.fix → mitigation, else fix_regex as JSON in a code block; static true, dynamic false.
//   SCA: title → title, advisory description → description, dependency file path/line,
//   repositoryId → vuln_id_from_tool, advisory.references.cweIds → cwe/cwes.
import BulwarkCore
import Foundation

/// Parses Semgrep JSON output (`Semgrep JSON Report`).
public struct SemgrepParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Semgrep JSON Report", label: "Semgrep JSON Report",
            summary: "Semgrep JSON output (semgrep --json) or Semgrep supply-chain vulnerabilities JSON.", version: 1,
            dedupe: .uniqueIDFromToolOrHashCode()),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let root = try OrderedJSONParser.parse(try input.readData())
            var merged = SemgrepMergedFindings()
            if let results = root.objectValue?["results"] {
                for (index, item) in try Self.list(results, path: "$.results").enumerated() {
                    let path = "$.results[\(index)]"
                    guard let object = item.objectValue else {
                        throw ParseError(.invalidValue, "Each result must be an object.", position: .jsonPath(path))
                    }
                    merged.add(try SemgrepMapping.resultFinding(object, path: path))
                }
            } else if let vulns = root.objectValue?["vulns"] {
                for (index, item) in try Self.list(vulns, path: "$.vulns").enumerated() {
                    let path = "$.vulns[\(index)]"
                    guard let object = item.objectValue else {
                        throw ParseError(.invalidValue, "Each vulnerability must be an object.", position: .jsonPath(path))
                    }
                    merged.add(try SemgrepMapping.supplyChainFinding(object, path: path))
                }
            } else {
                return ParseResult(findings: [], warnings: ["The report has neither \"results\" nor \"vulns\", so it has no findings."])
            }
            return ParseResult(findings: merged.findings)
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func list(_ value: JSONValue, path: String) throws(ParseError) -> [JSONValue] {
        if value.isNull { return [] }
        guard let items = value.arrayValue else {
            throw ParseError(.invalidValue, "Expected a list.", position: .jsonPath(path))
        }
        return items
    }
}

/// Findings keyed by title + file path + line: a repeat only counts one more occurrence.
struct SemgrepMergedFindings {
    private var keys: [String] = []
    private var byKey: [String: Finding] = [:]

    mutating func add(_ entry: (key: String, finding: Finding)) {
        if var existing = byKey[entry.key] {
            existing.numberOfOccurrences = (existing.numberOfOccurrences ?? 1) + 1
            byKey[entry.key] = existing
        } else {
            keys.append(entry.key)
            byKey[entry.key] = entry.finding
        }
    }

    var findings: [Finding] { keys.compactMap { byKey[$0] } }
}
