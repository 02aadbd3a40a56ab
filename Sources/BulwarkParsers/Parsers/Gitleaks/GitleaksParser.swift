// Gitleaks — secret scanner, JSON report (`gitleaks detect --report-format json`).
//
// Accepts a top-level list of leaks in either of gitleaks' two report generations, chosen per
// entry like DefectDojo does:
//   - v7 and older ("legacy"): lower-case members `rule`, `file`, `line`, `offender`, `commit`,
//     `commitMessage`, `author`, `email`, `date`, optional `lineNumber`, `operation`, `leakURL`,
//     and `tags` as one comma-separated string;
//   - v8 and newer ("current"): `Description`, `File`, `StartLine`, `Match`, `Secret`, `Commit`,
//     `Message`, `Date`, `RuleID`, and `Tags` as a list (also with `--redact`).
// A report of `null` means no leaks.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/gitleaks/{no_vuln,one_vuln,many_vulns}.json (v8),
// legacy_v7.json (v7 shape), null_report.json, repeated_leaks.json (v8 repeats, multi-line
// commit message, Unicode, no StartLine), unknown_entry.json, truncated.json, not_a_list.json.
//
// Field mapping (DefectDojo dojo/tools/gitleaks/parser.py), cwe 798, static, not dynamic:
//   legacy: "Hard Coded <rule>" → title; High, or Critical when the rule names Github, AWS or
//     Heroku; file → file_path; lineNumber → line; commit facts and the line with the offender
//     replaced by REDACTED → description; tags split on ", " → tags. A leak repeated with the same
//     offender, file and line is dropped.
//   current: "Hard coded <Description> found in <File>" → title; High; File → file_path;
//     StartLine → line (0 when missing); secret, match, commit message, hash, date and rule id
//     → description; Tags → tags; nb_occurences 1. A leak with the same title, secret and line
//     is merged: its description is appended after "\n\n***\n\n" and nb_occurences counts it.
import BulwarkCore
import Foundation

/// Parses gitleaks JSON reports of v7 and v8+ (`Gitleaks Scan`).
public struct GitleaksParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Gitleaks Scan", label: "Gitleaks Scan",
            summary: "Import Gitleaks Scan findings in JSON format.", version: 1, dedupe: .hashCode()),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do {
            return try Self.parseReport(try input.readData())
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func parseReport(_ data: Data) throws(ParseError) -> ParseResult {
        let root = try OrderedJSONParser.parse(data)
        if root.isNull { return ParseResult(findings: []) }
        guard let leaks = root.arrayValue else {
            throw ParseError(.unsupportedFormat, "The report is JSON but not a gitleaks report: expected a list of leaks.", position: .jsonPath("$"))
        }
        var findings: [Finding] = []
        var positions: [String: Int] = [:]
        for (index, leak) in leaks.enumerated() {
            let path = "$[\(index)]"
            guard let object = leak.objectValue else {
                throw ParseError(.invalidValue, "Each leak must be an object.", position: .jsonPath(path))
            }
            let fields = LooseFields(object: object, path: path)
            if object["rule"]?.isTruthy == true {
                let (key, finding) = try legacyFinding(fields)
                if positions[key] == nil {
                    positions[key] = findings.count
                    findings.append(finding)
                }
            } else if object["Description"]?.isTruthy == true {
                let (key, finding) = try currentFinding(fields)
                if let position = positions[key] {
                    findings[position].description += "\n\n***\n\n" + finding.description
                    findings[position].numberOfOccurrences = (findings[position].numberOfOccurrences ?? 1) + 1
                } else {
                    positions[key] = findings.count
                    findings.append(finding)
                }
            } else {
                throw ParseError(
                    .unsupportedFormat, "Format is not recognized for Gitleaks: a leak needs \"rule\" (v7) or \"Description\" (v8).",
                    position: .jsonPath(path))
            }
        }
        return ParseResult(findings: findings)
    }

    /// A gitleaks v7 (or older) leak and its duplicate key (offender, file and line).
    private static func legacyFinding(_ fields: LooseFields) throws(ParseError) -> (String, Finding) {
        let file = try fields.required("file")
        let rule = try fields.required("rule")
        let offender = try fields.required("offender")
        var description = "**Commit:** " + PythonString.rstrip(try fields.required("commitMessage"), ["\n"]) + "\n"
        description += "**Commit Hash:** \(try fields.required("commit"))\n"
        description += "**Commit Date:** \(try fields.required("date"))\n"
        description += "**Author:** \(try fields.required("author")) <\(try fields.required("email"))>\n"
        description += "**Reason:** \(rule)\n"
        description += "**Path:** \(file)\n"
        var line: Int?
        if let lineNumber = fields.object["lineNumber"] {
            description += "**Line:** \(lineNumber.pythonString)\n"
            line = fields.integer("lineNumber", nullDefault: nil, absentDefault: nil)
        }
        if let operation = fields.object["operation"] {
            description += "**Operation:** \(operation.pythonString)\n"
        }
        if fields.contains("leakURL") {
            let url = try fields.requiredText("leakURL")
            description += "**Leak URL:** [\(url)](\(url))\n"
        }
        let redacted = PythonString.replace(try fields.required("line"), offender, "REDACTED")
        description += "\n**String Found:**\n\n```\n\(redacted)\n```"

        let critical = rule.contains("Github") || rule.contains("AWS") || rule.contains("Heroku")
        var finding = Finding(title: "Hard Coded \(rule)", severity: critical ? .critical : .high, description: description)
        finding.cwe = 798
        finding.filePath = file
        finding.line = line
        finding.dynamicFinding = false
        finding.staticFinding = true
        // DefectDojo splits the text on ", "; empty pieces are not tags.
        finding.tags = (try fields.string("tags") ?? "").components(separatedBy: ", ").filter { !$0.isEmpty }
        return (offender + file + (line.map(String.init) ?? "None"), finding)
    }

    /// A gitleaks v8 (or newer) leak and its duplicate key (title, secret and line).
    private static func currentFinding(_ fields: LooseFields) throws(ParseError) -> (String, Finding) {
        let reason = try fields.requiredText("Description")
        let line = fields.object["StartLine"]?.isTruthy == true ? fields.integer("StartLine", nullDefault: 0, absentDefault: 0) ?? 0 : 0
        let filePath = try fields.string("File")
        let secret = try fields.string("Secret")
        let title = "Hard coded \(reason) found in \(filePath ?? "None")"

        var description = ""
        func add(_ key: String, _ label: String) throws(ParseError) {
            if let value = try fields.string(key), !value.isEmpty { description += "**\(label):** \(value)\n" }
        }
        try add("Secret", "Secret")
        try add("Match", "Match")
        if let message = try fields.string("Message"), !message.isEmpty {
            if PythonString.contains(message, "\n") {
                description += "**Commit message:**\n```\n" + PythonString.replace(message, "```", "\\`\\`\\`") + "\n```\n"
            } else {
                description += "**Commit message:** \(message)\n"
            }
        }
        try add("Commit", "Commit hash")
        try add("Date", "Commit date")
        if let rule = try fields.string("RuleID"), !rule.isEmpty { description += "**Rule Id:** \(rule)" }
        description = PythonString.removingSuffix(description, "\n")

        var finding = Finding(title: title, severity: .high, description: description)
        finding.cwe = 798
        finding.filePath = filePath
        finding.line = line
        finding.dynamicFinding = false
        finding.staticFinding = true
        finding.numberOfOccurrences = 1
        if let tags = fields.object["Tags"], tags.isTruthy {
            finding.tags = try fields.stringList("Tags") ?? []
        }
        return (title + (secret ?? "") + String(line), finding)
    }
}
