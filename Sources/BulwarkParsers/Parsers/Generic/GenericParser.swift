// Generic Findings Import — DefectDojo's own exchange format, as JSON or CSV.
//
// JSON: `{"name": …, "type": …, "version": …, "description": …, "findings": [ {finding}, … ]}`
// where each finding uses DefectDojo field names (title, severity and description required;
// plus endpoints, vulnerability_ids, tags, cwes and files). A meta format: `type` names the
// tool, so the importer can name the test type "<type> Scan (Generic Findings Import)".
// CSV: DefectDojo's generic columns (Date, Title, CweId, Url, Severity, Description,
// Mitigation, Impact, References, Active, Verified, FalsePositive, Duplicate, IsMitigated,
// MitigatedDate, CVE, Vulnerability Id, CVSSV3, CVSSV4, …).
//
// Format choice: a `.csv` file name means CSV and `.json` means JSON; otherwise the content
// decides (a leading `{` or `[` means JSON). DefectDojo assumes CSV for unknown names.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/generic/{no_vuln,one_vuln,many_vulns}.{json,csv},
// plus malformed variants.
//
// Field mapping: JSON fields map one to one (see GenericJSONReport.swift); numbers given as
// text are converted, unusable numbers are dropped. CSV rows map per GenericCSVMapping.swift;
// rows with the same severity, title and description merge into one finding whose
// nb_occurences counts them, like DefectDojo.
import BulwarkCore
import Foundation

/// Parses DefectDojo's Generic Findings Import JSON and CSV (`Generic Findings Import`).
public struct GenericParser: ScanParser {
    public static let scanType: ScanType = "Generic Findings Import"

    public static let descriptors = [
        ParserDescriptor(
            scanType: scanType, label: "Generic Findings Import",
            summary: "Import Generic findings in CSV or JSON format.", version: 1,
            dedupe: .hashCode(), namesToolInReport: true),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            switch try Self.format(of: input) {
            case .json:
                return try GenericJSONReport.parse(try input.readData(), defaultName: Self.scanType.rawValue)
            case .csv:
                let data = try input.readData()
                guard !data.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
                    throw ParseError(.empty, "The report is empty.")
                }
                let findings = try GenericCSVMapping.findings(from: CSVTable(data: data))
                let name = Self.scanType.rawValue
                return ParseResult(findings: findings, toolType: name, testName: name)
            }
        } catch {
            throw error.naming(scanType)
        }
    }

    private enum Format { case json, csv }

    private static func format(of input: ScanInput) throws(ParseError) -> Format {
        switch input.fileExtension {
        case "csv": return .csv
        case "json": return .json
        default:
            let head = try input.prefix(1024)
            let start = head.drop(while: { [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) })
            return start.first == 0x7B || start.first == 0x5B ? .json : .csv
        }
    }
}
