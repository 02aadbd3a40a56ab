// Dependency Check Scan — OWASP Dependency-Check XML reports.
//
// Formats: the XML report (`analysis` → `projectInfo`, `dependencies` → `dependency` →
// `vulnerabilities` → `vulnerability` / `suppressedVulnerability`), with or without the schema
// namespace (dependency-check.1.x to 4.x xsd: the namespace is taken from the root, as DefectDojo
// does). Streamed one `<dependency>` at a time; `projectInfo` is kept as a header.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/dependency_check/{no_vuln,one_vuln,many_vulns}.xml
// (many_vulns: schema 2.5 namespace, purl/CPE/maven/evidence components, CVSS v3 and v2,
// suppressed vulnerabilities, related dependencies, duplicates), legacy_1_3.xml (older schema,
// no namespace), plus malformed variants (truncated.xml, no_filename.xml, wrong_root.xml).
//
// Field mapping (DefectDojo dojo/tools/dependency_check/parser.py), one finding per vulnerability:
//   "<component name>:<component version> | <vulnerability name>" → title
//   component: package purl (namespace:name, version), else CPE identifier (vendor:product,
//   version), else maven identifier (group:artifact, version), else evidence product/version,
//   else the dependency file name
//   dependency fileName → file_path; cwes/cwe (first "CWE-n") → cwe (default 1035), all → cwes
//   description (+ "**Source:**", "**Filepath:**", "**Related Filepaths:**" lines) → description
//   cvssV3 metrics → cvssv3 vector, cvssv3_score and severity; else cvssV2/severity; else
//   severity; unknown or missing → Medium
//   name starting with "CVE" (first 28 characters) → vulnerability_ids
//   references (source, url, name) → references; "Update <component> …" → mitigation
//   suppressedVulnerability → inactive, is_mitigated, tag "suppressed" (+ notes in mitigation;
//   "no_suppression_document" without notes). DefectDojo also stamps `mitigated` with the
//   current time; a parser has no clock, so the importer's default applies.
//   projectInfo reportDate → date (UTC day); static true, dynamic false.
// Findings with the same title, cwe and (lower-cased) file path keep the first one.
import BulwarkCore

/// Parses OWASP Dependency-Check XML reports (`Dependency Check Scan`).
public struct DependencyCheckParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Dependency Check Scan", label: "Dependency Check Scan",
            summary: "OWASP Dependency-Check XML report.", version: 1,
            dedupe: .hashCode(fields: [.title, .cwe, .filePath])),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do {
            return ParseResult(findings: try Self.findings(in: input))
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func findings(in input: ScanInput) throws(ParseError) -> [Finding] {
        let reader = XMLRecordReader(
            records: ["/*/dependencies/dependency"], headers: ["/*/projectInfo"], rootNames: ["analysis"],
            formatName: "Dependency-Check XML")
        var findings: [Finding] = []
        var seen: Set<String> = []
        /// The line of the first `<dependencies>` in the report's namespace (ElementTree's `find`).
        var dependenciesLine: Int?
        let summary = try reader.read(input) { record throws(ParseError) in
            let names = DependencyCheckNames(namespace: record.root.namespaceURI)
            guard let parent = record.parent, parent.tag == names.tag("dependencies"),
                  record.element.tag == names.tag("dependency") else { return }
            if dependenciesLine == nil { dependenciesLine = parent.line }
            guard parent.line == dependenciesLine else { return }
            for finding in try DependencyCheckMapping(names: names).findings(of: record.element) {
                let key = "\(finding.title)|\(finding.cwe.map(String.init) ?? "None")|\((finding.filePath ?? "None").lowercased())"
                if seen.insert(key).inserted { findings.append(finding) }
            }
        }
        let names = DependencyCheckNames(namespace: summary.root.namespaceURI)
        if let projectInfo = summary.headers.first(where: { $0.tag == names.tag("projectInfo") }),
           let reportDate = projectInfo.findText(names.tag("reportDate")), !reportDate.isEmpty {
            guard let date = DateParsing.flexible(reportDate)?.utcCalendarDate else {
                throw projectInfo.error(.invalidValue, "The reportDate \"\(reportDate)\" is not a date.")
            }
            for index in findings.indices { findings[index].date = date }
        }
        return findings
    }
}

/// Element names in the report's namespace, spelled as ElementTree tags (`{uri}name`).
struct DependencyCheckNames {
    let namespace: String?

    func tag(_ name: String) -> String {
        namespace.map { "{\($0)}\(name)" } ?? name
    }
}
