import BulwarkCore
import Foundation

/// audit-ci's JSON report as the Yarn Audit parser reads it (DefectDojo issue 6495): one
/// finding per entry of `advisories`, its fields printed Python-style into the description.
enum YarnAuditCIReport {
    /// The description lines, in DefectDojo's order (`references` and `url` go to references).
    private static let described = [
        "findings", "metadata", "vulnerable_versions", "github_advisory_id", "access", "patched_versions", "cvss",
        "found_by", "deleted", "id", "created", "reported_by", "title", "npm_advisory_id", "overview",
    ]

    static func findings(_ root: JSONValue) throws(ParseError) -> [Finding] {
        guard let advisories = root["advisories"]?.objectValue else {
            throw ParseError(
                .unsupportedFormat,
                "The report is neither yarn audit JSON Lines nor audit-ci JSON with an \"advisories\" object.",
                position: .jsonPath("$"))
        }
        var findings: [Finding] = []
        for member in advisories.members {
            let path = "$.advisories" + JSONPath.member(member.key)
            guard let advisory = member.value.objectValue else {
                throw ParseError(.invalidValue, "Each advisory must be an object.", position: .jsonPath(path))
            }
            findings.append(try finding(advisory, path: path))
        }
        return findings
    }

    private static func finding(_ advisory: JSONObject, path: String) throws(ParseError) -> Finding {
        func shown(_ key: String) -> String { advisory[key].map(PythonLiteral.str) ?? "None" }
        let description = described.map { "**\($0):** " + shown($0) + "\n" }.joined()
        let cves = advisory["cves"]?.arrayValue ?? []
        guard let firstCVE = cves.first?.stringValue, let module = advisory["module_name"]?.stringValue else {
            throw ParseError(
                .invalidValue, "audit-ci advisories need a first CVE and a module name for the title.", position: .jsonPath(path))
        }
        guard let firstFinding = advisory["findings"]?.arrayValue?.first?.objectValue, let version = firstFinding["version"] else {
            throw ParseError(.missingField, "The advisory's first finding has no \"version\".", position: .jsonPath(path + ".findings"))
        }
        let severityWord = advisory["severity"]?.stringValue
        var finding = Finding(title: firstCVE + "_" + module, severity: NpmAdvisory.severity(severityWord), description: description)
        finding.mitigation = advisory["recommendation"].flatMap { $0.isNull ? nil : PythonLiteral.str($0) }
        finding.references = "**url:** " + shown("url") + "\n" + "**references:** " + shown("references")
        finding.componentName = module
        finding.componentVersion = version.isNull ? nil : PythonLiteral.str(version)
        finding.impact = "No impact provided"
        finding.staticFinding = true
        finding.dynamicFinding = false
        finding.vulnerabilityIDs = cves.map(PythonLiteral.str)
        if let cwes = advisory["cwe"]?.arrayValue, !cwes.isEmpty {
            let numbers = cwes.map { cweNumber(PythonLiteral.str($0)) }
            finding.cwe = numbers.first ?? nil
            finding.cwes = numbers.compactMap { $0 }
        }
        return finding
    }

    /// `"CWE-1321".strip("CWE-")` read as a number.
    private static func cweNumber(_ text: String) -> Int? {
        let stripped = text.trimmingCharacters(in: CharacterSet(charactersIn: "CWE-"))
        return LooseFields.pythonInt(stripped)
    }
}
