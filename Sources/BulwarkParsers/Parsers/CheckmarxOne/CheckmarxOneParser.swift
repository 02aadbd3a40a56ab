// Checkmarx One Scan — Checkmarx One JSON exports, in the three shapes DefectDojo reads.
//
// Formats:
//   1. The results API (`{"results": [ {type, id, severity, state, data, …} ], "totalCount": …}`):
//      sast, kics, sca and sca-container results; other types are skipped.
//   2. The GitLab-style export (`{"scan": …, "vulnerabilities": [ {identifiers, location, …} ]}`).
//   3. The scan report (`{"scanResults": {"resultsList": […]}, "iacScanResults": …,
//      "scaScanResults": …, "vulnerabilityDetails": […]}`): SAST instances and IaC results; SCA
//      packages are not read (DefectDojo does not read them either). See CheckmarxOneScanReport.swift.
//   When `vulnerabilities` or `results` is present it decides, even beside scan report members.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/checkmarx_one/{no_vuln,one_vuln,many_vulns}.json
// (results API), scan_report.json, gitlab_style.json, plus Unicode, CRLF and malformed reports.
//
// Field mapping (DefectDojo dojo/tools/checkmarx_one/parser.py):
//   state TO_VERIFY/PROPOSED_NOT_EXPLOITABLE/CONFIRMED/URGENT → active; NOT_EXPLOITABLE/CONFIRMED/
//   URGENT → verified; NOT_EXPLOITABLE → false positive (any other or no state: inactive)
//   1. description (else "<Severity> <queryName>") → title and description; severity (title-cased);
//      id (else similarityId) → unique_id_from_tool; first node's fileName (sast) or data filename
//      (kics) → file_path; cveId → vulnerability_ids (sca); firstFoundAt → date (UTC day);
//      vulnerabilityDetails.cweId (its first number) → cwe; the type → tags; static true.
//   2. identifiers[0].value → unique_id_from_tool; "<id>_<file>" → title; severity as given;
//      location file/start_line → file_path/line; static true, dynamic false.
import BulwarkCore
import Foundation

/// Parses Checkmarx One JSON exports (`Checkmarx One Scan`).
public struct CheckmarxOneParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Checkmarx One Scan", label: "Checkmarx One Scan", summary: "Checkmarx One JSON export.",
            version: 1, dedupe: .uniqueIDFromTool()),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let root = LooseFields(object: try JSONReportDocument.rootObject(input, format: "Checkmarx One export"), path: "$")
            if let list = root.object["vulnerabilities"], !list.isNull {
                return ParseResult(findings: try Self.gitlabStyleFindings(root))
            }
            if let list = root.object["results"], !list.isNull {
                return ParseResult(findings: try Self.resultFindings(root))
            }
            if ["scaScanResults", "iacScanResults", "scanResults"].contains(where: root.contains) {
                return ParseResult(findings: try CheckmarxOneScanReport.findings(root))
            }
            throw ParseError(
                .unsupportedFormat,
                "The report is JSON but not a Checkmarx One export: expected \"results\", \"vulnerabilities\" or \"scanResults\".",
                position: .jsonPath("$"))
        } catch {
            throw error.naming(scanType)
        }
    }

    /// DefectDojo's reading of a Checkmarx One triage state.
    static func applyState(of item: LooseFields, to finding: inout Finding) {
        let state = item.object["state"]?.stringValue
        finding.active = ["TO_VERIFY", "PROPOSED_NOT_EXPLOITABLE", "CONFIRMED", "URGENT"].contains(state ?? "")
        finding.verified = ["NOT_EXPLOITABLE", "CONFIRMED", "URGENT"].contains(state ?? "")
        finding.falsePositive = state == "NOT_EXPLOITABLE"
    }

    /// A date given as text or as `{"seconds": …}`, as a UTC day; `nil` otherwise.
    static func date(_ value: JSONValue?, at position: ParseError.Position) throws(ParseError) -> CalendarDate? {
        switch value {
        case .string(let text)?:
            guard let day = DateParsing.flexible(text)?.utcCalendarDate else {
                throw ParseError(.invalidValue, "\"\(text)\" is not a date.", position: position)
            }
            return day
        case .object(let object)?:
            guard case .integer(let seconds)? = object["seconds"] else { return nil }
            return CalendarDate(utcDayOf: Date(timeIntervalSince1970: Double(seconds)))
        default:
            return nil
        }
    }

    /// A severity title-cased and sanitised; a missing one is an error, as in DefectDojo.
    static func titledSeverity(of item: LooseFields) throws(ParseError) -> Severity {
        guard let raw = item.object["severity"], !raw.isNull else {
            throw ParseError(.missingField, "Required field \"severity\" is missing.", position: item.position())
        }
        return try Severity.sanitizedOrThrow(PythonStringCase.title(raw.pythonString), at: item.position("severity"))
    }

    // MARK: Results API

    private static func resultFindings(_ root: LooseFields) throws(ParseError) -> [Finding] {
        var findings: [Finding] = []
        for (index, item) in try root.requiredArray("results").enumerated() {
            let result = try root.element(item, of: "results", at: index)
            let type = result.object["type"]?.stringValue
            guard let type, ["sast", "kics", "sca", "sca-container"].contains(type) else { continue }
            let data = try result.optionalObject("data")
            var description = try result.string("description")
            if description == nil {
                guard let data else { throw ParseError(.missingField, "Required field \"data\" is missing.", position: result.position()) }
                let queryName = (data.pythonText("queryName") ?? "None").replacingOccurrences(of: "_", with: " ")
                description = PythonStringCase.title(result.pythonText("severity") ?? "None") + " " + queryName
            }
            var finding = Finding(title: description ?? "", severity: try titledSeverity(of: result), description: description ?? "")
            finding.staticFinding = true
            finding.uniqueIDFromTool = result.contains("id") ? try result.string("id") : try result.string("similarityId")
            applyState(of: result, to: &finding)
            switch type {
            case "sast":
                let nodes = try data?.requiredArray("nodes") ?? []
                guard let first = nodes.first?.objectValue else {
                    throw ParseError(.missingField, "A SAST result needs data.nodes[0].", position: result.position("data"))
                }
                finding.filePath = try LooseFields(object: first, path: "").string("fileName")
            case "kics":
                finding.filePath = try data.flatMap { (fields) throws(ParseError) in
                    fields.contains("filename") ? try fields.string("filename") : try fields.string("fileName")
                }
            default:
                if let cve = try result.string("cveId") { finding.vulnerabilityIDs = [cve] }
            }
            finding.date = try date(result.object["firstFoundAt"], at: result.position("firstFoundAt"))
            finding.cwe = try cwe(of: result)
            finding.tags = [type]
            findings.append(finding)
        }
        return findings
    }

    /// `vulnerabilityDetails.cweId`: a number, or the first run of digits in a text.
    private static func cwe(of result: LooseFields) throws(ParseError) -> Int? {
        guard let details = try result.optionalObject("vulnerabilityDetails") else { return nil }
        switch details.object["cweId"] {
        case .integer(let number)?: return number
        case .string(let text)?:
            let digits = text.drop { !$0.isASCIIDigit }.prefix { $0.isASCIIDigit }
            return digits.isEmpty ? nil : Int(digits)
        default: return nil
        }
    }

    // MARK: GitLab-style export

    private static func gitlabStyleFindings(_ root: LooseFields) throws(ParseError) -> [Finding] {
        var findings: [Finding] = []
        for (index, item) in try root.requiredArray("vulnerabilities").enumerated() {
            let result = try root.element(item, of: "vulnerabilities", at: index)
            let identifiers = try result.requiredArray("identifiers")
            guard let first = identifiers.first else {
                throw ParseError(.missingField, "\"identifiers\" is empty.", position: result.position("identifiers"))
            }
            let resultID = try result.element(first, of: "identifiers", at: 0).requiredValue("value").pythonString
            var cwe: Int?
            if result.contains("vulnerabilityDetails") {
                // DefectDojo reads the CWE from a misspelt "vulnerabilites" member here.
                guard let details = try result.optionalObject("vulnerabilites") else {
                    throw ParseError(.missingField, "Required field \"vulnerabilites\" is missing.", position: result.position())
                }
                cwe = details.object["cweId"]?.looseInteger
            }
            let location = try result.requiredObject("location")
            let file = try location.requiredText("file")
            let startLine = location.pythonText("start_line") ?? "None"
            let endLine = location.pythonText("end_line") ?? "None"
            let rawSeverity = try result.requiredText("severity")
            var finding = Finding(
                title: resultID + "_" + file, severity: try Severity.sanitizedOrThrow(rawSeverity, at: result.position("severity")),
                description: "**id**: \(resultID)\n**uri**: \(file)\n**startLine**: \(startLine)\n**endLine**: \(endLine)\n")
            finding.uniqueIDFromTool = resultID
            finding.filePath = file
            finding.line = location.integer("start_line", nullDefault: nil, absentDefault: nil)
            finding.cwe = cwe
            finding.staticFinding = true
            finding.dynamicFinding = false
            applyState(of: result, to: &finding)
            findings.append(finding)
        }
        return findings
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
