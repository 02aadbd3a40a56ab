// Yarn Audit Scan — `yarn audit --json` (Yarn 1), `yarn npm audit --json` (Yarn 2+) and
// audit-ci's JSON.
//
// Formats, chosen like DefectDojo by what the text contains:
//   - `"type"` anywhere: Yarn 1 JSON Lines; `auditAdvisory` lines carry an npm advisory under
//     `data.advisory`, an `error` line fails the import, other lines are ignored;
//   - else `"value"`: Yarn 2+ JSON Lines, one `{"value": <package>, "children": {ID, Issue,
//     Severity, "Vulnerable Versions", "Tree Versions", Dependents}}` per line;
//   - else one JSON object with `advisories` keyed by id (audit-ci).
// Only lines containing `{` are read in the line formats.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/yarn_audit/{no_vuln,one_vuln,many_vulns}.json
// (Yarn 1), yarn2_many_vulns.json, auditci_many_vulns.json, plus an error report, CRLF and
// malformed variants.
//
// Field mapping (DefectDojo dojo/tools/yarn_audit/parser.py):
//   Yarn 1 — as NPM Audit: "<title> - (<module>, <vulnerable_versions>)" → title, npm
//   severity words, advisory text → description, first CWE → cwe (1035 when none), cves →
//   vulnerability_ids, first path → file_path, first version → component_version; advisories
//   repeating id + module keep the first position and the last content.
//   Yarn 2+ — ID → title, Severity → severity, Issue + versions + sorted dependents →
//   description, value → component_name, sorted distinct tree versions → component_version.
//   audit-ci — "<first CVE>_<module>" → title, advisory fields printed as Python values →
//   description, recommendation → mitigation, url + references → references, first CWE → cwe.
//   All: static true, dynamic false.
import BulwarkCore
import Foundation

/// Parses Yarn audit reports and audit-ci JSON (`Yarn Audit Scan`).
public struct YarnAuditParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Yarn Audit Scan", label: "Yarn Audit Scan",
            summary: "yarn audit JSON Lines (Yarn 1 and 2+) or audit-ci JSON.", version: 1,
            dedupe: .hashCode(fields: [.title, .severity, .filePath, .vulnerabilityIDs, .cwe])),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let data = try input.readData()
            guard let text = String(validating: data, as: UTF8.self) else {
                throw ParseError(.malformedInput, "The report is not UTF-8 text.")
            }
            if text.contains("\"type\"") {
                return ParseResult(findings: try Self.yarnOneFindings(data))
            }
            if text.contains("\"value\"") {
                return ParseResult(findings: try Self.yarnBerryFindings(data))
            }
            return ParseResult(findings: try YarnAuditCIReport.findings(try OrderedJSONParser.parse(data)))
        } catch {
            throw error.naming(scanType)
        }
    }

    /// The lines containing `{`, parsed.
    private static func records(_ data: Data) throws(ParseError) -> [(line: Int, value: JSONValue)] {
        var records: [(line: Int, value: JSONValue)] = []
        for line in JSONLineRecords.lines(of: data, carriageReturnEndsLine: false) where line.contains(0x7B) {
            records.append((line.number, try line.json()))
        }
        return records
    }

    private static func yarnOneFindings(_ data: Data) throws(ParseError) -> [Finding] {
        var keys: [String] = []
        var byKey: [String: Finding] = [:]
        for (line, element) in try records(data) {
            switch element["type"]?.stringValue {
            case "auditAdvisory":
                guard let object = element["data"]?["advisory"]?.objectValue else {
                    throw ParseError(.missingField, "An auditAdvisory line has no \"data.advisory\" object.", position: .text(line: line, column: 1))
                }
                let advisory = NpmAdvisory(object, path: "line \(line): $.data.advisory")
                let finding = try yarnOneFinding(advisory)
                let key = (object["id"].map(PythonLiteral.str) ?? "None") + (object["module_name"].map(PythonLiteral.str) ?? "None")
                if byKey.updateValue(finding, forKey: key) == nil { keys.append(key) }
            case "error":
                let detail = element["data"].map(PythonLiteral.str) ?? "None"
                throw ParseError(.invalidValue, "yarn audit report contains errors: \(detail)", position: .text(line: line, column: 1))
            default:
                continue
            }
        }
        return keys.compactMap { byKey[$0] }
    }

    private static func yarnOneFinding(_ advisory: NpmAdvisory) throws(ParseError) -> Finding {
        let occurrences = try advisory.occurrences()
        guard let first = occurrences.first, let firstPath = first.paths.first else {
            throw ParseError(.missingField, "The advisory's first finding has no path.", position: advisory.fields.position("findings"))
        }
        let module = try advisory.text("module_name")
        var finding = Finding(
            title: try advisory.text("title") + " - (" + module + ", " + advisory.text("vulnerable_versions") + ")",
            severity: NpmAdvisory.severity(advisory.fields.object["severity"]?.stringValue),
            description: try advisory.description(paths: NpmAdvisory.pathList(occurrences)))
        finding.filePath = firstPath
        finding.cwe = advisory.primaryCWE()
        finding.cwes = advisory.cwes()
        finding.mitigation = try advisory.fields.string("recommendation")
        finding.references = try advisory.text("url")
        finding.componentName = module
        finding.componentVersion = first.version.isNull ? nil : PythonLiteral.str(first.version)
        finding.impact = "No impact provided"
        finding.staticFinding = true
        finding.dynamicFinding = false
        finding.vulnerabilityIDs = try advisory.cves()
        return finding
    }

    private static func yarnBerryFindings(_ data: Data) throws(ParseError) -> [Finding] {
        var findings: [Finding] = []
        for (line, element) in try records(data) {
            let position = ParseError.Position.text(line: line, column: 1)
            guard let children = element["children"]?.objectValue else {
                throw ParseError(.missingField, "Each line needs a \"children\" object.", position: position)
            }
            func text(_ key: String) throws(ParseError) -> String {
                guard let value = children[key]?.stringValue else {
                    throw ParseError(.missingField, "\"children\" needs a text \"\(key)\".", position: position)
                }
                return value
            }
            func sortedDistinct(_ key: String) throws(ParseError) -> String {
                guard let items = children[key]?.arrayValue else {
                    throw ParseError(.missingField, "\"children\" needs a \"\(key)\" list.", position: position)
                }
                let distinct = Set(items.map(PythonLiteral.str))
                return distinct.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }.joined(separator: ", ")
            }
            var description = try text("Issue") + "\n"
            description += "**Vulnerable Versions:** " + (try text("Vulnerable Versions")) + "\n"
            description += "**Dependents:** " + (try sortedDistinct("Dependents")) + "\n"
            var finding = Finding(
                title: children["ID"].map(PythonLiteral.str) ?? "None",
                severity: NpmAdvisory.severity(children["Severity"]?.stringValue), description: description)
            finding.componentVersion = try sortedDistinct("Tree Versions")
            if let value = element["value"], !value.isNull { finding.componentName = PythonLiteral.str(value) }
            finding.staticFinding = true
            finding.dynamicFinding = false
            findings.append(finding)
        }
        return findings
    }
}
