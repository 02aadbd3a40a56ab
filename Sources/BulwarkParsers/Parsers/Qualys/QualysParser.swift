// Qualys Scan — Qualys VM (QualysGuard WebGUI) scan reports.
//
// Formats: the XML asset data report (`<ASSET_DATA_REPORT>`: HEADER, HOST_LIST of hosts with their
// VULN_INFO detections, GLOSSARY of VULN_DETAILS per QID, APPENDICES), streamed in one pass; and
// the CSV detection export (IP, DNS, QID, Title, Vuln Status, Severity, FQDN, Last Detected, Date
// Last Fixed, CVE ID, CVSS3 Base/Temporal or CVSS3.1 Base/Temporal, Threat, Impact, Solution, …)
// or its `VULN TITLE` variant. A `.csv` file name picks CSV and `.xml` XML; without either, a
// report starting with `<` is read as XML (DefectDojo decides by the `.csv` suffix alone).
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/qualys/{no_vuln,one_vuln,many_vulns}.{xml,csv}
// (many_vulns: CRLF, Unicode, merged CSV rows, every CVSS source), missing_optional.xml,
// unknown_severity.xml, vuln_title.csv, plus malformed reports (truncated, entity bomb, unknown
// QID, word severity, wrong CSV columns, JSON).
//
// Field mapping (DefectDojo dojo/tools/qualys/parser.py and csv_parser.py, default settings):
//   XML, one finding per VULN_INFO of the first HOST_LIST, in document order, joined to the
//   GLOSSARY entry whose id equals QID@id (a missing entry is an error, as DefectDojo fails):
//     "QID-" + id without its "qid_" prefix + " | " + TITLE → title; SEVERITY 1…5 → Info…Critical
//     (legacy table, anything else Info); THREAT, then "Type: <Ig/Practice/Vuln as INFORMATION
//     GATHERED/POTENTIAL/CONFIRMED>", "Category", "QID", "Port", "Result Evidence", "First
//     Found", "Last Found", "Times Found", each through html2text and joined by "\n" →
//     description; SOLUTION → mitigation and IMPACT → impact (html2text; none when absent,
//     where DefectDojo fails); QID@id →
//     vuln_id_from_tool; LAST_FOUND → date; CVE_ID_LIST IDs → vulnerability_ids, their URLs as
//     Python's str(list) → references (the QID id when there are no CVEs); VULN_STATUS Active,
//     Re-Opened or New → active, anything else inactive and mitigated at LAST_FIXED;
//     CVSS3_FINAL (else CVSS_FINAL, score only, else the glossary's CVSS3_BASE) → cvssv3 and
//     score; DNS (else IP) → endpoint host; verified.
//   CSV, rows with a Title (or VULN TITLE), merged by QID (later rows add CVEs and endpoints):
//     "QID-<QID> | <Title>" → title; Severity "1"…"5" → Info…Critical; "<Threat>\nResult
//     Evidence: \n<Threat>" → description; Solution → mitigation; Impact → impact; QID →
//     vuln_id_from_tool; Last Detected → date; CVSS3 Base + Temporal vectors → cvssv3 and score;
//     Date Last Fixed → mitigated unless Vuln Status is Active, Re-Opened or New (then active);
//     CVE ID (comma separated) → vulnerability_ids; FQDN (a URL when it has "://"), else DNS,
//     else IP → endpoint; verified.
import BulwarkCore

/// Parses Qualys VM XML asset data reports and CSV detection exports (`Qualys Scan`).
public struct QualysParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Qualys Scan", label: "Qualys Scan",
            summary: "Qualys VM WebGUI report as XML (asset data report) or CSV.", version: 1,
            dedupe: .hashCode(fields: [.title, .severity, .endpoints])),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            if try Self.isXML(input) {
                return ParseResult(findings: try QualysXMLReport.findings(in: input))
            }
            return ParseResult(findings: try QualysCSVReport.findings(in: try input.readData()))
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func isXML(_ input: ScanInput) throws(ParseError) -> Bool {
        let name = (input.filename ?? "").lowercased()
        if name.hasSuffix(".csv") { return false }
        if name.hasSuffix(".xml") { return true }
        let head = try input.prefix(512)
        let bytes = head.starts(with: [0xEF, 0xBB, 0xBF]) ? head.dropFirst(3) : head[...]
        return bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == 0x3C
    }
}
