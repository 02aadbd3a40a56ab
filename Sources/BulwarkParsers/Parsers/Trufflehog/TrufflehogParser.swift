// Trufflehog Scan — trufflehog's JSON Lines output, versions 2 and 3 (`trufflehog --json`).
//
// Formats: one JSON object per line. The first line decides: `SourceMetadata` means v3
// (`SourceMetadata.Data.<source>` with file, line, commit, email, timestamp, repository, link;
// DetectorName, Verified, Raw, RawV2, Redacted, StructuredData, ExtraData); `path` means v2
// (path, reason, branch, commit, commitHash, date, stringsFound). Any other first line gives no
// findings, as in DefectDojo. Lines end at `\n`, `\r\n` or `\r`; blank lines are skipped.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/trufflehog/{no_vuln,one_vuln,many_vulns}.json (v3),
// v2_many_vulns.json, plus CRLF, unknown-shape (no findings) and malformed variants.
//
// Field mapping (DefectDojo dojo/tools/trufflehog/parser.py):
//   v2: "Hard Coded <reason> in: <path>" → title; commit, hash, date, branch, reason, path and
//   the strings found → description; reason High Entropy → Info, containing Oauth/AWS/Heroku →
//   Critical, Generic Secret → Medium, else High; line 0.
//   v3: "Hard Coded <detector> secret in: <file>" → title; repository, link, commit, date,
//   committer, reason, path, redacted contents, structured and extra data → description;
//   verified → Critical, else Oauth/AWS/Heroku → Critical, PrivateKey → High, Generic Secret →
//   Medium, others Critical; line → line; Verified → verified; link → mitigation.
//   Both: cwe 798, fixed mitigation/impact, references "N/A", file → file_path, static true,
//   dynamic false. Repeats (v2: path + reason; v3: file, detector, line, commit, raw values)
//   merge into the first: their descriptions are appended and nb_occurences counts them.
import BulwarkCore
import Foundation

/// Parses trufflehog v2 and v3 JSON Lines reports (`Trufflehog Scan`).
public struct TrufflehogParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Trufflehog Scan", label: "Trufflehog Scan",
            summary: "trufflehog v2 or v3 JSON Lines output (--json).", version: 1,
            dedupe: .hashCode(fields: [.title, .description, .line])),
    ]

    static let mitigation = "Secrets and passwords should be stored in a secure vault and/or secure storage."
    static let impact = "This weakness can lead to the exposure of resources or functionality to unintended actors, possibly providing attackers with sensitive information or even execute arbitrary code."

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let lines = JSONLineRecords.lines(of: try input.readData(), carriageReturnEndsLine: true).filter { !$0.isBlank }
            guard let first = lines.first else { return ParseResult(findings: []) }
            let head = try first.json()
            let version: Int
            if head.objectValue?.contains("SourceMetadata") ?? false {
                version = 3
            } else if head.objectValue?.contains("path") ?? false {
                version = 2
            } else {
                return ParseResult(findings: [], warnings: ["The first line is neither a trufflehog v2 nor a v3 record, so the report has no findings."])
            }
            var merged = MergedFindings()
            for line in lines {
                let position = ParseError.Position.text(line: line.number, column: 1)
                guard let record = try line.json().objectValue else {
                    throw ParseError(.invalidValue, "Each line must be a JSON object.", position: position)
                }
                if version == 3 {
                    let (key, finding) = try TrufflehogRecords.v3(record, position: position)
                    merged.add(finding, key: key)
                } else {
                    let (key, finding) = try TrufflehogRecords.v2(record, position: position)
                    merged.add(finding, key: key)
                }
            }
            return ParseResult(findings: merged.findings)
        } catch {
            throw error.naming(scanType)
        }
    }
}

/// Findings keyed by DefectDojo's duplicate key: a repeat appends its description to the first
/// and counts one more occurrence.
struct MergedFindings {
    private var keys: [String] = []
    private var byKey: [String: Finding] = [:]

    mutating func add(_ finding: Finding, key: String) {
        if var existing = byKey[key] {
            existing.description += finding.description
            existing.numberOfOccurrences = (existing.numberOfOccurrences ?? 1) + 1
            byKey[key] = existing
        } else {
            keys.append(key)
            byKey[key] = finding
        }
    }

    var findings: [Finding] { keys.compactMap { byKey[$0] } }
}
