// Wapiti Scan — the Wapiti web application scanner's XML report (`wapiti -f xml`).
//
// Formats: the XML report of Wapiti 3.x (`<report type="security">` with `report_infos`,
// `vulnerabilities/vulnerability`, `anomalies`, `additionals`). Streamed one `<vulnerability>` at
// a time through ``XMLRecordReader``; entity declarations are refused. Anomalies and additionals
// are not findings (as in DefectDojo).
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/wapiti/{no_vuln,one_vuln,many_vulns}.xml
// (many_vulns: repeated entries merged, several CWEs, unknown level, Unicode, CRLF),
// missing_optional.xml, plus malformed variants (truncated, wrong root, missing info, JSON,
// entity bomb).
//
// Field mapping (DefectDojo dojo/tools/wapiti/parser.py), one finding per entry:
//   vulnerability@name + ": " + entry/info → title     entry/level 4…0 → Critical…Info (else Info)
//   description → description                          solution → mitigation
//   references → "* [title](url)" lines (url "None" when absent) → references
//   every reference title starting "CWE" gives its first "CWE-n" → cwes, the first → cwe
//   report_infos/info[@name="target"] → endpoint (the scan target, not the entry's path)
//   entry/http_request → request of a request/response pair (empty response); dynamic, not static.
// Entries with the same description + title + severity are merged into the first: its endpoints
// and request/response pairs grow and nb_occurences counts them.
import BulwarkCore

/// Parses Wapiti XML reports (`Wapiti Scan`).
public struct WapitiParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Wapiti Scan", label: "Wapiti Scan",
            summary: "Wapiti web application scanner XML report.", version: 1, dedupe: .legacy),
    ]

    private static let severities: [String: Severity] = ["4": .critical, "3": .high, "2": .medium, "1": .low, "0": .info]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do {
            return try Self.parse(input)
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func parse(_ input: ScanInput) throws(ParseError) -> ParseResult {
        let reader = XMLRecordReader(
            records: ["/*/vulnerabilities/vulnerability"], headers: ["/*/report_infos"], formatName: "Wapiti XML")
        var findings: [Finding] = []
        var indexByKey: [String: Int] = [:]
        let summary = try reader.read(input) { record throws(ParseError) in
            try checkRoot(record.root)
            for finding in try Self.entryFindings(in: record.element) {
                let key = finding.description + finding.title + finding.severity.rawValue
                if let index = indexByKey[key] {
                    findings[index].requestResponsePairs += finding.requestResponsePairs
                    findings[index].numberOfOccurrences = (findings[index].numberOfOccurrences ?? 1) + 1
                } else {
                    indexByKey[key] = findings.count
                    findings.append(finding)
                }
            }
        }
        try checkRoot(summary.root)
        var warnings: [String] = []
        let target = summary.header("report_infos")?.children.first { $0.localName == "info" && $0.attribute("name") == "target" }
        if let target, !findings.isEmpty {
            let url = target.text ?? ""
            do {
                let endpoint = try EndpointURL.parse(url)
                for index in findings.indices {
                    findings[index].endpoints = Array(repeating: endpoint, count: findings[index].numberOfOccurrences ?? 1)
                }
            } catch {
                warnings.append("Line \(target.line): skipped the target endpoint \"\(url)\": \(error).")
            }
        }
        return ParseResult(findings: findings, warnings: warnings)
    }

    private static func checkRoot(_ root: XMLElementNode) throws(ParseError) {
        guard root.tag.contains("report") else {
            throw root.error(
                .unsupportedFormat, "This doesn't seem to be a valid Wapiti XML file: the root is <\(root.qualifiedName)>, expected <report>.")
        }
    }

    /// The findings of one `<vulnerability>`, one per entry, in document order.
    private static func entryFindings(in vulnerability: XMLElementNode) throws(ParseError) -> [Finding] {
        guard let category = vulnerability.attribute("name") else {
            throw vulnerability.error(.missingField, "A <vulnerability> has no name attribute.")
        }
        guard let description = vulnerability.findText("description") else {
            throw vulnerability.error(.missingField, "The <vulnerability> \"\(category)\" has no <description>.")
        }
        var cwes: [Int] = []
        var references: [String] = []
        for reference in vulnerability.findAll("references/reference") {
            guard let title = reference.findText("title") else {
                throw reference.error(.missingField, "A <reference> of \"\(category)\" has no <title>.")
            }
            if title.hasPrefix("CWE"), let cwe = firstCWE(in: title) { cwes.append(cwe) }
            references.append("* [\(title)](\(reference.findText("url") ?? "None"))")
        }
        var findings: [Finding] = []
        for entry in vulnerability.findAll("entries/entry") {
            guard let info = entry.findText("info") else {
                throw entry.error(.missingField, "An <entry> of \"\(category)\" has no <info>.")
            }
            let severity = entry.findText("level").flatMap { severities[$0] } ?? .info
            var finding = Finding(title: category + ": " + info, severity: severity, description: description)
            finding.mitigation = vulnerability.findText("solution")
            finding.references = references.joined(separator: "\n")
            finding.dynamicFinding = true
            finding.staticFinding = false
            finding.numberOfOccurrences = 1
            if let first = cwes.first, first != 0 { finding.cwe = first }
            finding.cwes = cwes
            finding.requestResponsePairs = [RequestResponsePair(request: entry.findText("http_request") ?? "", response: "")]
            findings.append(finding)
        }
        return findings
    }

    /// The number of the first `CWE-<digits>` (any case) in the text; `nil` when there is none or
    /// it does not fit an `Int`.
    static func firstCWE(in text: String) -> Int? {
        let bytes = Array(text.utf8)
        var index = 0
        while index + 4 < bytes.count {
            let isPrefix = (bytes[index] | 0x20) == 0x63 && (bytes[index + 1] | 0x20) == 0x77
                && (bytes[index + 2] | 0x20) == 0x65 && bytes[index + 3] == 0x2D
            var end = index + 4
            while isPrefix, end < bytes.count, (0x30...0x39).contains(bytes[end]) { end += 1 }
            if isPrefix, end > index + 4 {
                return Int(String(decoding: bytes[(index + 4)..<end], as: UTF8.self))
            }
            index += 1
        }
        return nil
    }
}
