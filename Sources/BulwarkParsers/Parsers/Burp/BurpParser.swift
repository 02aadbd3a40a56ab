// Burp Scan — Burp Suite Professional "Report issues" XML export.
//
// Formats: the XML report (`issues` → `issue`, with its DOCTYPE of element declarations), request
// and response bodies base64-encoded (the recommended export option) or not. Streamed one
// `<issue>` at a time through ``XMLRecordReader``; entity declarations are refused.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/burp/{no_vuln,one_vuln,many_vulns}.xml
// (many_vulns: repeated issue types merged, collaborator events, several CWEs, Unicode, CRLF),
// missing_optional.xml, plus malformed variants (truncated, wrong root, bad severity, entities).
//
// Field mapping (DefectDojo dojo/tools/burp/parser.py), one finding per issue type:
//   name → title                     severity (Information → Info) → severity
//   serialNumber → unique_id_from_tool   type → vuln_id_from_tool
//   location "… [param]" → param     confidence Certain/Firm/Tentative → scanner_confidence 1/4/7
//   "URL: " + host + path + "\n\n" + issueDetail (HTML → text, unwrapped) + "\n" → description
//   (collaborator interactions appended to the detail as a paragraph)
//   issueBackground → impact; remediationDetail + remediationBackground → mitigation;
//   references → references; every "CWE-n" of vulnerabilityClassifications → cwes, first → cwe
//   host → endpoint; requestresponse (and collaborator ones) → request/response pairs, base64
//   decoded (unlike DefectDojo, a `base64="false"` message is kept as written); dynamic true.
// Issues of the same type are merged into the first one: endpoints and pairs appended, the later
// description put in front, params joined with ", " (later first).
import BulwarkCore

/// Parses Burp Suite XML issue exports (`Burp Scan`).
public struct BurpParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Burp Scan", label: "Burp Scan",
            summary: "Burp Suite XML issue export (request and response base64-encoded).", version: 1,
            dedupe: .hashCode(fields: [.title, .severity, .vulnIDFromTool])),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do {
            return try Self.parse(input)
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func parse(_ input: ScanInput) throws(ParseError) -> ParseResult {
        let reader = XMLRecordReader(records: ["/issues/issue"], rootNames: ["issues"], formatName: "Burp Suite XML")
        var findings: [Finding] = []
        var indexByType: [String?: Int] = [:]
        var warnings: [String] = []
        var endpoints: [String: Result<EndpointURL, EndpointURL.ParseFailure>] = [:]
        try reader.read(input) { record throws(ParseError) in
            let issue = try BurpIssueMapping(issue: record.element).finding()
            var finding = issue.finding
            let endpoint: Result<EndpointURL, EndpointURL.ParseFailure>
            if let known = endpoints[issue.host] {
                endpoint = known
            } else {
                endpoint = Result { () throws(EndpointURL.ParseFailure) in try EndpointURL.parse(issue.host) }
                endpoints[issue.host] = endpoint
            }
            switch endpoint {
            case .success(let url):
                finding.endpoints = [url]
            case .failure(let failure):
                warnings.append("Line \(record.element.line): skipped the endpoint \"\(issue.host)\" of \"\(finding.title)\": \(failure).")
            }
            if let index = indexByType[finding.vulnIDFromTool] {
                merge(finding, into: &findings[index])
            } else {
                indexByType[finding.vulnIDFromTool] = findings.count
                findings.append(finding)
            }
        }
        return ParseResult(findings: findings, warnings: warnings)
    }

    /// DefectDojo's merge of an issue into the earlier one of the same type.
    private static func merge(_ later: Finding, into first: inout Finding) {
        first.endpoints += later.endpoints
        first.requestResponsePairs += later.requestResponsePairs
        first.description = later.description + first.description
        if let param = later.param, !param.isEmpty {
            first.param = param + ", " + (first.param ?? "None")
        }
    }
}
