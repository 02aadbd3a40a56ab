// Prowler Scan — Prowler (v4/v5) cloud security findings, CSV or OCSF JSON output.
//
// Formats: the semicolon-separated CSV output (`--output-formats csv`) and the OCSF JSON output
// (`--output-formats json-ocsf`, a list of Detection Findings). Like DefectDojo the file name
// picks the reader (".csv" or ".json"); without one (DefectDojo then returns nothing) the first
// byte does: `[` or `{` is JSON, anything else CSV.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/prowler/{no_vuln,one_vuln,many_vulns}.{csv,json},
// plus edge cases (Kubernetes resources, unknown severity, missing columns, Unicode, CRLF) and
// malformed ones (truncated, wrong JSON shape, short CSV rows).
//
// Field mapping, CSV (dojo/tools/prowler/parser_csv.py), one finding per row not PASS:
//   CHECK_TITLE → title   SEVERITY (any case) → severity, unknown or empty → Info   RISK → impact
//   "**Cloud Type** : PROVIDER (upper case)", DESCRIPTION, SERVICE_NAME, STATUS_EXTENDED, TIMESTAMP,
//   REGION, NOTES (then RELATED_URL, ADDITIONAL_URLS when not empty) → description
//   REMEDIATION_RECOMMENDATION_TEXT/_URL, REMEDIATION_CODE_NATIVEIAC/TERRAFORM/CLI/OTHER
//   → mitigation   COMPLIANCE "a | b" → references, one per line ("N/A" when absent)
//   a missing column reads "N/A"; dynamic; rows with the same title and description kept once.
// Field mapping, OCSF JSON (dojo/tools/prowler/parser_json.py), one finding per result not PASS:
//   message → title   severity → severity   risk_details → impact
//   cloud type (cloud.provider aws/azure/gcp, else KUBERNETES when a resource has a namespace),
//   finding_info.desc, metadata.product.name, status_detail, finding_info.created_time_dt, then
//   the region (clouds) or the first resource's pod name and namespace (Kubernetes) → description
//   remediation.desc and remediation.references → mitigation
//   unmapped.related_url and each unmapped.compliance framework → references   dynamic.
//   Results with the same description and title are merged (descriptions appended).
//
// Differences from DefectDojo: a name ending in neither ".csv" nor ".json" is sniffed (DefectDojo
// returns no findings); CSV whose header has neither CHECK_TITLE nor STATUS is refused (DefectDojo
// makes blank findings of it); a quoted CSV field left open at the end of the file is an error
// (Python's csv module accepts it); a row too short for a column it needs, or a JSON member of
// the wrong type, is a ParseError naming the position (DefectDojo raises TypeError).
import BulwarkCore

/// Parses Prowler CSV and OCSF JSON reports (`Prowler Scan`).
public struct ProwlerParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Prowler Scan", label: "Prowler Scan",
            summary: "Prowler output in CSV (semicolon-separated) or OCSF JSON format.", version: 1,
            dedupe: .legacy),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            if try Self.isJSON(input) {
                return ParseResult(findings: try ProwlerOCSFReport.findings(in: input))
            }
            return ParseResult(findings: try ProwlerCSVReport.findings(in: try input.readData()))
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func isJSON(_ input: ScanInput) throws(ParseError) -> Bool {
        if let match = ReportFormatChoice.extensionMatch(of: input, among: ["csv", "json"]) {
            return match == "json"
        }
        let first = try ReportFormatChoice.firstSignificantByte(of: input)
        return first == UInt8(ascii: "[") || first == UInt8(ascii: "{")
    }

    /// Prowler's severities in any letter case; anything else (or nothing) is Info.
    static func severity(_ raw: String?) -> Severity {
        switch raw?.lowercased() {
        case "critical": .critical
        case "high": .high
        case "medium": .medium
        case "low": .low
        default: .info
        }
    }
}
