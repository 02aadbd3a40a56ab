// NPM Audit Scan — `npm audit --json` output of npm up to version 6.
//
// Format: `{"actions": [...], "advisories": {"<id>": advisory, ...}, "muted": [...],
// "metadata": {...}}`; each advisory has id, title, module_name, severity, cwe (text, list or
// JSON text), cves, vulnerable_versions, patched_versions, overview, recommendation, url, access
// and `findings` (version + dependency paths). npm 7+ reports (`auditReportVersion`) belong to
// "NPM Audit v7+ Scan" and are refused; a report with an `error` object is refused with its code.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/npm_audit/{no_vuln,one_vuln,many_vulns}.json,
// plus CWE variants, a git-installed dependency path, npm 7 and error reports, and malformed ones.
//
// Field mapping (DefectDojo dojo/tools/npm_audit/parser.py), one finding per advisory in
// document order (an advisory repeating id + module keeps the first position, the last content):
//   "<title> - (<module_name>, <vulnerable_versions>)" → title
//   severity low/moderate/high/critical → Low/Medium/High/Critical, else Info
//   url, overview, module, versions, paths (25 per version), cwe and access → description
//   first CWE → cwe (1035 when none), all → cwes; cves → vulnerability_ids
//   first path of the first finding (64-hex git hashes censored) → file_path
//   recommendation → mitigation; url → references; module_name → component_name; first
//   finding version → component_version; impact "No impact provided"; static true, dynamic false.
import BulwarkCore
import Foundation

/// Parses npm audit (v6 and older) JSON reports (`NPM Audit Scan`).
public struct NpmAuditParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "NPM Audit Scan", label: "NPM Audit Scan",
            summary: "npm audit JSON output of npm 6 and older (npm audit --json).", version: 1,
            dedupe: .hashCode(fields: [.title, .severity, .filePath, .vulnerabilityIDs, .cwe])),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let root = try OrderedJSONParser.parse(try input.readData())
            guard let report = root.objectValue else {
                throw ParseError(.unsupportedFormat, "The report is JSON but not an npm audit report: expected an object.", position: .jsonPath("$"))
            }
            if let version = report["auditReportVersion"], version.isTruthy {
                throw ParseError(
                    .unsupportedVersion,
                    "npm 7+ reports (auditReportVersion \(version.pythonString)) are read by the \"NPM Audit v7+ Scan\" type.",
                    position: .jsonPath("$.auditReportVersion"))
            }
            if let error = report["error"], error.isTruthy {
                let code = error["code"].map(PythonLiteral.str) ?? "None"
                let summary = error["summary"].map(PythonLiteral.str) ?? "None"
                throw ParseError(.invalidValue, "npm audit report contains errors: \(code), \(summary)", position: .jsonPath("$.error"))
            }
            guard let advisories = report["advisories"]?.objectValue else {
                throw ParseError(
                    .unsupportedFormat, "The report is JSON but not an npm audit report: the \"advisories\" object is missing.",
                    position: .jsonPath("$"))
            }
            var keys: [String] = []
            var byKey: [String: Finding] = [:]
            for member in advisories.members {
                let path = "$.advisories" + JSONPath.member(member.key)
                guard let object = member.value.objectValue else {
                    throw ParseError(.invalidValue, "Each advisory must be an object.", position: .jsonPath(path))
                }
                let advisory = NpmAdvisory(object, path: path)
                let finding = try Self.finding(advisory)
                let key = try advisory.display("id") + advisory.display("module_name")
                if byKey.updateValue(finding, forKey: key) == nil { keys.append(key) }
            }
            return ParseResult(findings: keys.compactMap { byKey[$0] })
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func finding(_ advisory: NpmAdvisory) throws(ParseError) -> Finding {
        let occurrences = try advisory.occurrences()
        let module = try advisory.text("module_name")
        let title = try advisory.text("title") + " - (" + module + ", " + advisory.text("vulnerable_versions") + ")"
        var finding = Finding(
            title: title, severity: NpmAdvisory.severity(advisory.fields.object["severity"]?.stringValue),
            description: try advisory.description(paths: NpmAdvisory.pathList(occurrences)))
        if let firstPath = occurrences.first?.paths.first {
            finding.filePath = censorGitHashes(firstPath)
        } else {
            finding.filePath = ""
        }
        finding.cwe = advisory.primaryCWE()
        finding.cwes = advisory.cwes()
        finding.mitigation = try advisory.fields.string("recommendation")
        finding.references = try advisory.text("url")
        finding.componentName = module
        // The first truthy version, like `component_version or version` over the findings.
        var version: JSONValue?
        for occurrence in occurrences where !(version?.isTruthy ?? false) { version = occurrence.version }
        finding.componentVersion = version.flatMap { $0.isNull ? nil : PythonLiteral.str($0) }
        finding.impact = "No impact provided"
        finding.staticFinding = true
        finding.dynamicFinding = false
        finding.vulnerabilityIDs = try advisory.cves()
        return finding
    }

    /// npm puts a random 64-hex hash in place of a git dependency's name; DefectDojo replaces
    /// each run of 64 such characters with `censored_by_npm_audit` so the path stays stable.
    static func censorGitHashes(_ path: String) -> String? {
        guard !path.isEmpty else { return nil }
        var result = ""
        var run = ""
        func flush() {
            while run.count >= 64 {
                result += "censored_by_npm_audit"
                run.removeFirst(64)
            }
            result += run
            run = ""
        }
        for character in path {
            if character.isASCII, character.isHexDigit, !character.isUppercase {
                run.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return result
    }
}
