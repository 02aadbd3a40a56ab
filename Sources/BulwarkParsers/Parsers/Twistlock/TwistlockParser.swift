// Twistlock Image Scan — Prisma Cloud Compute (Twistlock) image scan results, JSON or CSV.
//
// Formats: `twistcli images scan --output-file` JSON (`results[0].vulnerabilities[]` and
// `results[0].compliances[]`) and the Prisma Cloud console's image vulnerability CSV export
// (Registry, Repository, Tag, Id, Distro, Hosts, CVE ID, Severity, Packages, Package Version,
// CVSS, Fix Status, Description, Published, Discovered, …). The file name decides (`.json` /
// `.csv`), as in DefectDojo; without a name the content does (a leading `{` means JSON).
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/twistlock/{no_vuln,one_vuln,many_vulns,
// compliance}.json, {no_vuln,one_vuln,many_vulns}.csv, plus malformed variants.
//
// Field mapping (DefectDojo dojo/tools/twistlock/parser.py), see TwistlockMapping.swift:
//   JSON vulnerability: "<id>: <packageName> - <packageVersion>" → title; severity important →
//   High, moderate → Medium, information(al) → Info, else title-cased; description + package
//   and version lines → description; status (title-cased) → mitigation; link → references;
//   vector / cvss → cvssv3 / cvssv3_score and severity_justification with the risk factors;
//   discoveredDate → date; packagePath → file_path; severity and image id/distro → impact.
//   Repeats of id + package + version + severity keep the first position and the last content.
//   JSON compliance: "Compliance: <title>" → title; id, category, description → description;
//   id → vuln_id_from_tool; "compliance" and the category → tags.
//   CSV: "<CVE ID>: <Packages> - <Package Version>" (shortened to 255 characters) → title;
//   Published (or Discovered) → date; registry, repository, tag, image, distro, hosts,
//   containers, clusters, binaries, labels and dates → impact; Fix Status → mitigation; rows
//   repeating severity, title and description are dropped.
import BulwarkCore
import Foundation

/// Parses Prisma Cloud / Twistlock image scans (`Twistlock Image Scan`).
public struct TwistlockParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Twistlock Image Scan", label: "Twistlock Image Scan",
            summary: "JSON output of twistcli image scan or CSV.", version: 1,
            dedupe: .hashCode(fields: [.title, .severity, .componentName, .componentVersion])),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            switch try SysdigFormat.of(input) {
            case .json:
                let tree = try JSONReport.read(input)
                guard tree.isTruthy else { return ParseResult(findings: []) }
                guard tree.objectValue != nil else {
                    throw ParseError(.unsupportedFormat, "The report is JSON but not a twistcli scan: expected an object.", position: .jsonPath("$"))
                }
                return ParseResult(findings: try TwistlockMapping.jsonFindings(tree))
            case .csv:
                return ParseResult(findings: try TwistlockMapping.csvFindings(CSVTable(data: try input.readData())))
            case .other:
                throw ParseError(.unsupportedFormat, "Unknown File Format")
            }
        } catch {
            throw error.naming(scanType)
        }
    }
}
