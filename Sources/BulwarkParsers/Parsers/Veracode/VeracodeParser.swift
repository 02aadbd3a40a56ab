// Veracode Scan — Veracode static, dynamic and SCA results.
//
// Formats: the detailed XML report (`detailedreport`, report_format_version 1.5, namespace
// https://www.veracode.com/schema/reports/export/1.0), streamed one flaw / component at a time;
// and the JSON of the Findings REST API v2 (`{"findings": […]}` or the raw API page with
// `_embedded.findings`). `.xml` / `.json` file names choose; otherwise the first byte does.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/veracode/{no_vuln,one_vuln,many_vulns}.xml,
// mitigated.xml, {no_vuln,one_vuln,many_vulns}.json, plus malformed ones.
//
// Field mapping, XML (DefectDojo dojo/tools/veracode/xml_parser.py):
//   flaw categoryname → title; severity 1-5 → Info/Low/Medium/High/Critical; cweid → cwe;
//   description (". " → ".\n") → description; text after "References:" plus module, type and
//   issue id → references; category recommendations (para + bullet items) → mitigation;
//   "app-<app_id>_issue-<issueid>" → unique_id_from_tool; cia_impact → impact;
//   date_last_occurrence → date; accepted mitigations → is_mitigated / mitigated / false_p.
//   Static flaws: sourcefilepath + sourcefile → file_path, line + functionrelativelocation → line,
//   functionprototype → sast_source_object, tag "sast". Dynamic flaws: url → endpoint, tag "dast".
//   SCA vulnerabilities: "Vulnerable component: <library>:<version>" (maven artifact id as
//   library), cvss_score → cvssv3_score, cve_id → vulnerability_ids, CWE-n of cwe_id → cwe(s),
//   report last_update_time → date, tag "sca".
// JSON: see VeracodeJSONReport.swift.
import BulwarkCore

/// Parses Veracode detailed XML reports and Findings API JSON (`Veracode Scan`).
public struct VeracodeParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Veracode Scan", label: "Veracode Scan",
            summary: "Veracode detailed XML report or Findings REST API JSON.", version: 1,
            dedupe: .uniqueIDFromToolOrHashCode()),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            if try Self.isJSON(input) {
                return ParseResult(findings: try VeracodeJSONReport.findings(try input.readData()))
            }
            return ParseResult(findings: try VeracodeXMLReport.findings(input))
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func isJSON(_ input: ScanInput) throws(ParseError) -> Bool {
        switch input.fileExtension {
        case "xml": return false
        case "json": return true
        default:
            let head = try input.prefix(256)
            let first = head.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF }
            return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
        }
    }
}
