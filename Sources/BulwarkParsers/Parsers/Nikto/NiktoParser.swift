// Nikto Scan — Nikto web server scanner reports, XML (`-Format xml`) or JSON (`-Format json`).
//
// Formats: the XML report, old layout (`niktoscan` → `scandetails` → `item`, only the first
// `scandetails` read, as DefectDojo does) and nxmlversion 1.2 layout (`niktoscan` → `niktoscan` →
// `scandetails` → `item`, every scan read), streamed one `<item>` at a time; the JSON report (one
// host object, or a list holding exactly one). Like DefectDojo the file name picks the reader
// (".xml" or ".json"); without one, the first byte does (`<` is XML).
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/nikto/{no_vuln,one_vuln,many_vulns}.{xml,json},
// plus edge cases (old layout, merged items, OSVDB links, unusable URLs, Unicode, CRLF) and
// malformed ones (truncated, wrong root, wrong JSON shape).
//
// Field mapping, XML (dojo/tools/nikto/xml_parser.py), one finding per item:
//   description text up to its first sentence end (".", "?" then whitespace, not after an
//   abbreviation like "e.g." or "Mr."), at most 900 characters → title
//   "**Host:** `iplink`", "**Description:** `description`", "**HTTP Method:** `method`" lines
//   → description   osvdbid other than "0" → Medium, else Info   id → vuln_id_from_tool
//   iplink URL → endpoint (skipped with a warning when unusable)   dynamic, nb_occurences 1.
//   Items with the same description text are merged: description appended after "\n-----\n",
//   endpoints added, nb_occurences counted.
// Field mapping, JSON (dojo/tools/nikto/json_parser.py), one finding per vulnerability:
//   msg → title   "**id:**", "**msg:**", "**HTTP Method:**" (and "**OSVDB:**") lines
//   → description   id → vuln_id_from_tool   references → references   severity Info;
//   OSVDB other than "0" → Medium, unique_id_from_tool "OSVDB-<n>" and a note in the description
//   host, port and url → endpoint (host:port/path)   nb_occurences 1.
//   Vulnerabilities with the same severity and title are merged: description appended after
//   "\n-----\n", endpoint added, nb_occurences counted, unique and vuln ids cleared.
//
// Differences from DefectDojo (where it fails or guesses): a name ending in neither ".xml" nor
// ".json" is sniffed instead of refused; another XML root is an error (DefectDojo returns no
// findings); an item without <description> or a vulnerability without text "msg" is a ParseError
// (DefectDojo raises TypeError); an unusable iplink is a warning. An old-layout report whose
// first <scandetails> holds no item falls back to nested scans (DefectDojo reports nothing).
import BulwarkCore

/// Parses Nikto XML and JSON reports (`Nikto Scan`).
public struct NiktoParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Nikto Scan", label: "Nikto Scan",
            summary: "Nikto XML output (old layout or nxmlversion 1.2) or Nikto JSON output.", version: 1,
            dedupe: .legacy),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            if try Self.isXML(input) {
                return try NiktoXMLReport.findings(in: input)
            }
            return try NiktoJSONReport.findings(in: input)
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func isXML(_ input: ScanInput) throws(ParseError) -> Bool {
        if let match = ReportFormatChoice.extensionMatch(of: input, among: ["xml", "json"]) {
            return match == "xml"
        }
        return try ReportFormatChoice.firstSignificantByte(of: input) == UInt8(ascii: "<")
    }
}

/// Nikto findings merged by a key, in order of first appearance.
struct NiktoFindingList {
    private(set) var findings: [Finding] = []
    private var indexByKey: [String: Int] = [:]

    /// The index of the finding already holding `key`, if any.
    func index(of key: String) -> Int? { indexByKey[key] }

    mutating func append(_ finding: Finding, key: String) {
        indexByKey[key] = findings.count
        findings.append(finding)
    }

    mutating func update(at index: Int, _ change: (inout Finding) -> Void) {
        change(&findings[index])
    }
}
