// Burp GraphQL API — Burp Suite DAST (Enterprise) issues fetched through its GraphQL API.
//
// Formats: a JSON object with `Issues`, each an issue as the GraphQL `issue` query returns it
// (`issue_type` with its HTML texts, `description_html`, `remediation_html`, `severity`, `origin`,
// `path`, `evidence` with request/response segments). Parsed whole (JSON).
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/burp_graphql/{no_vuln,one_vuln,many_vulns}.json,
// null_fields.json, plus malformed variants (no Issues, nameless issue, truncated).
//
// Field mapping (DefectDojo dojo/tools/burp_graphql/parser.py), one finding per issue type name
// (later issues add their description when new, their evidence and their endpoint):
//   issue_type.name → title     severity (capitalised, default Info) → severity
//   "**Issue Detail**" + description_html, else "**Issue Background**" + the type's → description
//   "**Issue Background**" (when the issue has its own detail) and "**Remediation Background**"
//   (when it has no remediation of its own) → impact
//   "**Remediation Detail**" + remediation_html (as written) + the type's background → mitigation
//   "**References**" + references_html, "**CWE Information**" + classifications → references
//   every "CWE-n" of the classifications → cwes, first → cwe (0 without)
//   origin + path → endpoint; evidence request segments paired with the next response of the same
//   index → request/response pairs (HTML → text, each segment stripped); dynamic true.
// HTML becomes text as html2text does by default (wrapped at 78 columns).
import BulwarkCore

/// Parses Burp Suite DAST GraphQL API exports (`Burp GraphQL API`).
public struct BurpGraphQLParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Burp GraphQL API", label: "Burp Suite DAST GraphQL API",
            summary: "Import Burp Suite DAST findings from the GraphQL API.", version: 1, dedupe: .legacy),
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
        let root = LooseFields(object: try JSONReportDocument.rootObject(input, format: "Burp GraphQL API export"), path: "$")
        guard root.contains("Issues") else {
            throw ParseError(.missingField, "No Issues found: the export has no \"Issues\" list.", position: .jsonPath("$"))
        }
        let issues = root.object["Issues"]?.arrayValue ?? []
        var findings: [Finding] = []
        var indexByName: [String: Int] = [:]
        var warnings: [String] = []
        for (index, value) in issues.enumerated() {
            let issue = try root.element(value, of: "Issues", at: index)
            let issueValue = JSONValue.object(issue.object)
            guard let name = issueValue.member("issue_type")?.text("name"), !name.isEmpty else {
                throw ParseError(.missingField, "Issue does not have a name (issue_type.name).", position: root.position("Issues", index))
            }
            let url = try issue.requiredText("origin") + issue.requiredText("path")
            var endpoint: EndpointURL?
            do {
                endpoint = try EndpointURL.parse(url)
            } catch {
                warnings.append("\(issue.position("origin")): skipped the endpoint \"\(url)\" of \"\(name)\": \(error).")
            }
            if let first = indexByName[name] {
                if let html = issueValue.text("description_html"), !html.isEmpty {
                    let description = HTMLToText.convert(html)
                    if !description.isEmpty, !findings[first].description.contains(description) {
                        findings[first].description += description + "\n\n"
                    }
                }
                findings[first].requestResponsePairs += evidence(issueValue.list("evidence"))
                if let endpoint { findings[first].endpoints.append(endpoint) }
            } else {
                var finding = try finding(named: name, from: issueValue, at: root.position("Issues", index))
                if let endpoint { finding.endpoints = [endpoint] }
                indexByName[name] = findings.count
                findings.append(finding)
            }
        }
        return ParseResult(findings: findings, warnings: warnings)
    }

    private static func finding(named name: String, from issue: JSONValue, at position: ParseError.Position) throws(ParseError) -> Finding {
        let type = issue.member("issue_type")
        let html = { (value: JSONValue?, key: String) -> String? in
            guard let text = value?.text(key), !text.isEmpty else { return nil }
            return text
        }
        var description = ""
        var impact = ""
        var mitigation = ""
        var references = ""
        if let detail = html(issue, "description_html") {
            description += "**Issue Detail**\n" + HTMLToText.convert(detail)
            if let background = html(type, "description_html") {
                impact += "**Issue Background**\n" + HTMLToText.convert(background)
            }
        } else if let background = html(type, "description_html") {
            description += "**Issue Background**\n" + HTMLToText.convert(background)
        }
        if let detail = html(issue, "remediation_html") {
            mitigation += "**Remediation Detail**\n" + detail
            if let background = html(type, "remediation_html") {
                mitigation += "**Remediation Background**\n" + HTMLToText.convert(background)
            }
        } else if let background = html(type, "remediation_html") {
            impact += "**Remediation Background**\n" + HTMLToText.convert(background)
        }
        let rawSeverity = html(issue, "severity").map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() } ?? "Info"
        var finding = Finding(
            title: name, severity: try Severity.sanitizedOrThrow(rawSeverity, at: position), description: description)
        if let text = html(type, "references_html") {
            references += "**References**\n" + HTMLToText.convert(text)
        }
        if let classifications = html(type, "vulnerability_classifications_html") {
            references += "**CWE Information**\n" + HTMLToText.convert(classifications)
            finding.cwes = cweNumbers(in: classifications)
        }
        finding.cwe = finding.cwes.first ?? 0
        finding.impact = impact
        finding.mitigation = mitigation
        finding.references = references
        finding.staticFinding = false
        finding.dynamicFinding = true
        finding.numberOfOccurrences = 1
        finding.requestResponsePairs = evidence(issue.list("evidence"))
        return finding
    }

    /// Request segments, each paired with the following response when their indexes match.
    private static func evidence(_ items: [JSONValue]) -> [RequestResponsePair] {
        var pairs: [RequestResponsePair] = []
        var index = 0
        while index < items.count {
            let request = items[index]
            let requestText = segmentsText(request.list("request_segments"))
            if index + 1 < items.count, !items[index + 1].list("response_segments").isEmpty,
               items[index + 1]["response_index"] == request["request_index"] {
                pairs.append(RequestResponsePair(request: requestText, response: segmentsText(items[index + 1].list("response_segments"))))
                index += 2
            } else {
                pairs.append(RequestResponsePair(request: requestText, response: ""))
                index += 1
            }
        }
        return pairs
    }

    private static func segmentsText(_ segments: [JSONValue]) -> String {
        var text = ""
        for segment in segments {
            if let data = segment.text("data_html"), !data.isEmpty {
                text += PythonText.strip(HTMLToText.convert(data))
            } else if let highlight = segment.text("highlight_html"), !highlight.isEmpty {
                text += PythonText.strip(HTMLToText.convert(highlight))
            }
        }
        return text
    }

    /// Every `CWE-<digits>` (any case) in the text.
    static func cweNumbers(in text: String) -> [Int] {
        BurpIssueMapping.cweNumbers(in: text.uppercased())
    }
}
