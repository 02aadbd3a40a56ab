// CargoAudit Scan — cargo-audit (RustSec advisories for Cargo.lock) JSON reports (`cargo audit --json`).
//
// Formats: cargo-audit 0.13 and later: `{"database": …, "lockfile": …, "vulnerabilities":
// {"found": …, "count": …, "list": [ {advisory, versions, affected, package}, … ]}, "warnings": …}`.
// Warnings (unmaintained, yanked crates) are not findings.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/cargo_audit/{no_vuln,one_vuln,many_vulns}.json, plus
// CVSS 3.x/4.0 vectors, affected functions, a repeated advisory, Unicode, CRLF and malformed reports.
//
// Field mapping (DefectDojo dojo/tools/cargo_audit/parser.py):
//   "[<package> <version>] <advisory title>" → title
//   advisory.cvss: a 3.x vector gives cvssv3, cvssv3_score and the severity from its base score;
//     a 4.0 vector gives cvssv4 only (4.0 scoring is not implemented, so the severity stays High,
//     where DefectDojo uses the 4.0 score's severity); no vector → High
//   description: categories, the advisory description, affected functions
//   advisory.url + references → references      advisory.id → vuln_id_from_tool
//   advisory.id + aliases → vulnerability_ids    advisory.date → publish_date
//   advisory.keywords → tags                     package name / version → component_name / version
//   versions.patched → mitigation ("**Update <package> to** …")
// The same advisory, date, package and version seen again adds to nb_occurences of the first.
import BulwarkCore

/// Parses cargo-audit JSON reports (`CargoAudit Scan`).
public struct CargoAuditParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "CargoAudit Scan", label: "CargoAudit Scan",
            summary: "Import JSON output for cargo audit scan report.", version: 1,
            dedupe: .hashCode(fields: [.vulnerabilityIDs, .severity, .componentName, .componentVersion, .vulnIDFromTool])),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let root = LooseFields(object: try JSONReportDocument.rootObject(input, format: "cargo-audit report"), path: "$")
            guard root.contains("vulnerabilities") || root.contains("lockfile") || root.contains("database") else {
                throw ParseError(
                    .unsupportedFormat, "The report is JSON but not a cargo-audit report: \"vulnerabilities\" is missing.",
                    position: .jsonPath("$"))
            }
            guard let vulnerabilities = root.object["vulnerabilities"], vulnerabilities.isTruthy else { return ParseResult(findings: []) }
            let list = try root.requiredObject("vulnerabilities")
            var findings: [Finding] = []
            var positions: [String: Int] = [:]
            var vectors: [String: CVSSVectorData?] = [:]
            for (index, item) in try list.requiredArray("list").enumerated() {
                let entry = try list.element(item, of: "list", at: index)
                let (key, finding) = try Self.finding(from: entry, vectors: &vectors)
                if let position = positions[key] {
                    findings[position].numberOfOccurrences = (findings[position].numberOfOccurrences ?? 1) + 1
                } else {
                    positions[key] = findings.count
                    findings.append(finding)
                }
            }
            return ParseResult(findings: findings)
        } catch {
            throw error.naming(scanType)
        }
    }

    /// The finding and DefectDojo's duplicate key (advisory id, date, package name and version).
    private static func finding(from entry: LooseFields, vectors: inout [String: CVSSVectorData?]) throws(ParseError) -> (String, Finding) {
        let advisory = try entry.requiredObject("advisory")
        let package = try entry.requiredObject("package")
        let advisoryID = try advisory.requiredText("id")
        let date = try advisory.requiredText("date")
        let packageName = try package.requiredText("name")
        let packageVersion = try package.requiredText("version")

        var description = ""
        if advisory.contains("categories") {
            description += "**Categories:** " + (try advisory.requiredArray("categories")).map(\.pythonString).joined(separator: ", ")
        }
        description += "\n**Description:** `\(advisory.pythonText("description") ?? "None")`"
        if let affected = try entry.optionalObject("affected"), affected.contains("functions") {
            let functions = try affected.requiredObject("functions")
            var parts: [String] = []
            for name in functions.object.keys {
                parts.append("\(name): " + (try functions.requiredArray(name)).map(\.pythonString).joined(separator: ", "))
            }
            description += "\n**Affected functions**: " + parts.joined(separator: ", ")
        }

        var cvss: CVSSVectorData?
        if let vector = advisory.object["cvss"], vector.isTruthy {
            let text = vector.pythonString
            if let known = vectors[text] {
                cvss = known
            } else {
                cvss = CVSSVectorText.parse(text)
                vectors[text] = cvss
            }
        }
        let severityText = cvss?.severity ?? "High"
        let severity = try Severity.sanitizedOrThrow(severityText, at: advisory.position("cvss"))

        var finding = Finding(
            title: "[\(packageName) \(packageVersion)] \(advisory.pythonText("title") ?? "None")", severity: severity,
            description: description)
        finding.componentName = packageName
        finding.componentVersion = packageVersion
        if cvss?.version == .v3 {
            finding.cvssV3 = cvss?.cleanVector
            finding.cvssV3Score = cvss?.score
        } else if cvss?.version == .v4 {
            finding.cvssV4 = cvss?.cleanVector
        }
        finding.vulnIDFromTool = advisoryID
        guard let publishDate = CalendarDate(iso8601: date) else {
            throw ParseError(.invalidValue, "\"date\" value \"\(date)\" is not a date.", position: advisory.position("date"))
        }
        finding.publishDate = publishDate
        finding.numberOfOccurrences = 1
        finding.references = (advisory.pythonText("url") ?? "None") + "\n"
            + (try advisory.requiredArray("references")).map(\.pythonString).joined(separator: "\n")
        finding.mitigation = try mitigation(for: entry, packageName: packageName)
        finding.tags = try advisory.list("keywords")?.map(\.pythonString) ?? []
        finding.vulnerabilityIDs = [advisoryID] + (try advisory.list("aliases") ?? []).map(\.pythonString)
        return (advisoryID + date + packageName + packageVersion, finding)
    }

    private static func mitigation(for entry: LooseFields, packageName: String) throws(ParseError) -> String {
        guard let versions = try entry.optionalObject("versions"), versions.contains("patched") else {
            return "No information about patched version"
        }
        let patched = try versions.requiredArray("patched").map(\.pythonString).joined(separator: ", ")
        return "**Update \(packageName) to** \(patched)"
    }
}
