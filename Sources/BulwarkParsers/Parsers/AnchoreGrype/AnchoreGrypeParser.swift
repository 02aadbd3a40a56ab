// Anchore Grype — `grype <target> -o json` reports.
//
// Formats: Grype JSON with `matches[]` (vulnerability, relatedVulnerabilities, matchDetails as a
// list or, in old versions, a single object, artifact), Grype 0.2x through 0.8x.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/anchore_grype/{no_vuln,one_vuln,many_vulns,
// old_matcher_object}.json, plus malformed variants.
//
// Field mapping (DefectDojo dojo/tools/anchore_grype/parser.py):
//   "<vulnerability.id> in <artifact.name>:<artifact.version>" → title
//   vulnerability.severity: Unknown/Negligible → Info, else title-cased
//   namespace, descriptions, matchers, purl → description (Markdown, one line each)
//   matchers without "-matcher" → tags; fix.versions → "Upgrade to version: …" mitigation,
//   fix_available, fix_version (the last version listed, as DefectDojo's loop leaves it)
//   data sources and URLs of the vulnerability and its first related one → references
//   first cvss entry whose vector is a valid CVSS 3 vector → cvssv3 (vulnerability, then related)
//   epss entry for the id → epss_score / epss_percentile
//   id + related ids → vulnerability_ids; id → vuln_id_from_tool
//   artifact name/version → component; locations[0].path → file_path
// Matches with the same id, name and version merge into the first; nb_occurences counts them.
// static true, dynamic false.
import BulwarkCore
import Foundation

/// Parses Anchore Grype JSON reports (`Anchore Grype`).
public struct AnchoreGrypeParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Anchore Grype", label: "Anchore Grype",
            summary: "A vulnerability scanner for container images, filesystems, and SBOMs. JSON report generated with '--output=json' format.",
            version: 1, dedupe: .hashCode(fields: [.title, .severity, .componentName, .componentVersion])),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let report = try JSONReport.object(try JSONReport.read(input), tool: "Grype")
            var findings: [Finding] = []
            var positions: [String: Int] = [:]
            for (index, match) in report.list("matches").enumerated() {
                let path = "$.matches[\(index)]"
                guard let vulnerability = match.member("vulnerability") else {
                    throw ParseError(.missingField, "Required field \"vulnerability\" is missing.", position: .jsonPath(path))
                }
                guard let id = vulnerability.text("id") else {
                    throw ParseError(.missingField, "Required field \"id\" is missing.", position: .jsonPath(path + ".vulnerability"))
                }
                guard let artifact = match.member("artifact") else {
                    throw ParseError(.missingField, "Required field \"artifact\" is missing.", position: .jsonPath(path))
                }
                let key = "\(id)|\(artifact.text("name") ?? "None")|\(artifact.text("version") ?? "None")"
                if let existing = positions[key] {
                    findings[existing].numberOfOccurrences = (findings[existing].numberOfOccurrences ?? 1) + 1
                    continue
                }
                positions[key] = findings.count
                findings.append(try Self.finding(match, vulnerability: vulnerability, id: id, artifact: artifact, path: path))
            }
            return ParseResult(findings: findings)
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func finding(
        _ match: JSONValue, vulnerability: JSONValue, id: String, artifact: JSONValue, path: String
    ) throws(ParseError) -> Finding {
        let related = match.list("relatedVulnerabilities").first
        let name = artifact.text("name"), version = artifact.text("version")
        let rawSeverity = vulnerability.text("severity") ?? "Info"
        let severityText = rawSeverity == "Unknown" || rawSeverity == "Negligible" ? "Info" : PythonCase.title(rawSeverity)
        var finding = Finding(
            title: "\(id) in \(name ?? "None"):\(version ?? "None")".replacingOccurrences(of: "\u{0}", with: ""),
            severity: try Severity.sanitizedOrThrow(severityText, at: .jsonPath(path + ".vulnerability.severity")))

        var description = ""
        if let namespace = vulnerability.text("namespace"), !namespace.isEmpty {
            description += "**Vulnerability Namespace:** \(namespace)"
        }
        let vulnerabilityDescription = vulnerability.text("description")
        if let text = vulnerabilityDescription, !text.isEmpty { description += "\n**Vulnerability Description:** \(text)" }
        if let text = related?.text("description"), !text.isEmpty, text != vulnerabilityDescription {
            description += "\n**Related Vulnerability Description:** \(text)"
        }
        let (matcherText, tags) = try matchers(match.member("matchDetails"), path: path + ".matchDetails")
        description += matcherText
        finding.tags = tags
        if let purl = artifact.text("purl"), !purl.isEmpty { description += "\n**Package URL:** \(purl)" }
        finding.description = description.replacingOccurrences(of: "\u{0}", with: "")

        let fixes = vulnerability.member("fix")?.list("versions").map(\.pythonString) ?? []
        finding.fixAvailable = !fixes.isEmpty
        if let single = fixes.first, fixes.count == 1 {
            finding.mitigation = "Upgrade to version: \(single)"
            finding.fixVersion = single
        } else if !fixes.isEmpty {
            finding.mitigation = "Upgrade to version:" + fixes.map { "\n- \($0)" }.joined()
            finding.fixVersion = fixes.last
        }
        finding.references = references(vulnerability, related: related)
        finding.cvssV3 = cvssVector(vulnerability.list("cvss")) ?? cvssVector(related?.list("cvss") ?? [])
        var epss = epssValues(for: id, in: vulnerability.member("epss"))
        if epss == nil, let relatedEPSS = related?.member("epss"), relatedEPSS.isTruthy {
            epss = epssValues(for: related?.text("id"), in: relatedEPSS)
        }
        finding.epssScore = epss?.score
        finding.epssPercentile = epss?.percentile
        finding.componentName = name
        finding.componentVersion = version?.replacingOccurrences(of: "\u{0}", with: "")
        finding.vulnIDFromTool = id
        finding.staticFinding = true
        finding.dynamicFinding = false
        finding.numberOfOccurrences = 1
        if let location = artifact.list("locations").first?.text("path"), !location.isEmpty { finding.filePath = location }
        finding.vulnerabilityIDs = ([id] + match.list("relatedVulnerabilities").compactMap { $0.text("id") }).filter { !$0.isEmpty }
        return finding
    }

    /// The matcher lines of the description and the tags (matcher names without "-matcher").
    private static func matchers(_ details: JSONValue?, path: String) throws(ParseError) -> (String, [String]) {
        guard let details, details.isTruthy else { return ("", []) }
        func matcher(_ value: JSONValue, _ position: String) throws(ParseError) -> String {
            guard let name = value.text("matcher") else {
                throw ParseError(.missingField, "Required field \"matcher\" is missing.", position: .jsonPath(position))
            }
            return name
        }
        if details.objectValue != nil {
            let name = try matcher(details, path)
            return ("\n**Matcher:** \(name)", [name.replacingOccurrences(of: "-matcher", with: "")])
        }
        let items = details.arrayValue ?? []
        if items.count == 1, let only = items.first {
            let name = try matcher(only, path + "[0]")
            return ("\n**Matcher:** \(name)", [name.replacingOccurrences(of: "-matcher", with: "")])
        }
        var text = "\n**Matchers:**"
        var tags: [String] = []
        for (index, item) in items.enumerated() {
            let name = try matcher(item, path + "[\(index)]")
            text += "\n- \(name)"
            let tag = name.replacingOccurrences(of: "-matcher", with: "")
            if !tags.contains(tag) { tags.append(tag) }
        }
        return (text, tags)
    }

    private static func references(_ vulnerability: JSONValue, related: JSONValue?) -> String {
        let source = vulnerability.text("dataSource")
        var text = ""
        if let source, !source.isEmpty { text += "**Vulnerability Datasource:** \(source)\n" }
        func urls(_ list: [JSONValue], single: String, many: String) {
            let urls = list.map(\.pythonString)
            if urls.count == 1 {
                if urls[0] != source { text += "**\(single):** \(urls[0])\n" }
            } else if !urls.isEmpty {
                text += "**\(many):**\n"
                for url in urls where url != source { text += "- \(url)\n" }
            }
        }
        urls(vulnerability.list("urls"), single: "Vulnerability URL", many: "Vulnerability URLs")
        if let relatedSource = related?.text("dataSource"), !relatedSource.isEmpty {
            text += "**Related Vulnerability Datasource:** \(relatedSource)\n"
        }
        // DefectDojo compares the related URLs with the vulnerability's own data source.
        urls(related?.list("urls") ?? [], single: "Related Vulnerability URL", many: "Related Vulnerability URLs")
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// The first `vector` that is a valid CVSS 3 vector, as written.
    private static func cvssVector(_ entries: [JSONValue]) -> String? {
        for entry in entries {
            guard let vector = entry.text("vector") else { continue }
            if CVSSText.firstV3(in: vector) != nil { return vector }
        }
        return nil
    }

    private static func epssValues(for id: String?, in list: JSONValue?) -> (score: Double, percentile: Double)? {
        guard let entries = list?.arrayValue else { return nil }
        for entry in entries where entry.text("cve") == id {
            if let score = entry.member("epss")?.looseDouble, let percentile = entry.member("percentile")?.looseDouble {
                return (score, percentile)
            }
        }
        return nil
    }
}
