// Detect-secrets Scan — Yelp detect-secrets baseline files (`detect-secrets scan > .secrets.baseline`).
//
// Formats: detect-secrets 0.x and 1.x JSON: `{"generated_at": …, "results": {"<file>": [ {secret}, … ]}}`;
// plugins and filters are ignored. Files are walked in report order.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/detect_secrets/{no_vuln,one_vuln,many_vulns}.json,
// plus audited secrets (is_secret), a repeated secret, Unicode, CRLF and malformed reports.
//
// Field mapping (DefectDojo dojo/tools/detect_secrets/parser.py):
//   type → title                        severity: always High; cwe 798
//   filename → file_path                line_number → line
//   is_verified → verified              generated_at → date (UTC day)
//   is_secret: absent or true → active; false → inactive and false positive
//   description: "Detected potential secret …" with file, line and type.
// The same type, file, line and hashed secret seen again adds to nb_occurences of the first.
import BulwarkCore

/// Parses detect-secrets JSON baselines (`Detect-secrets Scan`).
public struct DetectSecretsParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Detect-secrets Scan", label: "Detect-secrets Scan",
            summary: "Import JSON output for detect-secrets scan report.", version: 1, dedupe: .hashCode()),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let root = LooseFields(object: try JSONReportDocument.rootObject(input, format: "detect-secrets report"), path: "$")
            guard root.contains("results") else {
                throw ParseError(
                    .unsupportedFormat, "The report is JSON but not a detect-secrets report: \"results\" is missing.",
                    position: .jsonPath("$"))
            }
            let results = try root.requiredObject("results")
            var date: CalendarDate?
            var findings: [Finding] = []
            var positions: [String: Int] = [:]
            for file in results.object.keys {
                for (index, item) in try results.requiredArray(file).enumerated() {
                    let secret = try results.element(item, of: file, at: index)
                    if date == nil { date = try Self.reportDate(root) }
                    let (key, finding) = try Self.finding(from: secret)
                    if let position = positions[key] {
                        findings[position].numberOfOccurrences = (findings[position].numberOfOccurrences ?? 1) + 1
                    } else {
                        positions[key] = findings.count
                        var dated = finding
                        dated.date = date
                        findings.append(dated)
                    }
                }
            }
            return ParseResult(findings: findings)
        } catch {
            throw error.naming(scanType)
        }
    }

    /// `generated_at` as a UTC day; DefectDojo cannot date the findings without it.
    private static func reportDate(_ root: LooseFields) throws(ParseError) -> CalendarDate {
        guard let value = root.object["generated_at"], value.isTruthy else {
            throw ParseError(.missingField, "Required field \"generated_at\" is missing.", position: root.position())
        }
        guard let text = value.stringValue, let parsed = DateParsing.flexible(text), let day = parsed.utcCalendarDate else {
            throw ParseError(
                .invalidValue, "\"generated_at\" value \"\(value.pythonString)\" is not a date.", position: root.position("generated_at"))
        }
        return day
    }

    /// The finding and DefectDojo's duplicate key (type, file, line and hashed secret).
    private static func finding(from secret: LooseFields) throws(ParseError) -> (String, Finding) {
        let type = try secret.requiredText("type")
        let file = try secret.requiredText("filename")
        let hashedSecret = try secret.requiredText("hashed_secret")
        let lineText = secret.pythonText("line_number") ?? "None"
        let description = "Detected potential secret with the following related data:\n"
            + "**Filename:** \(file)\n**Line:** \(lineText)\n**Type:** \(type)\n"

        var finding = Finding(title: type, severity: .high, description: description)
        finding.cwe = 798
        finding.verified = try secret.bool("is_verified") ?? false
        let isSecret = secret.object["is_secret"]
        finding.active = isSecret == nil || isSecret == .bool(true)
        finding.falsePositive = isSecret == .bool(false)
        finding.filePath = file
        finding.line = secret.integer("line_number", nullDefault: nil, absentDefault: nil)
        finding.numberOfOccurrences = 1
        return (type + file + lineText + hashedSecret, finding)
    }
}
