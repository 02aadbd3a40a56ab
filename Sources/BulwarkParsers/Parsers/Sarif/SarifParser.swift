// SARIF — OASIS Static Analysis Results Interchange Format 2.1.0 (JSON).
//
// A meta format: each run names its tool (`runs[].tool.driver.name`), which becomes
// `ParseResult.toolType`, so the importer can name the test type "<tool> Scan (SARIF)".
// The report is read with an order-preserving JSON parser because DefectDojo's choice of
// fingerprint depends on member order.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/sarif/{no_vuln,one_vuln,many_vulns}.sarif (many_vulns
// covers message strings, code flows, suppressions, taxa, fixes and two runs), plus malformed
// variants (truncated.sarif, not_sarif.json, no_title.sarif).
//
// Field mapping (DefectDojo dojo/tools/sarif/parser.py), one finding per result location
// (a result without locations gives one finding without a file):
//   message (or rule short/full description, name, id) → title, shortened to 150 characters
//   message, snippet, rule name/descriptions, code flow → description (Markdown)
//   level (or rule defaultConfiguration.level): note → Info, warning → Medium, error → High,
//   anything else → Medium; rule properties.security-severity (CVSS) overrides it and fills
//   cvssv3_score (≥9 Critical, ≥7 High, ≥4 Medium, >0 Low, else Info)
//   physicalLocation.artifactLocation.uri → file_path; region.startLine → line
//   ruleId → vuln_id_from_tool (and a CVE id in it → vulnerability_ids)
//   CWE from rule relationships / properties.cwe / tags, result properties.cwe, result taxa
//   (the last one found wins) → cwe, all of them → cwes
//   rule helpUri (or help text starting with http) → references
//   fixes[].description.text → mitigation; suppressions → false_p (and inactive)
//   last invocation endTimeUtc → date (UTC day); rule + result property tags → tags
//   first fingerprint (newest version) or sorted partialFingerprints → unique_id_from_tool
//   static true, dynamic false.
import BulwarkCore
import Foundation

/// Parses SARIF 2.1.0 logs (`SARIF`).
public struct SarifParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "SARIF", label: "SARIF", summary: "SARIF report file can be imported in SARIF format.",
            version: 1, dedupe: .uniqueIDFromToolOrHashCode(), namesToolInReport: true),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do {
            return try Self.parseLog(try input.readData(), dialect: StandardSarifDialect())
        } catch {
            throw error.naming(scanType)
        }
    }

    /// Reads a SARIF log with the mapping of `dialect` (SARIF-based scan types reuse this).
    static func parseLog(_ data: Data, dialect: some SarifDialect) throws(ParseError) -> ParseResult {
        let root = try OrderedJSONParser.parse(data)
        guard let log = root.objectValue else {
            throw ParseError(.unsupportedFormat, "The report is JSON but not a SARIF log: expected an object with \"runs\".", position: .jsonPath("$"))
        }
        guard let runsValue = log["runs"] else {
            throw ParseError(.unsupportedFormat, "The report is JSON but not a SARIF log: the \"runs\" array is missing.", position: .jsonPath("$"))
        }
        guard let runs = runsValue.arrayValue else {
            throw ParseError(.invalidValue, "\"runs\" must be an array.", position: .jsonPath("$.runs"))
        }
        var findings: [Finding] = []
        var warnings: [String] = []
        for (runIndex, runValue) in runs.enumerated() {
            let runPath = "$.runs[\(runIndex)]"
            guard let run = runValue.objectValue else {
                throw ParseError(.invalidValue, "Each run must be an object.", position: .jsonPath(runPath))
            }
            findings.append(contentsOf: try findingsOfRun(run, path: runPath, dialect: dialect, warnings: &warnings))
        }
        // DefectDojo names the test after the first run's tool.
        let driver = runs.first?["tool"]?["driver"]
        let toolName = driver?["name"].map(\.pythonString)
        return ParseResult(
            findings: findings, warnings: warnings, toolType: toolName, testName: toolName,
            toolVersion: driver?["version"].flatMap { $0.isNull ? nil : $0.pythonString })
    }

    private static func findingsOfRun(
        _ run: JSONObject, path: String, dialect: some SarifDialect, warnings: inout [String]
    ) throws(ParseError) -> [Finding] {
        let rules = SarifMapping.rules(of: run)
        let runDate = try SarifMapping.lastInvocationDate(of: run, path: path)
        guard let results = run["results"] else { return [] }
        guard let resultList = results.arrayValue else {
            throw ParseError(.invalidValue, "\"results\" must be an array.", position: .jsonPath(path + ".results"))
        }
        var findings: [Finding] = []
        findings.reserveCapacity(resultList.count)
        for (index, resultValue) in resultList.enumerated() {
            let resultPath = "\(path).results[\(index)]"
            guard let result = resultValue.objectValue else {
                throw ParseError(.invalidValue, "Each result must be an object.", position: .jsonPath(resultPath))
            }
            findings.append(contentsOf: try findingsOfResult(result, rules: rules, runDate: runDate, path: resultPath, dialect: dialect))
        }
        return findings
    }

    private static func findingsOfResult(
        _ result: JSONObject, rules: [String: JSONObject], runDate: CalendarDate?, path: String, dialect: some SarifDialect
    ) throws(ParseError) -> [Finding] {
        // Only failures are findings (SARIF 3.27.9: kind defaults to "fail").
        if let kind = result["kind"], kind.pythonString != "fail" { return [] }
        let suppressed = result["suppressions"]?.isTruthy ?? false

        var locations: [(filePath: String?, line: Int?, location: JSONObject?)] = []
        if let locationList = result["locations"]?.arrayValue {
            for locationValue in locationList {
                let location = locationValue.objectValue ?? JSONObject()
                var filePath: String?
                var line: Int?
                if let physical = location["physicalLocation"] {
                    filePath = physical["artifactLocation"]?["uri"].flatMap(SarifMapping.optionalString)
                    if let region = physical["region"]?.objectValue, !region.contains("byteOffset") {
                        line = region["startLine"].flatMap(SarifMapping.integer)
                    }
                }
                locations.append((filePath, line, location))
            }
        }
        if locations.isEmpty { locations.append((nil, nil, nil)) }

        let ruleID = result["ruleId"].flatMap(SarifMapping.optionalString)
        let rule = ruleID.flatMap { rules[$0] }
        var findings: [Finding] = []
        for (filePath, line, location) in locations {
            let title = try dialect.title(result: result, rule: rule, location: location, path: path)
            var finding = Finding(
                title: title, severity: SarifMapping.severity(result: result, rule: rule),
                description: dialect.description(result: result, rule: rule, location: location))
            finding.staticFinding = true
            finding.dynamicFinding = false
            finding.falsePositive = suppressed
            finding.active = !suppressed
            finding.filePath = filePath
            finding.line = line
            finding.references = SarifMapping.references(rule: rule)
            if let ruleID {
                finding.vulnIDFromTool = ruleID
                if let cve = SarifMapping.firstCVE(in: ruleID) { finding.vulnerabilityIDs = [cve] }
            }
            SarifMapping.applyCWEs(result: result, rule: rule, to: &finding)
            if let rule, let properties = rule["properties"]?.objectValue, let securitySeverity = properties["security-severity"] {
                SarifMapping.applySecuritySeverity(securitySeverity, to: &finding)
            }
            if let fixes = result["fixes"]?.arrayValue {
                finding.mitigation = fixes.map { $0["description"]?["text"].map(\.pythonString) ?? "None" }.joined(separator: "\n")
            }
            if let runDate { finding.date = runDate }
            finding.tags = SarifMapping.tags(rule: rule, result: result)
            finding.uniqueIDFromTool = SarifMapping.uniqueID(of: result)
            dialect.customize(&finding, result: result, rule: rule, location: location)
            findings.append(finding)
        }
        return findings
    }
}
