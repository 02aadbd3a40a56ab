// NPM Audit v7+ Scan — `npm audit --json` output of npm 7 and later (auditReportVersion 2).
//
// Formats: the plain report `{"auditReportVersion": 2, "vulnerabilities": {...}, "metadata":
// {...}}` and the dry-run fix report, where the same object sits under `audit`. Each entry of
// `vulnerabilities` is keyed by package name and has name, severity, range, nodes, effects,
// fixAvailable (false, true or {name, version}) and `via`: either advisories (title, url, source,
// cwe, cvss.vectorString) or names of other vulnerable packages.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/npm_audit_7_plus/{no_vuln,one_vuln,many_vulns}.json,
// plus the fix dry-run layout, a v6 report (refused) and malformed variants.
//
// Field mapping (DefectDojo dojo/tools/npm_audit_7_plus/parser.py), one finding per entry in
// document order (entries with the same title and severity keep the first position and the last
// content):
//   first via an advisory: its title → title, first node → component_name, first CWE → cwe
//   (0 when none), all → cwes, source → vuln_id_from_tool, CVSS 3 vector → cvssv3 (cleaned) and
//   cvssv3_score (environmental score); advisory urls → references (", "-joined)
//   first via a package name: the entry's name → title and component_name, cwe 1035
//   severity low/moderate/high/critical → Low/Medium/High/Critical, else Info
//   name, range, severity, via lines, fix, nodes and the effects tree → description
//   fixAvailable {name, version} → "Update <name> to version <version>" → mitigation
//   impact "No impact provided"; static true, dynamic false.
import BulwarkCore
import Foundation

/// Parses npm audit JSON of npm 7 and later (`NPM Audit v7+ Scan`).
public struct NpmAudit7PlusParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "NPM Audit v7+ Scan", label: "NPM Audit v7+ Scan",
            summary: "npm audit JSON output of npm 7 and later (npm audit --json).", version: 1,
            dedupe: .hashCode(fields: [.title, .severity, .cwe, .vulnIDFromTool])),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let root = try OrderedJSONParser.parse(try input.readData())
            guard let report = root.objectValue else {
                throw ParseError(.unsupportedFormat, "The report is JSON but not an npm audit report: expected an object.", position: .jsonPath("$"))
            }
            var audit = report
            var basePath = "$"
            if let nested = report["audit"], nested.isTruthy {
                guard let object = nested.objectValue else {
                    throw ParseError(.invalidValue, "\"audit\" must be an object.", position: .jsonPath("$.audit"))
                }
                audit = object
                basePath = "$.audit"
            }
            guard audit["auditReportVersion"]?.isTruthy ?? false else {
                throw ParseError(
                    .unsupportedVersion,
                    "This scan type reads npm audit reports of npm 7 and later (with \"auditReportVersion\"); use \"NPM Audit Scan\" for older ones.",
                    position: .jsonPath(basePath))
            }
            guard let vulnerabilities = audit["vulnerabilities"]?.objectValue else {
                throw ParseError(.missingField, "The \"vulnerabilities\" object is missing.", position: .jsonPath(basePath))
            }
            let tree = NpmVulnerabilityTree(entries: vulnerabilities, path: basePath + ".vulnerabilities")
            var keys: [String] = []
            var byKey: [String: Finding] = [:]
            for member in vulnerabilities.members {
                let finding = try tree.finding(for: member.key)
                let key = finding.title + finding.severity.rawValue
                if byKey.updateValue(finding, forKey: key) == nil { keys.append(key) }
            }
            return ParseResult(findings: keys.compactMap { byKey[$0] })
        } catch {
            throw error.naming(scanType)
        }
    }
}

/// The `vulnerabilities` object of an npm 7+ report, with the lookups DefectDojo makes into it.
struct NpmVulnerabilityTree {
    let entries: JSONObject
    let path: String

    func entryPath(_ key: String) -> String { path + JSONPath.member(key) }

    func entry(_ key: String) throws(ParseError) -> JSONObject {
        guard let value = entries[key] else {
            throw ParseError(.invalidValue, "\"effects\" names \"\(key)\", which is not in \"vulnerabilities\".", position: .jsonPath(path))
        }
        guard let object = value.objectValue else {
            throw ParseError(.invalidValue, "Each vulnerability must be an object.", position: .jsonPath(entryPath(key)))
        }
        return object
    }

    func text(_ object: JSONObject, _ key: String, at path: String) throws(ParseError) -> String {
        guard let value = object[key] else {
            throw ParseError(.missingField, "Required field \"\(key)\" is missing.", position: .jsonPath(path))
        }
        guard let text = value.stringValue else {
            throw ParseError(.invalidValue, "\"\(key)\" must be text.", position: .jsonPath(path + JSONPath.member(key)))
        }
        return text
    }

    func list(_ object: JSONObject, _ key: String, at path: String) throws(ParseError) -> [JSONValue] {
        guard let value = object[key] else {
            throw ParseError(.missingField, "Required field \"\(key)\" is missing.", position: .jsonPath(path))
        }
        guard let items = value.arrayValue else {
            throw ParseError(.invalidValue, "\"\(key)\" must be a list.", position: .jsonPath(path + JSONPath.member(key)))
        }
        return items
    }

    func texts(_ object: JSONObject, _ key: String, at path: String) throws(ParseError) -> [String] {
        try list(object, key, at: path).map(PythonLiteral.str)
    }

    func finding(for key: String) throws(ParseError) -> Finding {
        let node = try entry(key)
        let path = entryPath(key)
        let via = try list(node, "via", at: path)
        guard let first = via.first else {
            throw ParseError(.invalidValue, "\"via\" must name at least one advisory or package.", position: .jsonPath(path + ".via"))
        }
        let severityWord = node["severity"]?.stringValue
        var finding = Finding(title: "", severity: NpmAdvisory.severity(severityWord))
        var references: [String] = []
        if first.stringValue != nil {
            let name = try text(node, "name", at: path)
            finding.title = name
            finding.componentName = name
            finding.cwe = 1035
            finding.vulnIDFromTool = ""
        } else if let advisory = first.objectValue {
            let advisoryPath = path + ".via[0]"
            finding.title = try text(advisory, "title", at: advisoryPath)
            finding.componentName = try texts(node, "nodes", at: path).first
            let cwes = try texts(advisory, "cwe", at: advisoryPath)
            finding.cwe = cwes.first.map { Self.cweNumber($0, at: advisoryPath) } ?? 0
            finding.cwes = cwes.filter { !$0.isEmpty }.map { Self.cweNumber($0, at: advisoryPath) }
            references.append(try text(advisory, "url", at: advisoryPath))
            finding.vulnIDFromTool = advisory["source"].map(PythonLiteral.str) ?? "None"
            if let vector = advisory["cvss"]?["vectorString"]?.stringValue, let cvss = CVSS3Calculator(PythonText.strip(vector)) {
                finding.cvssV3 = cvss.cleanVector
                finding.cvssV3Score = cvss.environmentalScore
            }
            for other in via.dropFirst() {
                if let url = other["url"] { references.append(PythonLiteral.str(url)) }
            }
        } else {
            throw ParseError(.invalidValue, "\"via\" entries must be advisories or package names.", position: .jsonPath(path + ".via[0]"))
        }
        if let fix = node["fixAvailable"]?.objectValue {
            finding.mitigation = "Update \(fix["name"].map(PythonLiteral.str) ?? "None") to version \(fix["version"].map(PythonLiteral.str) ?? "None")"
        } else {
            finding.mitigation = "No specific mitigation provided by tool."
        }
        finding.description = try description(of: node, path: path, via: via)
        finding.references = references.joined(separator: ", ")
        finding.impact = "No impact provided"
        finding.staticFinding = true
        finding.dynamicFinding = false
        return finding
    }

    /// DefectDojo's `get_vuln_description`: the entry, its advisories, fix and nodes, then each
    /// package it affects with that package's own dependencies and effects.
    private func description(of node: JSONObject, path: String, via: [JSONValue]) throws(ParseError) -> String {
        var text = try self.text(node, "name", at: path) + " " + self.text(node, "range", at: path) + "\n"
        text += "Severity: " + (node["severity"].map(PythonLiteral.str) ?? "None") + "\n"
        for (index, item) in via.enumerated() {
            if let name = item.stringValue {
                text += "Depends on vulnerable versions of \(name)\n"
            } else if let advisory = item.objectValue {
                let advisoryPath = "\(path).via[\(index)]"
                text += try self.text(advisory, "title", at: advisoryPath) + " - " + self.text(advisory, "url", at: advisoryPath) + "\n"
            }
        }
        if let fix = node["fixAvailable"]?.objectValue {
            text += "Fix Available: Update \(fix["name"].map(PythonLiteral.str) ?? "None") to version \(fix["version"].map(PythonLiteral.str) ?? "None")\n"
        } else {
            text += "No specific mitigation provided by tool.\n"
        }
        for name in try texts(node, "nodes", at: path) { text += name + "\n" }
        var handled: [String] = []
        for effectKey in try texts(node, "effects", at: path) {
            let effect = try entry(effectKey)
            let effectPath = entryPath(effectKey)
            let effectName = try self.text(effect, "name", at: effectPath)
            text += "  " + effectName + " " + (try self.text(effect, "range", at: effectPath)) + "\n"
            handled.append(effectName)
            for dependency in try list(effect, "via", at: effectPath) {
                let name = dependency.objectValue.map { $0["name"].map(PythonLiteral.str) ?? "None" } ?? PythonLiteral.str(dependency)
                if name != effectName { text += "  Depends on vulnerable versions of \(name)\n" }
            }
            let effectNodes = try texts(effect, "nodes", at: effectPath)
            for name in effectNodes { text += "  " + name + "\n" }
            for nestedKey in try texts(effect, "effects", at: effectPath) where !handled.contains(nestedKey) {
                let nested = try entry(nestedKey)
                let nestedPath = entryPath(nestedKey)
                text += "    " + (try self.text(nested, "name", at: nestedPath)) + " " + (try self.text(nested, "range", at: nestedPath)) + "\n"
                for name in effectNodes { text += "    " + name + "\n" }
            }
        }
        return text
    }

    /// `int("CWE-79".split("-")[1])`; 0 when the text has no number after the dash.
    private static func cweNumber(_ text: String, at path: String) -> Int {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count > 1 else { return 0 }
        return LooseFields.pythonInt(String(parts[1])) ?? 0
    }
}
