// Nuclei Scan — ProjectDiscovery nuclei results.
//
// Formats: a JSON array of results (`-json-export`) or JSON Lines (`-jsonl`, one result a line);
// nuclei 2.x (`templateID`, `matched`, `matcher_name`) and 3.x (`template-id`, `matched-at`,
// `matcher-name`) field names. An empty file has no findings.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/nuclei/{no_vuln.jsonl,one_vuln.json,many_vulns.jsonl,
// many_vulns.json}, plus bad CWE, unknown severity, missing info and malformed reports.
//
// Field mapping (DefectDojo dojo/tools/nuclei/parser.py):
//   info.name → title; info.severity (title-cased; unknown → Low) → severity; template id →
//   vuln_id_from_tool; timestamp → date; info.description (+ extracted-results) → description;
//   info.tags → tags; info.reference → references; matched → endpoint (no scheme → `//host`);
//   classification cve-id → vulnerability_ids, cwe-id → cwe (first) and cwes, cvss-metrics →
//   cvssv3, cvss-score → cvssv3 score; matcher name → component_name; info.remediation →
//   mitigation; curl-command → steps_to_reproduce; request/response → request/response pair.
//   Results with the same template, type, matcher and host merge: distinct endpoints are added
//   and nb_occurences counts them.
import BulwarkCore
import Foundation

/// Parses nuclei JSON and JSON Lines results (`Nuclei Scan`).
public struct NucleiParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Nuclei Scan", label: "Nuclei Scan", summary: "Nuclei JSON array or JSON Lines output.", version: 1,
            dedupe: .hashCode(fields: [.title, .cwe, .severity, .componentName], allowsNullCWE: true)),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let data = try input.readData()
            let body = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...]
            guard let first = body.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else {
                return ParseResult(findings: [])
            }
            var items: [(JSONValue, String)] = []
            switch first {
            case 0x5B:
                guard case .array(let values) = try OrderedJSONParser.parse(Data(body)) else { return ParseResult(findings: []) }
                items = values.enumerated().map { ($0.element, "$[\($0.offset)]") }
            case 0x7B:
                try JSONLinesReader.forEach(in: Data(body)) { (value, line) throws(ParseError) in items.append((value, "line \(line)")) }
            default:
                throw ParseError(.unsupportedFormat, "The report is not nuclei JSON: it starts with neither [ nor {.", position: .byteOffset(0))
            }
            var report = NucleiReport()
            for (item, position) in items { try report.add(item, at: position) }
            return ParseResult(findings: report.findings, warnings: report.warnings)
        } catch {
            throw error.naming(scanType)
        }
    }
}

/// Findings of one nuclei report, merged by template, type, matcher and host.
struct NucleiReport {
    private(set) var findings: [Finding] = []
    private(set) var warnings: [String] = []
    private var indexByKey: [String: Int] = [:]

    mutating func add(_ item: JSONValue, at position: String) throws(ParseError) {
        guard item.objectValue != nil else {
            throw ParseError(.unsupportedFormat, "A nuclei result is not a JSON object.", position: .jsonPath(position))
        }
        guard let info = item.member("info"), info.objectValue != nil else {
            throw ParseError(.missingField, "A nuclei result has no \"info\" object.", position: .jsonPath(position))
        }
        guard let severityText = info.text("severity") else {
            throw ParseError(.missingField, "A nuclei result has no \"info.severity\".", position: .jsonPath(position))
        }
        let templateID = item["templateID"].map { $0.pythonString } ?? item.pythonText("template-id", default: "")
        let severity = Severity(rawValue: CheckmarxParser.pythonTitle(severityText)) ?? .low
        let matched = item["matched"].map { $0.pythonString } ?? item.pythonText("matched-at", default: "")

        var finding = Finding(title: info.pythonText("name"), severity: severity)
        finding.numberOfOccurrences = 1
        finding.vulnIDFromTool = templateID
        if let timestamp = item.text("timestamp"), !timestamp.isEmpty {
            guard let parsed = DateParsing.flexible(timestamp) else {
                throw ParseError(.invalidValue, "The timestamp \"\(timestamp)\" is not a date.", position: .jsonPath(position + ".timestamp"))
            }
            finding.date = parsed.utcCalendarDate
        }
        if let description = info.member("description"), description.isTruthy { finding.description = description.pythonString }
        let results = item.list("extracted-results")
        if !results.isEmpty {
            finding.description += "\n**Results:**\n" + results.map(\.pythonString).joined(separator: "\n")
        }
        if let tags = info.member("tags"), tags.isTruthy {
            finding.tags = tags.arrayValue?.map(\.pythonString) ?? Self.splitTags(tags.pythonString)
        }
        if let reference = info.member("reference"), reference.isTruthy {
            finding.references = reference.arrayValue?.map(\.pythonString).joined(separator: "\n") ?? reference.pythonString
        }
        var endpoint: EndpointURL?
        if !matched.isEmpty {
            do {
                endpoint = try EndpointURL.parse(matched.contains("://") ? matched : "//" + matched)
            } catch {
                warnings.append("\(position): skipped the endpoint \"\(matched)\": \(error).")
            }
            if let endpoint { finding.endpoints = [endpoint] }
        }
        if let classification = item.member("info")?.member("classification"), classification.isTruthy {
            applyClassification(classification, to: &finding)
        }
        if let matcher = item["matcher-name"] ?? item["matcher_name"], matcher.isTruthy { finding.componentName = matcher.pythonString }
        if let remediation = info.member("remediation"), remediation.isTruthy { finding.mitigation = remediation.pythonString }
        if let curl = item.member("curl-command"), curl.isTruthy {
            finding.stepsToReproduce = "curl command to reproduce the request:\n`" + curl.pythonString + "`"
        }
        if let request = item.member("request"), request.isTruthy, let response = item.member("response"), response.isTruthy {
            finding.requestResponsePairs = [RequestResponsePair(request: request.pythonString, response: response.pythonString)]
        }
        let itemType = item.member("type")?.pythonString ?? ""
        let host = endpoint.map { $0.host ?? "None" } ?? ""
        // DefectDojo hashes this concatenation; the text itself is an equivalent key.
        let key = templateID + itemType + (finding.componentName ?? "") + host
        if let index = indexByKey[key] {
            if let endpoint, !findings[index].endpoints.contains(endpoint) { findings[index].endpoints.append(endpoint) }
            findings[index].numberOfOccurrences = (findings[index].numberOfOccurrences ?? 0) + 1
        } else {
            indexByKey[key] = findings.count
            findings.append(finding)
        }
    }

    /// A tag string as the tag field reads it: comma-separated when it has a comma, else
    /// space-separated; blanks dropped.
    static func splitTags(_ text: String) -> [String] {
        let separator: Character = text.contains(",") ? "," : " "
        return text.split(separator: separator).map { PythonText.strip(String($0)) }.filter { !$0.isEmpty }
    }

    private func applyClassification(_ classification: JSONValue, to finding: inout Finding) {
        if let cves = classification.member("cve-id"), cves.isTruthy {
            finding.vulnerabilityIDs = (cves.arrayValue ?? [cves]).map { $0.pythonString.uppercased() }
        }
        if let cwes = classification.member("cwe-id")?.arrayValue, !cwes.isEmpty {
            let numbers = cwes.map { Int(String($0.pythonString.dropFirst(4))) }
            if let first = numbers.first, let number = first { finding.cwe = number }
            finding.cwes = numbers.compactMap { $0 }
        }
        if let metrics = classification.member("cvss-metrics"), metrics.isTruthy, let vector = CVSSText.firstV3(in: metrics.pythonString) {
            finding.cvssV3 = vector.cleanVector
        }
        if let score = classification.member("cvss-score"), score.isTruthy { finding.cvssV3Score = score.looseDouble }
    }
}
