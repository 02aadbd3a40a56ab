// OpenVAS Parser — Greenbone OpenVAS / GVM reports.
//
// Formats: the XML report export (`<report><report><results><result>…`, streamed one result at
// a time) and the CSV results export (IP, Hostname, Port, Port Protocol, CVSS, Severity, NVT
// Name, Summary, …; any column order). The file name picks the format (.csv vs .xml); without
// one, a report starting with `<` is read as XML.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/openvas/{no_vuln,one_vuln,many_vulns}.{xml,csv},
// plus entity bomb / external entity, truncated and wrong-root reports.
//
// Field mapping (DefectDojo dojo/tools/openvas/parser_v1):
//   XML, per <result> child in order: name → title and "**Name**" line; hostname, host and port
//   are appended to the title with "_"; hostname (else host) → endpoint host, port "N/proto" →
//   endpoint port and protocol; nvt@oid → vuln_id_from_tool; threat (Info…Critical, else Info)
//   → severity; every field also gives a "**Field**: text" description line. A result missing
//   name or threat keeps the previous result's (DefectDojo's loop variables).
//   CSV, by lower-cased column: nvt name → title, summary → description (+ "**IP**" line),
//   severity, cvss → cvssv3 score, solution → mitigation, vulnerability insight → impact,
//   specific result → references, cweid → cwe, cves / CVEs in nvt oid → vulnerability_ids,
//   timestamp → date, hostname (else ip) / port / port protocol → endpoint; identical
//   endpoint + severity + title + description rows are dropped.
import BulwarkCore
import Foundation

/// Parses Greenbone OpenVAS XML and CSV reports (`OpenVAS Parser`).
public struct OpenVASParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "OpenVAS Parser", label: "OpenVAS Parser",
            summary: "Greenbone OpenVAS report as CSV or XML.", version: 1, dedupe: .legacy),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            if try Self.isXML(input) {
                return ParseResult(findings: try OpenVASXMLReport.findings(in: input))
            }
            return ParseResult(findings: try OpenVASCSVReport.findings(in: try input.readData()))
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func isXML(_ input: ScanInput) throws(ParseError) -> Bool {
        let name = (input.filename ?? "").lowercased()
        if name.hasSuffix(".xml") { return true }
        if name.hasSuffix(".csv") { return false }
        let head = try input.prefix(512)
        let bytes = head.starts(with: [0xEF, 0xBB, 0xBF]) ? head.dropFirst(3) : head[...]
        return bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == 0x3C
    }
}

/// The XML export, one `<result>` at a time.
enum OpenVASXMLReport {
    private static let severities: Set<String> = ["Info", "Low", "Medium", "High", "Critical"]

    static func findings(in input: ScanInput) throws(ParseError) -> [Finding] {
        let reader = XMLRecordReader(records: ["/*/report/results/*"], formatName: "OpenVAS XML")
        var findings: [Finding] = []
        var title: String?
        var description: [String] = []
        var severity: Severity?
        let summary = try reader.read(input) { (record: XMLRecord) throws(ParseError) in
            guard record.root.tag.contains("report") else { return }
            var scriptID: String?
            var host = ""
            var port: Int?
            var protocolName = ""
            for field in record.element.children {
                let text = field.text
                let shown = text ?? "None"
                switch field.tag {
                case "name":
                    title = text
                    description = ["**Name**: \(shown)"]
                case "hostname", "host", "port":
                    guard let current = title else {
                        throw field.error(.missingField, "A <result> has a <\(field.tag)> before any <name>.")
                    }
                    title = current + "_" + (text ?? "")
                    let label = field.tag == "port" ? "Port" : (field.tag == "host" ? "Host" : "Hostname")
                    description.append("**\(label)**: \(shown)")
                    guard let text, !text.isEmpty else { break }
                    if field.tag == "hostname" {
                        host = PythonText.strip(text)
                    } else if field.tag == "host" {
                        if host.isEmpty { host = PythonText.strip(text) }
                    } else {
                        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
                        guard parts.count == 2 else {
                            throw field.error(.invalidValue, "The <port> \"\(text)\" is not \"port/protocol\".")
                        }
                        port = Int(PythonText.strip(String(parts[0])))
                        protocolName = String(parts[1])
                    }
                case "nvt":
                    description.append("**NVT**: \(shown)")
                    scriptID = field.attribute("oid").flatMap { $0.isEmpty ? nil : $0 } ?? text
                case "severity": description.append("**Severity**: \(shown)")
                case "threat":
                    description.append("**Threat**: \(shown)")
                    severity = text.flatMap { severities.contains($0) ? Severity(rawValue: $0) : nil } ?? .info
                case "qod": description.append("**QOD**: \(shown)")
                case "description": description.append("**Description**: \(shown)")
                default: break
                }
            }
            guard let title else { throw record.element.error(.missingField, "The first <result> has no <name>.") }
            guard let severity else { throw record.element.error(.missingField, "The first <result> has no <threat>.") }
            var finding = Finding(title: title, severity: severity, description: description.joined(separator: "\n"))
            finding.dynamicFinding = true
            finding.staticFinding = false
            finding.vulnIDFromTool = scriptID
            finding.endpoints = [EndpointURL(protocol: protocolName, host: host, port: port)]
            findings.append(finding)
        }
        guard summary.root.tag.contains("report") else {
            throw summary.root.error(
                .unsupportedFormat, "This doesn't seem to be a valid Greenbone OpenVAS XML file: the root is <\(summary.root.qualifiedName)>.")
        }
        return findings
    }
}
