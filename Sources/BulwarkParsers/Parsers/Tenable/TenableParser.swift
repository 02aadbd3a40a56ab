// Tenable Scan — Nessus / Tenable.io / Tenable WAS reports.
//
// Formats: `.nessus` XML (NessusClientData_v2, streamed one <ReportItem> at a time) and CSV
// exports (Nessus "all columns", Tenable.io `asset.*`/`definition.*` columns, WAS; comma or
// semicolon separated). The file name picks the format (.xml/.nessus vs .csv); without one, a
// report starting with `<` is read as XML.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/tenable/{no_vuln,one_vuln,many_vulns}.{nessus,csv},
// plus semicolon CSV, missing fields, entity bomb / external entity, truncated and wrong formats.
//
// Field mapping (DefectDojo dojo/tools/tenable):
//   XML: pluginName → title; severity 0-4 → Info…Critical, overridden by cvss3_base_score;
//     synopsis + "Plugin Output: ip[:port]" block → description; description + CVSS lines →
//     impact; solution → mitigation (else N/A); see_also words and xref → references; first cve →
//     vulnerability_ids; cwe digits → cwe (else null); cvss3_vector → cvssv3; cvssv3 → score.
//     Items with the same severity + title merge: later plugin outputs are appended, CVEs and
//     endpoints accumulate. Endpoint: host-fqdn (a URL when it has "://") or the host name,
//     svc_name as protocol (www → http; unknown services use the item's protocol), port.
//   CSV: Name / Plugin Name / asset.name → title; Risk / severity / Severity → severity;
//     Synopsis (+ Plugin Output per row) → description; Solution → mitigation; Description →
//     impact; See Also + plugin lines → references; EPSS Score → epss_score; CVE column CVEs →
//     vulnerability_ids; CPE product/version → component; Host/Protocol/Port → endpoint. Rows
//     with the same severity, title, host, port and synopsis merge.
import BulwarkCore

/// Parses Tenable/Nessus `.nessus` XML and CSV reports (`Tenable Scan`).
public struct TenableParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Tenable Scan", label: "Tenable Scan",
            summary: "Tenable/Nessus report as CSV or .nessus (XML).", version: 1,
            dedupe: .hashCode(fields: [.title, .severity, .vulnerabilityIDs, .cwe, .description], allowsNullCWE: true)),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do {
            if try Self.isXML(input) {
                var report = TenableXMLReport()
                try report.read(input)
                return ParseResult(findings: report.findings)
            }
            return ParseResult(findings: try TenableCSVReport.findings(in: try input.readData()))
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func isXML(_ input: ScanInput) throws(ParseError) -> Bool {
        let name = (input.filename ?? "").lowercased()
        if name.hasSuffix(".xml") || name.hasSuffix(".nessus") { return true }
        if name.hasSuffix(".csv") { return false }
        let head = try input.prefix(512)
        let bytes = head.starts(with: [0xEF, 0xBB, 0xBF]) ? head.dropFirst(3) : head[...]
        return bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == 0x3C
    }
}
