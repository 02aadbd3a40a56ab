// OSV Scan — osv-scanner's JSON output (`osv-scanner --format json`).
//
// Format: `{"results": [{"source": {"path", "type"}, "packages": [{"package": {"name",
// "version", "ecosystem"}, "vulnerabilities": [OSV records]}]}]}`. Each OSV record has `id`,
// `summary`, `details`, `affected[]` (package purl, `database_specific.cwes`, `ranges[].events`),
// `references[]` and `database_specific.severity`. A file that is not valid JSON gives no
// findings, as in DefectDojo.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/osv_scanner/{no_vuln,one_vuln,many_vulns}.json,
// plus unknown-severity, unicode, truncated (no findings) and wrong-shape variants.
//
// Field mapping (DefectDojo dojo/tools/osv_scanner/parser.py), one finding per vulnerability of
// each package of each result, in document order:
//   "<id>_<package name>" → title          database_specific.severity → severity (MODERATE →
//   Medium, others capitalised, missing → Low)
//   summary + source type, ecosystem, details, purl lines → description (Markdown)
//   package name/version → component_name/version; source.path → file_path
//   affected[0].database_specific.cwes[0].cweId → cwe (null when absent), all → cwes
//   fixed events of affected[0].ranges, grouped by range type (GIT ones as commit links)
//   → mitigation; references[].url lines → references; id → vulnerability_ids
//   static true, dynamic false.
import BulwarkCore
import Foundation

/// Parses osv-scanner JSON reports (`OSV Scan`).
public struct OsvScannerParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "OSV Scan", label: "OSV Scan", summary: "osv-scanner JSON output (--format json).",
            version: 1, dedupe: .hashCode(fields: [.title, .description, .severity])),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let root: JSONValue
            do throws(ParseError) {
                root = try OrderedJSONParser.parse(try input.readData())
            } catch where error.code == .malformedInput || error.code == .empty {
                // DefectDojo answers a file that is not JSON with no findings.
                return ParseResult(findings: [], warnings: ["The report is not valid JSON, so it has no findings: \(error.message)"])
            }
            guard let document = root.objectValue else {
                throw ParseError(.unsupportedFormat, "The report is JSON but not an osv-scanner report: expected an object with \"results\".", position: .jsonPath("$"))
            }
            var findings: [Finding] = []
            for (resultIndex, result) in try Self.list(document["results"], path: "$.results").enumerated() {
                let resultPath = "$.results[\(resultIndex)]"
                let source = result["source"]
                let sourcePath = Self.text(source?["path"]) ?? ""
                let sourceType = Self.text(source?["type"]) ?? ""
                for (packageIndex, package) in try Self.list(result["packages"], path: resultPath + ".packages").enumerated() {
                    let packagePath = "\(resultPath).packages[\(packageIndex)]"
                    let info = package["package"]
                    let context = PackageContext(
                        name: Self.text(info?["name"]), version: Self.text(info?["version"]),
                        ecosystem: Self.text(info?["ecosystem"]) ?? "", sourcePath: sourcePath, sourceType: sourceType)
                    let vulnerabilities = try Self.list(package["vulnerabilities"], path: packagePath + ".vulnerabilities")
                    for (index, vulnerability) in vulnerabilities.enumerated() {
                        let path = "\(packagePath).vulnerabilities[\(index)]"
                        guard let record = vulnerability.objectValue else {
                            throw ParseError(.invalidValue, "Each vulnerability must be an object.", position: .jsonPath(path))
                        }
                        findings.append(try Self.finding(record, context: context, path: path))
                    }
                }
            }
            return ParseResult(findings: findings)
        } catch {
            throw error.naming(scanType)
        }
    }

    private struct PackageContext {
        let name: String?
        let version: String?
        let ecosystem: String
        let sourcePath: String
        let sourceType: String
    }

    private static func finding(_ record: JSONObject, context: PackageContext, path: String) throws(ParseError) -> Finding {
        let id = text(record["id"]) ?? ""
        let affected = record["affected"]?.arrayValue?.first
        var purl = ""
        if let package = affected?["package"], package.isTruthy {
            purl = text(package["purl"]) ?? ""
        }
        var description = (text(record["summary"]) ?? "") + "\n"
        description += "**Source type**: \(context.sourceType)\n"
        description += "**Package ecosystem**: \(context.ecosystem)\n"
        description += "**Vulnerability details**: \(text(record["details"]) ?? "")\n"
        description += "**Vulnerability package purl**: \(purl)\n"

        let rawSeverity = record["database_specific"]?["severity"].flatMap(text) ?? ""
        let severityText = rawSeverity.isEmpty ? "Low" : rawSeverity == "MODERATE" ? "Medium" : pythonCapitalize(rawSeverity)
        var finding = Finding(
            title: "\(id)_\(context.name ?? "None")",
            severity: try Severity.sanitizedOrThrow(severityText, at: .jsonPath(path + ".database_specific.severity")),
            description: description)
        finding.staticFinding = true
        finding.dynamicFinding = false
        finding.componentName = context.name
        finding.componentVersion = context.version
        finding.filePath = context.sourcePath
        finding.cwe = nil
        if let cwes = affected?["database_specific"]?["cwes"]?.arrayValue {
            let numbers = cwes.compactMap { $0["cweId"].flatMap(text).flatMap(cweNumber) }
            finding.cwe = cwes.first?["cweId"].flatMap(text).flatMap(cweNumber)
            finding.cwes = numbers
        }
        finding.mitigation = mitigation(affected)
        finding.references = (record["references"]?.arrayValue ?? []).map { (text($0["url"]) ?? "None") + "\n" }.joined()
        if !id.isEmpty { finding.vulnerabilityIDs = [id] }
        return finding
    }

    /// "**Upgrade to versions**:" followed by the fixed versions grouped by range type.
    private static func mitigation(_ affected: JSONValue?) -> String? {
        var groups: [(type: String, versions: [String])] = []
        for range in affected?["ranges"]?.arrayValue ?? [] {
            let type = text(range["type"]) ?? ""
            let repository = text(range["repo"]) ?? ""
            for event in range["events"]?.arrayValue ?? [] {
                guard let fixed = event["fixed"] else { continue }
                let version = type == "GIT" && !repository.isEmpty ? "\(repository)/commit/\(fixed.pythonString)" : fixed.pythonString
                if let position = groups.firstIndex(where: { $0.type == type }) {
                    groups[position].versions.append(version)
                } else {
                    groups.append((type, [version]))
                }
            }
        }
        guard !groups.isEmpty else { return nil }
        var text = "**Upgrade to versions**:\n"
        for group in groups {
            text += "\t\(group.type) :\n"
            for version in group.versions { text += "\t\t- \(version)\n" }
        }
        return text
    }

    /// A list member; missing or null is empty, as with `.get(key, [])`.
    private static func list(_ value: JSONValue?, path: String) throws(ParseError) -> [JSONValue] {
        guard let value, !value.isNull else { return [] }
        guard let items = value.arrayValue else {
            throw ParseError(.invalidValue, "Expected a list.", position: .jsonPath(path))
        }
        return items
    }

    /// Python's `str()` of a scalar; `nil` for a missing or null member.
    private static func text(_ value: JSONValue?) -> String? {
        guard let value, !value.isNull else { return nil }
        return value.pythonString
    }

    /// `"CWE-79"` or `"79"` → 79.
    private static func cweNumber(_ text: String) -> Int? {
        var token = PythonText.strip(text).uppercased()
        if token.hasPrefix("CWE-") { token.removeFirst(4) }
        guard !token.isEmpty, token.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let number = Int(token),
              (1...9_999_999).contains(number) else { return nil }
        return number
    }

    /// Python's `str.lower().capitalize()`.
    private static func pythonCapitalize(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst().lowercased()
    }
}
