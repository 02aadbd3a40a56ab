// Snyk Scan — Snyk Open Source / Container JSON (`snyk test --json`, `snyk container test
// --json`), one project or a list of projects (`--all-projects`).
//
// Formats: an object with `vulnerabilities` (each with id, title, packageName, version, from,
// semver.vulnerable, severity, cvssScore, CVSSv3, identifiers.CVE/CWE, references, epssDetails,
// description), `displayTargetFile` and `remediation.upgrade`; or a list of such objects. A SARIF
// log with results (Snyk Code) is read as "Snyk Code Scan" reads it. Anything else has no
// findings, as in DefectDojo.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/snyk/{no_vuln,one_vuln,many_vulns}.json, plus an
// all-projects list, a Snyk Code SARIF report, CVSS edge cases and malformed variants.
//
// Field mapping (DefectDojo dojo/tools/snyk/parser.py), one finding per vulnerability in order:
//   "<from[0]>: <title>" → title; cvssScore ≤3.9 Low, 4.0–6.9 Medium, 7.0–8.9 High, else
//   Critical (scores between those bands too); no score → severity word, title-cased
//   package, version, vulnerable versions, path and the advisory text → description (stripped)
//   the "## Remediation" section → mitigation, plus target file and matching upgrades
//   packages of `from` without versions, " > "-joined → file_path; packageName/version →
//   component_name/version; id → vuln_id_from_tool; CVSSv3 → cvssv3 (cleaned); epssDetails →
//   epss_score/percentile; CVE ids → vulnerability_ids; first CWE → cwe (1035 for an empty
//   list), all → cwes; Snyk link, CWE list and references → references; severity → impact;
//   target_file:/upgrade_to: tags; static true, dynamic false.
import BulwarkCore
import Foundation

/// Parses Snyk JSON reports (`Snyk Scan`).
public struct SnykParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Snyk Scan", label: "Snyk Scan",
            summary: "Snyk JSON output (snyk test --json), one project or a list; Snyk Code SARIF is also read.", version: 1,
            dedupe: .hashCode(fields: [.vulnIDFromTool, .filePath, .componentName, .componentVersion])),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let data = try input.readData()
            let root = try OrderedJSONParser.parse(data)
            if let projects = root.arrayValue {
                var findings: [Finding] = []
                for (index, project) in projects.enumerated() {
                    findings.append(contentsOf: try Self.findings(of: project, path: "$[\(index)]", data: data))
                }
                return ParseResult(findings: findings)
            }
            return ParseResult(findings: try Self.findings(of: root, path: "$", data: data))
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func findings(of project: JSONValue, path: String, data: Data) throws(ParseError) -> [Finding] {
        guard project.isTruthy, let tree = project.objectValue else { return [] }
        if let vulnerabilities = tree["vulnerabilities"] {
            guard let list = vulnerabilities.arrayValue else {
                throw ParseError(.invalidValue, "\"vulnerabilities\" must be a list.", position: .jsonPath(path + ".vulnerabilities"))
            }
            let context = SnykProjectContext(
                targetFile: tree["displayTargetFile"].flatMap { $0.isNull ? nil : PythonLiteral.str($0) },
                upgrades: tree["remediation"]?["upgrade"]?.objectValue)
            var findings: [Finding] = []
            for (index, item) in list.enumerated() {
                let itemPath = "\(path).vulnerabilities[\(index)]"
                guard let vulnerability = item.objectValue else {
                    throw ParseError(.invalidValue, "Each vulnerability must be an object.", position: .jsonPath(itemPath))
                }
                findings.append(try SnykVulnerability(vulnerability, path: itemPath).finding(in: context))
            }
            return findings
        }
        if let runs = tree["runs"]?.arrayValue, let first = runs.first, first["results"]?.isTruthy ?? false {
            // DefectDojo hands SARIF logs to its Snyk Code parser.
            let log = path == "$" ? data : Data(PythonJSON.dumps(project).utf8)
            return try SarifParser.parseLog(log, dialect: SnykCodeDialect()).findings
        }
        return []
    }
}

/// Project-level facts every vulnerability of a Snyk project shares.
struct SnykProjectContext {
    let targetFile: String?
    let upgrades: JSONObject?
}
