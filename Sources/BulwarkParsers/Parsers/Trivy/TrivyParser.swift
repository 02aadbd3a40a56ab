// Trivy Scan — Aqua Security Trivy JSON reports.
//
// Formats: schema version 2 (`trivy image|fs|repo|config --format json`: `{"SchemaVersion": 2,
// "Results": [...]}`) with vulnerabilities, misconfigurations, secrets and licenses; the Kubernetes
// report (`trivy k8s`: `ClusterName` with `Vulnerabilities`, `Misconfigurations` and `Resources`,
// each resource carrying its own `Results`); the legacy report (a bare list of results, or `null`).
// Other objects are refused. `Results` is streamed: each result becomes findings as soon as it is
// read, so a large report never exists as one tree.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/trivy/{no_vuln,one_vuln,many_vulns,legacy,
// legacy_null,kubernetes,misconfigurations_and_secrets,licenses,statuses}.json, plus malformed
// variants.
//
// Field mapping (DefectDojo dojo/tools/trivy/parser.py), see TrivyMapping.swift:
//   vulnerability: "<VulnerabilityID> <PkgName> <InstalledVersion>" → title; Severity (or, when
//   absent, the CVSS of SeveritySource / nvd / ghsa / redhat / bitnami) → severity; CVSS vector
//   and score → cvssv3 (cleaned) / cvssv3_score, or cvssv4; first CweIDs → cwe, all → cwes;
//   Title, target, type, fixed version, Description → description; FixedVersion → mitigation and
//   fix_available; Status → impact and status flags; References → references; PkgPath (or the
//   target) → file_path for package classes; package → component; Type and Class → tags.
//   misconfiguration: "<ID> - <Title>" → title; description with the cause lines as a table;
//   Resolution → mitigation; PrimaryURL then References → references; AVDID → vulnerability_ids.
//   secret: "Secret detected in <target> - <Title>" → title; StartLine → line.
//   license: "License detected in <target> - <Name>" → title; Confidence → scanner_confidence.
//   Kubernetes: "<namespace> / <kind> / <name>" → service. static true, dynamic false.
// Vulnerabilities without PkgName or with an unknown Severity are skipped, as DefectDojo does.
// Differences: a CVSS 4.0 vector keeps its text but gets no computed score, and a CVSS 2.0 or
// 4.0 vector gives no severity of its own (DefectDojo computes both with the `cvss` library);
// both matter only for reports without a Severity.
import BulwarkCore
import Foundation

/// Parses Trivy JSON reports (`Trivy Scan`).
public struct TrivyParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Trivy Scan", label: "Trivy Scan", summary: "Import trivy JSON scan report.", version: 1,
            dedupe: .hashCode(fields: [.title, .severity, .vulnerabilityIDs, .cwe, .description])),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let data = try input.readData()
            switch Self.firstByte(of: data) {
            case 0x5B?:
                // Legacy: a bare list of results.
                let results = try OrderedJSONParser.parse(data).arrayValue ?? []
                var mapping = TrivyMapping()
                return ParseResult(findings: try mapping.findings(results: results, service: nil, path: "$"))
            case 0x7B?:
                return ParseResult(findings: try Self.objectReport(data))
            default:
                let value = try OrderedJSONParser.parse(data)
                guard value.isNull else {
                    throw ParseError(.unsupportedFormat, "Schema of Trivy json report is not supported", position: .jsonPath("$"))
                }
                return ParseResult(findings: [])
            }
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func objectReport(_ data: Data) throws(ParseError) -> [Finding] {
        var streamed: [Finding] = []
        var mapping = TrivyMapping()
        let top = try OrderedJSONParser.parseObject(data, streaming: "Results") { (result, index) throws(ParseError) in
            try mapping.append(result: result, service: nil, path: "$.Results[\(index)]", to: &streamed)
        }
        guard case .object(let members, _) = top else { return [] }
        let report = JSONValue.object(members)
        if case .integer(2)? = report["SchemaVersion"] { return streamed }
        if case .number(2)? = report["SchemaVersion"] { return streamed }
        guard let cluster = report["ClusterName"], !cluster.isNull else {
            throw ParseError(.unsupportedFormat, "Schema of Trivy json report is not supported", position: .jsonPath("$"))
        }
        var findings: [Finding] = []
        for key in ["Vulnerabilities", "Misconfigurations"] {
            for (index, resource) in report.list(key).enumerated() {
                let name = serviceName(resource)
                findings += try mapping.findings(
                    results: resource.list("Results"), service: name, path: "$.\(key)[\(index)].Results")
            }
        }
        // DefectDojo builds each resource's name on the previous one's when a namespace is missing.
        var resourceName: String?
        for (index, resource) in report.list("Resources").enumerated() {
            let position = ParseError.Position.jsonPath("$.Resources[\(index)]")
            if let namespace = resource.member("Namespace"), namespace.isTruthy { resourceName = "\(namespace.pythonString) / " }
            for key in ["Kind", "Name"] {
                guard let part = resource.member(key), part.isTruthy else { continue }
                guard let name = resourceName else {
                    throw ParseError(.missingField, "A Kubernetes resource has no Namespace.", position: position)
                }
                resourceName = name + "\(part.pythonString) / "
            }
            guard var name = resourceName else {
                throw ParseError(.missingField, "A Kubernetes resource has no Namespace.", position: position)
            }
            if name.unicodeScalars.count >= 3 { name = String(String.UnicodeScalarView(name.unicodeScalars.dropLast(3))) }
            resourceName = name
            findings += try mapping.findings(results: resource.list("Results"), service: name, path: "$.Resources[\(index)].Results")
        }
        return findings
    }

    /// `"<Namespace> / <Kind> / <Name>"` from the parts present.
    private static func serviceName(_ resource: JSONValue) -> String {
        var name = ""
        for key in ["Namespace", "Kind", "Name"] {
            if let part = resource.member(key), part.isTruthy { name += "\(part.pythonString) / " }
        }
        if name.unicodeScalars.count >= 3 { name = String(String.UnicodeScalarView(name.unicodeScalars.dropLast(3))) }
        return name
    }

    private static func firstByte(of data: Data) -> UInt8? {
        data.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
    }
}
