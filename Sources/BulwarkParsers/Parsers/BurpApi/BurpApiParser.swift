// Burp REST API — the JSON the Burp Suite REST API returns for a scan task (`GET /scan/<task_id>`).
//
// Formats: the task object (`task_id`, `scan_status`, `issue_events` → `{type, issue}`); only
// `issue_found` events with an `issue` become findings. Parsed whole (JSON).
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/burp_api/{no_vuln,one_vuln,many_vulns}.json, plus
// malformed variants (truncated, not an object, unknown segment type).
//
// Field mapping (DefectDojo dojo/tools/burp_api/parser.py), one finding per issue event:
//   name (default "Burp issue") → title
//   severity high/medium/low/info → High/Medium/Low/Info, anything else Info; false_positive → false_p
//   "**<title>**", serial number, type index, confidence and description lines → description
//   confidence certain/firm/tentative → scanner_confidence 2/3/6
//   serial_number → unique_id_from_tool   type_index → vuln_id_from_tool
//   origin + path → endpoint
//   evidence of type InformationListEvidence / FirstOrderEvidence → request/response pairs, from
//   their segments: DataSegment base64 (UTF-8, else Latin-1 with a note), SnipSegment
//   "<...> (n bytes)", HighlightSegment a separator line
//   mitigation, references, impact: "No … provided"; static false, dynamic true.
import BulwarkCore
import Foundation

/// Parses Burp Suite REST API scan results (`Burp REST API`).
public struct BurpApiParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Burp REST API", label: "Burp REST API",
            summary: "Import Burp REST API scan data in JSON format (/scan/[task_id] endpoint).", version: 1,
            dedupe: .uniqueIDFromTool()),
    ]

    private static let confidences = ["certain": 2, "firm": 3, "tentative": 6]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do {
            return try Self.parse(input)
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func parse(_ input: ScanInput) throws(ParseError) -> ParseResult {
        let root = LooseFields(object: try JSONReportDocument.rootObject(input, format: "Burp REST API scan"), path: "$")
        var findings: [Finding] = []
        var warnings: [String] = []
        let events = root.object["issue_events"].map { $0.arrayValue ?? [] } ?? []
        for (index, value) in events.enumerated() {
            let event = try root.element(value, of: "issue_events", at: index)
            guard event.object["type"]?.stringValue == "issue_found", event.contains("issue") else { continue }
            guard let issueObject = event.object["issue"]?.objectValue else {
                throw ParseError(.invalidValue, "\"issue\" must be an object.", position: event.position("issue"))
            }
            let issue = LooseFields(object: issueObject, path: event.path + JSONPath.member("issue"))
            var finding = try finding(from: issue)
            if let origin = issueObject["origin"], let path = issueObject["path"] {
                let url = origin.pythonString + path.pythonString
                do {
                    finding.endpoints = [try EndpointURL.parse(url)]
                } catch {
                    warnings.append("\(issue.position("origin")): skipped the endpoint \"\(url)\" of \"\(finding.title)\": \(error).")
                }
            }
            findings.append(finding)
        }
        return ParseResult(findings: findings, warnings: warnings)
    }

    private static func finding(from issue: LooseFields) throws(ParseError) -> Finding {
        let value = JSONValue.object(issue.object)
        let title = value.pythonText("name", default: "Burp issue")
        let rawSeverity = (issue.object["severity"]?.stringValue ?? "info").lowercased()
        let severity: Severity = switch rawSeverity {
        case "high": .high
        case "medium": .medium
        case "low": .low
        default: .info
        }
        let description = "**\(title)**\n"
            + "**Serial Number**: \(value.pythonText("serial_number", default: "<None>"))\n"
            + "**Type Index**: \(value.pythonText("type_index", default: "<None>"))\n"
            + "**Confidence**: \(value.pythonText("confidence", default: "<None>"))\n"
            + "**Description**: \(value.pythonText("description", default: "<None>"))\n"
        var finding = Finding(title: title, severity: severity, description: description)
        finding.falsePositive = rawSeverity == "false_positive"
        finding.mitigation = "No mitigation provided"
        finding.references = "No references provided"
        finding.impact = "No impact provided"
        finding.staticFinding = false
        finding.dynamicFinding = true
        finding.uniqueIDFromTool = value.pythonText("serial_number", default: "")
        finding.vulnIDFromTool = value.pythonText("type_index", default: "")
        finding.scannerConfidence = (issue.object["confidence"]?.stringValue).flatMap { confidences[$0.lowercased()] }
        for (index, item) in (issue.object["evidence"]?.arrayValue ?? []).enumerated() {
            guard let evidence = item.objectValue,
                  ["InformationListEvidence", "FirstOrderEvidence"].contains(evidence["type"]?.stringValue ?? "") else { continue }
            let position = issue.position("evidence", index)
            let pair = evidence["request_response"]?.objectValue
            finding.requestResponsePairs.append(RequestResponsePair(
                request: try segments(pair?["request"], at: position),
                response: try segments(pair?["response"], at: position)))
        }
        return finding
    }

    /// A request or response rebuilt from Burp's segments.
    private static func segments(_ value: JSONValue?, at position: ParseError.Position) throws(ParseError) -> String {
        guard let items = value?.arrayValue else { return "" }
        var output = ""
        for item in items {
            switch item["type"]?.stringValue {
            case "DataSegment":
                let data = BurpBase64.decodedData(item["data"]?.stringValue ?? "") ?? Data()
                if let text = String(validating: data, as: UTF8.self) {
                    output += text
                } else {
                    output += "Decoding of the DataSegment failed. Thus, decoded with `latin1`. The result is the following one:\n"
                    output += String(decoding: data.map { UInt16($0) }, as: UTF16.self)
                }
            case "SnipSegment":
                output += "\n<...> (\(item["length"]?.pythonString ?? "None") bytes)"
            case "HighlightSegment":
                output += "\n\n------------------------------------------------------------------\n\n"
            default:
                throw ParseError(
                    .invalidValue, "Unknown segment type in Burp data: \(item["type"]?.pythonString ?? "None").", position: position)
            }
        }
        return output
    }
}
