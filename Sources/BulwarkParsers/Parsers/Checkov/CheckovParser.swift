// Checkov Scan — Checkov (infrastructure-as-code scanner) JSON reports (`checkov -o json`).
//
// Formats: one check type as an object `{"check_type": …, "results": {"failed_checks": […]}}`,
// several as an array of such objects (Checkov 1.x–3.x), and the bare summary Checkov 2 writes
// when nothing was scanned (no `results`: no findings). Only failed checks become findings.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/checkov/{no_vuln,one_vuln,many_vulns}.json, plus
// the summary-only report, benchmarks and Unicode, CRLF and malformed reports.
//
// Field mapping (DefectDojo dojo/tools/checkov/parser.py):
//   check_name → title ("check_name not found" without it)
//   severity (capitalised) → severity, Medium when absent or null
//   description: "Check Type: <type>", then check_id, check_name and the check's description
//   benchmarks → mitigation ("- <benchmark> # <name> : <description>" lines, in report order)
//   guideline → references ("" when absent)   file_path → file_path
//   file_line_range[0] → line                 resource → component_name
//   static true, dynamic false.
import BulwarkCore

/// Parses Checkov JSON reports (`Checkov Scan`).
public struct CheckovParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Checkov Scan", label: "Checkov Scan",
            summary: "Import JSON reports of Infrastructure as Code vulnerabilities.", version: 1,
            dedupe: .hashCode()),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let document = try JSONReportDocument.load(input)
            let trees: [(JSONValue, String)]
            switch document {
            case .array(let items): trees = items.enumerated().map { ($1, "$[\($0)]") }
            case .object: trees = [(document, "$")]
            default:
                throw ParseError(
                    .unsupportedFormat, "The report is JSON but not a Checkov report: expected an object or a list of objects.",
                    position: .jsonPath("$"))
            }
            var findings: [Finding] = []
            for (tree, path) in trees {
                guard let object = tree.objectValue else {
                    throw ParseError(.invalidValue, "Each check type report must be an object.", position: .jsonPath(path))
                }
                findings += try Self.findings(of: LooseFields(object: object, path: path))
            }
            return ParseResult(findings: findings)
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func findings(of tree: LooseFields) throws(ParseError) -> [Finding] {
        let checkType = tree.pythonText("check_type") ?? ""
        guard tree.contains("results") else { return [] }
        let results = try tree.requiredObject("results")
        guard results.contains("failed_checks") else { return [] }
        var findings: [Finding] = []
        for (index, item) in try results.requiredArray("failed_checks").enumerated() {
            findings.append(try finding(from: try results.element(item, of: "failed_checks", at: index), checkType: checkType))
        }
        return findings
    }

    private static func finding(from check: LooseFields, checkType: String) throws(ParseError) -> Finding {
        var description = "Check Type: \(checkType)\n"
        if let checkID = check.pythonText("check_id") { description += "Check Id: \(checkID)\n" }
        if let name = check.pythonText("check_name") { description += "\(name)\n" }
        if let text = check.pythonText("description") { description += "\n\(text)\n" }

        var severity = Severity.medium
        if let raw = check.object["severity"], !raw.isNull {
            severity = try Severity.sanitizedOrThrow(PythonStringCase.capitalize(raw.pythonString), at: check.position("severity"))
        }
        var finding = Finding(
            title: check.pythonText("check_name") ?? "check_name not found", severity: severity, description: description)
        finding.mitigation = try mitigation(from: check)
        finding.references = check.contains("guideline") ? try check.string("guideline") : ""
        finding.filePath = try check.string("file_path")
        if check.contains("file_line_range") {
            let lines = try check.requiredArray("file_line_range")
            guard let first = lines.first else {
                throw ParseError(.invalidValue, "\"file_line_range\" is empty.", position: check.position("file_line_range"))
            }
            finding.line = first.looseInteger
        }
        if check.contains("resource") { finding.componentName = try check.string("resource") }
        finding.staticFinding = true
        finding.dynamicFinding = false
        return finding
    }

    /// One line per guideline of each benchmark, in report order.
    private static func mitigation(from check: LooseFields) throws(ParseError) -> String {
        guard let benchmarks = try check.optionalObject("benchmarks"), !benchmarks.object.isEmpty else { return "" }
        var text = "\nBenchmarks:\n"
        for benchmark in benchmarks.object.keys {
            guard let guidelines = benchmarks.object[benchmark], !guidelines.isNull else { continue }
            guard let list = guidelines.arrayValue else {
                throw ParseError(.invalidValue, "A benchmark must list its guidelines.", position: benchmarks.position(benchmark))
            }
            for (index, item) in list.enumerated() {
                let guideline = try benchmarks.element(item, of: benchmark, at: index)
                let name = try guideline.requiredValue("name").pythonString
                let detail = try guideline.requiredValue("description").pythonString
                text += "- \(benchmark) # \(name) : \(detail)\n"
            }
        }
        return text
    }
}
