// ZAP Scan — OWASP ZAP (Zed Attack Proxy) XML reports.
//
// Formats: the "Traditional XML" report (`OWASPZAPReport` → `site` → `alerts` → `alertitem`),
// ZAP 2.9 to 2.16, with or without the "XML plus requests and responses" instance fields.
// Read with a SAX stream, so large reports never sit in memory as a tree.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/zap/{no_vuln,one_vuln,many_vulns,with_req_resp}.xml,
// plus malformed variants.
//
// Field mapping (DefectDojo dojo/tools/zap/parser.py):
//   alert → title                         riskcode 0/1/2/3 → Info/Low/Medium/High
//   desc, solution, reference → description, mitigation, references (HTML → text, html2text style)
//   pluginid → vuln_id_from_tool          cweid (digits only) → cwe, else cwe stays 0
//   riskcode → scanner_confidence (1→7, 2→4, 3→1, 4→1; DefectDojo reads the risk code here)
//   instance uri → endpoint (query and fragment dropped); static false, dynamic true
//   requestheader+requestbody / responseheader+responsebody → request/response pair; without
//   them, a summary of method, param, attack, query and fragment, and the evidence.
// One finding per alertitem, in document order.
import BulwarkCore

/// Parses ZAP XML reports (`ZAP Scan`).
public struct ZapParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "ZAP Scan", label: "ZAP Scan", summary: "ZAP XML report format.", version: 1,
            dedupe: .hashCode(fields: [.title, .cwe, .severity], allowsNullCWE: false)),
    ]

    private static let severities: [String: Severity] = ["0": .info, "1": .low, "2": .medium, "3": .high]
    private static let confidences: [String: Int] = ["1": 7, "2": 4, "3": 1, "4": 1]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        var warnings: [String] = []
        var findings: [Finding] = []
        // Alerts of the same plugin repeat their HTML texts, and alerts share URLs: convert and
        // parse each distinct one once.
        var converted: [String: String] = [:]
        var endpoints: [String: Result<EndpointURL, EndpointURL.ParseFailure>] = [:]
        let reader = ZapReportReader { (alert: ZapAlert) throws(ParseError) in
            let convert = { (html: String) -> String in
                if let text = converted[html] { return text }
                let text = HTMLToText.convert(html)
                converted[html] = text
                return text
            }
            let endpoint = { (uri: String) -> Result<EndpointURL, EndpointURL.ParseFailure> in
                if let known = endpoints[uri] { return known }
                let result = Result { () throws(EndpointURL.ParseFailure) in try EndpointURL.parse(uri) }
                endpoints[uri] = result
                return result
            }
            findings.append(try Self.finding(from: alert, convert: convert, endpoint: endpoint, warnings: &warnings))
        }
        do {
            try XMLEventReader.read(input, into: reader)
        } catch {
            throw error.naming(scanType)
        }
        return ParseResult(findings: findings, warnings: warnings)
    }

    private static func finding(
        from alert: ZapAlert, convert: (String) -> String,
        endpoint: (String) -> Result<EndpointURL, EndpointURL.ParseFailure>, warnings: inout [String]
    ) throws(ParseError) -> Finding {
        let position = ParseError.Position.text(line: alert.line, column: 1)
        guard let title = alert["alert"] else {
            throw ParseError(.missingField, "An <alertitem> has no <alert> title.", position: position)
        }
        let riskCode = alert["riskcode"]
        guard let riskCode, let severity = severities[riskCode] else {
            throw ParseError.unsupportedSeverity(riskCode.map { "riskcode \($0)" } ?? "(no riskcode)", position: position)
        }
        var finding = Finding(title: title, severity: severity, description: convert(alert["desc"] ?? ""))
        finding.scannerConfidence = confidences[riskCode]
        finding.mitigation = convert(alert["solution"] ?? "")
        finding.references = convert(alert["reference"] ?? "")
        finding.dynamicFinding = true
        finding.staticFinding = false
        finding.vulnIDFromTool = alert["pluginid"]
        if let cweID = alert["cweid"], !cweID.isEmpty, cweID.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            finding.cwe = Int(cweID)
        }
        for instance in alert.instances {
            let uri = instance["uri"] ?? ""
            let (query, fragment) = Self.queryAndFragment(of: uri)
            if let requestHeader = instance["requestheader"] {
                finding.requestResponsePairs.append(RequestResponsePair(
                    request: requestHeader + (instance["requestbody"] ?? ""),
                    response: (instance["responseheader"] ?? "") + (instance["responsebody"] ?? "")))
            } else {
                let request = "Method:           \(instance["method"] ?? "None") \n"
                    + "Param:            \(instance["param"] ?? "None") \n"
                    + "Attack:           \(instance["attack"] ?? "None") \n"
                    + "EndpointQuery:    \(query) \n"
                    + "EndpointFragment: \(fragment)"
                finding.requestResponsePairs.append(RequestResponsePair(request: request, response: instance["evidence"] ?? "None"))
            }
            switch endpoint(uri) {
            case .success(var url):
                // The tool generates query strings and fragments on the fly; they would create
                // many spurious endpoints.
                url.query = nil
                url.fragment = nil
                finding.endpoints.append(url)
            case .failure(let error):
                warnings.append("Line \(instance.line): skipped the endpoint \"\(uri)\" of \"\(title)\": \(error).")
            }
        }
        return finding
    }

    /// `urllib.parse.urlparse(uri)` query and fragment.
    private static func queryAndFragment(of uri: String) -> (String, String) {
        let bytes = uri.utf8
        var end = bytes.endIndex
        var fragment = ""
        if let hash = bytes.firstIndex(of: 0x23) {
            fragment = String(Substring(bytes[bytes.index(after: hash)...]))
            end = hash
        }
        var query = ""
        if let question = bytes[..<end].firstIndex(of: 0x3F) {
            query = String(Substring(bytes[bytes.index(after: question)..<end]))
        }
        return (query, fragment)
    }
}
