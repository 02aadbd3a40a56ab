// Clair Scan — container image vulnerability reports from Clair (clairctl) or the klar client.
//
// Formats: clairctl JSON (`{"image": …, "vulnerabilities": [...]}`, lower-case members) and klar
// JSON (`{"LayerCount": n, "Vulnerabilities": {"<severity>": [...]}}`), chosen as DefectDojo
// does: a non-empty `image` means Clair, a non-zero `LayerCount` means klar, anything else is
// refused.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/clair/{no_vuln,one_vuln,many_vulns,
// klar_many_vulns,klar_no_vuln}.json, plus malformed variants.
//
// Field mapping (DefectDojo dojo/tools/clair/{clair_parser,clairklar_parser}.py):
//   Clair: "<vulnerability> - (<featurename>, <featureversion>)" → title; severity
//   Negligible/Unknown → Info; description + feature, versions, fixed by, namespace, CVE lines →
//   description; fixedby → mitigation; link → references; feature → component name/version;
//   vulnerability → vulnerability_ids. Repeats of vulnerability + feature keep the first
//   position and the last content.
//   klar: severities read in the order Unknown, Negligible, Low, Medium, High, Critical, Defcon1;
//   "<Name> - (<FeatureName>, <FeatureVersion>)" → title; Negligible → Info, Unknown and
//   Defcon1 → Critical; Description/feature/versions/FixedBy → description; "Please use
//   version <FixedBy> of library <FeatureName>" or "A patch could not been found" → mitigation;
//   Link → references; cwe 1035 (vulnerable third-party component); no vulnerability ids.
//   impact "No impact provided"; static true, dynamic false.
import BulwarkCore
import Foundation

/// Parses Clair and klar JSON reports (`Clair Scan`).
public struct ClairParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Clair Scan", label: "Clair Scan",
            summary: "Import JSON reports of Docker image vulnerabilities from clair or clair klar client.", version: 1,
            dedupe: .hashCode(fields: [.title, .vulnerabilityIDs, .description, .severity])),
    ]

    private static let klarSeverities = ["Unknown", "Negligible", "Low", "Medium", "High", "Critical", "Defcon1"]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let report = try JSONReport.object(try JSONReport.read(input), tool: "Clair")
            if let image = report.member("image"), image.isTruthy {
                guard let list = report.member("vulnerabilities"), list.isTruthy else { return ParseResult(findings: []) }
                guard let nodes = list.arrayValue else {
                    throw ParseError(.invalidValue, "\"vulnerabilities\" must be a list.", position: .jsonPath("$.vulnerabilities"))
                }
                return ParseResult(findings: try Self.clairFindings(nodes))
            }
            if let layers = report.member("LayerCount"), layers.isTruthy {
                guard let tree = report.member("Vulnerabilities"), tree.isTruthy else { return ParseResult(findings: []) }
                return ParseResult(findings: try Self.klarFindings(tree))
            }
            throw ParseError(
                .unsupportedFormat, "The report is JSON but neither a Clair (\"image\") nor a klar (\"LayerCount\") report.",
                position: .jsonPath("$"))
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func clairFindings(_ nodes: [JSONValue]) throws(ParseError) -> [Finding] {
        var findings: [Finding] = []
        var positions: [String: Int] = [:]
        for (index, node) in nodes.enumerated() {
            let path = "$.vulnerabilities[\(index)]"
            let fields = RequiredFields(node: node, path: path)
            let vulnerability = try fields.text("vulnerability"), feature = try fields.text("featurename")
            let version = try fields.text("featureversion"), rawSeverity = try fields.text("severity")
            let fixedBy = try fields.text("fixedby"), link = try fields.text("link")
            let severity = rawSeverity == "Negligible" || rawSeverity == "Unknown" ? "Info" : rawSeverity
            let description = try fields.text("description") + "\n Vulnerable feature: \(feature)"
                + "\n Vulnerable Versions: \(version)\n Fixed by: \(fixedBy)"
                + "\n Namespace: \(try fields.text("namespace"))\n CVE: \(vulnerability)"
            var finding = Finding(
                title: "\(vulnerability) - (\(feature), \(version))",
                severity: try Severity.sanitizedOrThrow(severity, at: .jsonPath(path + ".severity")), description: description)
            finding.mitigation = fixedBy
            finding.references = link
            finding.componentName = feature
            finding.componentVersion = version
            finding.impact = "No impact provided"
            finding.staticFinding = true
            finding.dynamicFinding = false
            if !vulnerability.isEmpty { finding.vulnerabilityIDs = [vulnerability] }
            let key = vulnerability + feature
            if let existing = positions[key] {
                findings[existing] = finding
            } else {
                positions[key] = findings.count
                findings.append(finding)
            }
        }
        return findings
    }

    private static func klarFindings(_ tree: JSONValue) throws(ParseError) -> [Finding] {
        var findings: [Finding] = []
        for group in klarSeverities {
            guard let list = tree.member(group), list.isTruthy else { continue }
            guard let nodes = list.arrayValue else {
                throw ParseError(.invalidValue, "\"\(group)\" must be a list.", position: .jsonPath("$.Vulnerabilities.\(group)"))
            }
            var groupFindings: [Finding] = []
            var positions: [String: Int] = [:]
            for (index, node) in nodes.enumerated() {
                let finding = try klarFinding(node, path: "$.Vulnerabilities.\(group)[\(index)]")
                let key = node.pythonText("Name") + node.pythonText("FeatureName")
                if let existing = positions[key] {
                    groupFindings[existing] = finding
                } else {
                    positions[key] = groupFindings.count
                    groupFindings.append(finding)
                }
            }
            findings += groupFindings
        }
        return findings
    }

    private static func klarFinding(_ node: JSONValue, path: String) throws(ParseError) -> Finding {
        let fields = RequiredFields(node: node, path: path)
        let rawSeverity = try fields.text("Severity")
        let severity = switch rawSeverity {
        case "Negligible": "Info"
        case "Unknown", "Defcon1": "Critical"
        default: rawSeverity
        }
        var description = ""
        if node["Description"] != nil { description += node.pythonText("Description") + "\n<br /> " }
        if node["FeatureName"] != nil { description += "Vulnerable feature: \(node.pythonText("FeatureName"))\n<br />" }
        if node["FeatureVersion"] != nil { description += " Vulnerable Versions: \(node.pythonText("FeatureVersion"))" }
        let mitigation: String
        if node["FixedBy"] != nil {
            description += "\n Fixed by: \(node.pythonText("FixedBy"))"
            mitigation = "Please use version \(try fields.text("FixedBy")) of library \(try fields.text("FeatureName"))"
        } else {
            mitigation = "A patch could not been found"
        }
        var finding = Finding(
            title: "\(try fields.text("Name")) - (\(try fields.text("FeatureName")), \(try fields.text("FeatureVersion")))",
            severity: try Severity.sanitizedOrThrow(severity, at: .jsonPath(path + ".Severity")), description: description)
        finding.mitigation = mitigation
        finding.references = node["Link"] != nil ? node.pythonText("Link") : ""
        finding.cwe = 1035
        finding.impact = "No impact provided"
        finding.staticFinding = true
        finding.dynamicFinding = false
        return finding
    }
}
