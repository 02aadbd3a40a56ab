// pip-audit Scan — pip-audit's JSON report (`pip-audit -f json`).
//
// Formats: the current report, an object `{"dependencies": [...], "fixes": [...]}`, and the
// legacy one, a bare array of dependencies. Each dependency has `name`, `version` and `vulns`
// (each with `id`, `fix_versions`, `description`; `aliases` are not used); skipped
// dependencies carry `skip_reason` and no `vulns`.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/pip_audit/{no_vuln,one_vuln,many_vulns}.json
// (current format), legacy_many_vulns.json (legacy array), plus unicode, missing-field and
// malformed variants.
//
// Field mapping (DefectDojo dojo/tools/pip_audit/parser.py), one finding per vulnerability, in
// dependency then vulnerability order:
//   "<id> in <name>:<version>" → title     severity always Medium, cwe always 1395
//   vulns[].description → description      fix_versions → mitigation ("Upgrade to version: x"
//   for one, a "- x" line per version for several; none when there is no fix)
//   name/version → component_name/version  id → vuln_id_from_tool and vulnerability_ids
//   static true, dynamic false.
import BulwarkCore
import Foundation

/// Parses pip-audit JSON reports (`pip-audit Scan`).
public struct PipAuditParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "pip-audit Scan", label: "pip-audit Scan",
            summary: "pip-audit JSON report (pip-audit -f json), current or legacy layout.", version: 1,
            dedupe: .hashCode(fields: [.vulnIDFromTool, .componentName, .componentVersion])),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let root = try OrderedJSONParser.parse(try input.readData())
            let dependencies: [JSONValue]
            let basePath: String
            if let object = root.objectValue {
                guard let list = object["dependencies"] else {
                    throw ParseError(
                        .unsupportedFormat,
                        "The report is JSON but not a pip-audit report: expected \"dependencies\" or a list of dependencies.",
                        position: .jsonPath("$"))
                }
                guard let items = list.arrayValue else {
                    throw ParseError(.invalidValue, "\"dependencies\" must be a list.", position: .jsonPath("$.dependencies"))
                }
                dependencies = items
                basePath = "$.dependencies"
            } else if let items = root.arrayValue {
                dependencies = items
                basePath = "$"
            } else {
                throw ParseError(
                    .unsupportedFormat, "The report is JSON but not a pip-audit report: expected an object or a list.",
                    position: .jsonPath("$"))
            }
            var findings: [Finding] = []
            for (index, dependency) in dependencies.enumerated() {
                try Self.appendFindings(of: dependency, path: "\(basePath)[\(index)]", to: &findings)
            }
            return ParseResult(findings: findings)
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func appendFindings(of value: JSONValue, path: String, to findings: inout [Finding]) throws(ParseError) {
        guard let object = value.objectValue else {
            throw ParseError(.invalidValue, "Each dependency must be an object.", position: .jsonPath(path))
        }
        let fields = LooseFields(object: object, path: path)
        guard fields.contains("name") else {
            throw ParseError(.missingField, "Required field \"name\" is missing.", position: fields.position())
        }
        let name = try fields.string("name")
        let version = try fields.string("version")
        guard let vulns = try fields.list("vulns") else { return }
        for (index, vulnValue) in vulns.enumerated() {
            let vulnPath = "\(path).vulns[\(index)]"
            guard let vuln = vulnValue.objectValue else {
                throw ParseError(.invalidValue, "Each vulnerability must be an object.", position: .jsonPath(vulnPath))
            }
            let vulnFields = LooseFields(object: vuln, path: vulnPath)
            let id = try vulnFields.string("id")
            var finding = Finding(
                title: "\(id ?? "None") in \(name ?? "None"):\(version ?? "None")", severity: .medium,
                description: try vulnFields.string("description") ?? "")
            finding.cwe = 1395
            finding.componentName = name
            finding.componentVersion = version
            finding.vulnIDFromTool = id
            finding.staticFinding = true
            finding.dynamicFinding = false
            if let fixes = try vulnFields.list("fix_versions"), !fixes.isEmpty {
                let versions = fixes.map(\.pythonString)
                finding.mitigation = versions.count == 1
                    ? "Upgrade to version: \(versions[0])"
                    : "Upgrade to version:" + versions.map { "\n- \($0)" }.joined()
            }
            if let id, !id.isEmpty { finding.vulnerabilityIDs = [id] }
            findings.append(finding)
        }
    }
}
