// Govulncheck — Go vulnerability checker, JSON output (`govulncheck -json`, `-format json`).
//
// Accepts both output generations:
//   - govulncheck before 1.0: one JSON object with `Vulns`, `Calls`, `Requires` and `Modules`
//     (read only by `Govulncheck Scanner`; `Govulncheck Scanner V2` finds nothing in it);
//   - govulncheck 1.0 and later: a stream of JSON objects (`config`, `progress`, `SBOM`, `osv`,
//     `finding`), written pretty-printed one after another, as JSON Lines, or wrapped in one
//     array. The stream is read with JSONLinesReader (bounded lines, errors by line).
// SARIF output (`-format sarif`, an object with `runs`) is refused with a pointer to `SARIF`.
//
// Two scan types, as in DefectDojo:
//   - `Govulncheck Scanner`: one finding per `osv` entry (new format) or per run of `Vulns`
//     sharing their first alias (old format); severity Info unless the OSV gives one.
//   - `Govulncheck Scanner V2`: one finding per (OSV id, module) among the `finding` records,
//     severity from reachability (symbol → High, package → Low, module → Info).
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/govulncheck/{no_vuln,one_vuln,many_vulns}.json
// (streams, read by both scan types), legacy_many_vulns.json and legacy_no_vuln.json (pre-1.0),
// stream_lines.jsonl (JSON Lines, CRLF), array_stream.json, no_aliases.json, sarif.json,
// truncated_stream.json, two_values_one_line.jsonl, not_json.txt.
//
// Field mapping (DefectDojo dojo/tools/govulncheck/parser.py): see GovulncheckLegacyMapping,
// GovulncheckStreamMapping and GovulncheckReachabilityMapping.
import BulwarkCore
import Foundation

/// Parses govulncheck JSON output (`Govulncheck Scanner`, `Govulncheck Scanner V2`).
public struct GovulncheckParser: ScanParser {
    static let scanType: ScanType = "Govulncheck Scanner"
    static let reachabilityScanType: ScanType = "Govulncheck Scanner V2"

    public static let descriptors = [
        ParserDescriptor(
            scanType: scanType, label: "Govulncheck Scanner",
            summary: "Import Govulncheck Scanner findings in JSON format.", version: 1, dedupe: .uniqueIDFromTool()),
        ParserDescriptor(
            scanType: reachabilityScanType, label: "Govulncheck Scanner V2",
            summary: "Import Govulncheck Scanner findings in JSON format. V2 derives severity from reachability and maps findings to components.",
            version: 1, dedupe: .uniqueIDFromTool()),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let document = try Self.load(try input.readData())
            if let object = document.objectValue, object.contains("runs") {
                throw ParseError(
                    .unsupportedFormat,
                    "This looks like a SARIF report (it has a top-level 'runs' key). Govulncheck's SARIF output is imported with the 'SARIF' scan type.",
                    position: .jsonPath("$"))
            }
            if scanType == Self.reachabilityScanType {
                guard let records = document.arrayValue else { return ParseResult(findings: []) }
                return ParseResult(findings: try GovulncheckReachabilityMapping.findings(records))
            }
            switch document {
            case .object(let report): return ParseResult(findings: try GovulncheckLegacyMapping.findings(report))
            case .array(let records): return ParseResult(findings: try GovulncheckStreamMapping.findings(records))
            default:
                throw ParseError(.unsupportedFormat, "The report is JSON but not govulncheck output.", position: .jsonPath("$"))
            }
        } catch {
            throw error.naming(scanType)
        }
    }

    /// One JSON document as it is, or a stream of several as a list (DefectDojo's fallback).
    private static func load(_ data: Data) throws(ParseError) -> JSONValue {
        let values = try JSONLinesReader.values(in: data)
        if values.count == 1, let only = values.first { return only }
        return .array(values)
    }
}
