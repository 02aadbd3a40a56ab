// Acunetix Scan — Acunetix XML reports and Acunetix 360 JSON exports.
//
// Formats: the Acunetix (WVS) XML report (`ScanGroup` → `Scan` → `ReportItems` → `ReportItem`),
// streamed through ``XMLRecordReader`` (entity declarations refused); the Acunetix 360 JSON
// export (`Generated`, `Vulnerabilities`). Like DefectDojo, the file name picks the reader
// (".xml" or ".json" in it); without one, the first byte does.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/acunetix/{no_vuln,one_vuln,many_vulns}.xml and
// {no_vuln,one_vuln,many_vulns}.json, plus edge cases (merged items, states, missing optional
// fields) and malformed ones (truncated, wrong root, entities).
//
// Field mapping, XML (dojo/tools/acunetix/parse_acunetix_xml.py), one finding per report item:
//   Name → title     Severity high/medium/low/informational → High/Medium/Low/Info, else Critical
//   Description (HTML → text, stripped) + "**Details:**" (HTML → text) + "**TechnicalDetails:**"
//   → description   IsFalsePositive non-empty → false_p   Impact → impact
//   Recommendation → mitigation   Scan StartTime (day first) → date   CWEList/CWE "CWE-n" → cwe
//   References/Reference " * [Database](URL)" lines → references   CVSS3/Descriptor → cvssv3
//   TechnicalDetails/Request → request/response pairs (dynamic; otherwise static)
//   StartURL protocol, host and port + Affects path → endpoint
//   Items with the same title, impact and mitigation are merged (details, endpoints, requests,
//   nb_occurences).
// Field mapping, JSON (parse_acunetix360_json.py), one finding per vulnerability Name:
//   Severity (Info…Critical, else Info) → severity   Description, RemedialProcedure, Impact,
//   RemedyReferences (HTML → text, unwrapped) → description, mitigation, impact, references
//   (the online issue link of LookupId first)   Classification.Cwe "a, b" → cwes, first → cwe
//   Classification.Cvss.Vector → cvssv3   FirstSeenDate, else Generated (day first) → date
//   State AcceptedRisk → risk accepted, inactive; FalsePositive → false_p, inactive
//   HttpRequest/HttpResponse Content ("Request Not Found" when empty) → request/response pair
//   Url → endpoint; static true.
import BulwarkCore

/// Parses Acunetix XML and Acunetix 360 JSON reports (`Acunetix Scan`).
public struct AcunetixParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Acunetix Scan", label: "Acunetix Scanner",
            summary: "Acunetix Scanner in XML format or Acunetix 360 Scanner in JSON format.", version: 1,
            dedupe: .hashCode(fields: [.title, .description])),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do {
            if try Self.isXML(input) {
                return ParseResult(findings: try AcunetixXMLReport.findings(in: input))
            }
            return try Acunetix360Report.findings(in: input)
        } catch {
            throw error.naming(scanType)
        }
    }

    /// DefectDojo's choice by file name; without ".xml" or ".json" in it, a report starting with
    /// `<` is XML.
    private static func isXML(_ input: ScanInput) throws(ParseError) -> Bool {
        if let name = input.filename {
            if name.contains(".xml") { return true }
            if name.contains(".json") { return false }
        }
        let head = try input.prefix(64)
        let first = head.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        return first == UInt8(ascii: "<")
    }
}
