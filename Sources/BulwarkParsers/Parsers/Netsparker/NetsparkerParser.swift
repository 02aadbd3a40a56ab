// Netsparker Scan — Netsparker (now Invicti) JSON vulnerability exports.
//
// Formats: the JSON export (`Generated`, `Target`, `Vulnerabilities`), with or without a UTF-8
// byte order mark; Netsparker Desktop and Enterprise, and Invicti Enterprise reports of the same
// shape (``InvictiParser`` reads the same format under `Invicti Scan`).
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/netsparker/{no_vuln,one_vuln,many_vulns}.json,
// bom.json, missing_optional.json, plus malformed variants (truncated, not an object).
//
// Field mapping (DefectDojo dojo/tools/netsparker/parser.py), one finding per vulnerability Name
// (later ones add their request/response pair and endpoint to the first):
//   Name → title      Severity Info/Low/Medium/High/Critical → severity, anything else Info
//   Description, RemedialProcedure, RemedyReferences, Impact (HTML → text, wrapped at 78)
//   → description, mitigation, references, impact
//   Classification.Cwe "a, b" → cwe (first, when a number), cwes
//   Classification.Cvss.Vector, else Cvss31.Vector → cvssv3 (cleaned)
//   Generated → date ("dd/mm/yyyy hh:mm AM", "dd/mm/yyyy … UTC…", else a free-form date)
//   State FalsePositive → false_p, inactive; AcceptedRisk → risk accepted
//   HttpRequest.Content / HttpResponse.Content → request/response pair ("None" when absent)
//   Url → endpoint; static true.
import BulwarkCore
import Foundation

/// Parses Netsparker JSON exports (`Netsparker Scan`).
public struct NetsparkerParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Netsparker Scan", label: "Netsparker Scan", summary: "Netsparker JSON format.", version: 1,
            dedupe: .legacy),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do {
            return try Self.parse(input, format: "Netsparker JSON export")
        } catch {
            throw error.naming(scanType)
        }
    }

    /// Reads the export; `format` names it in errors.
    static func parse(_ input: ScanInput, format: String) throws(ParseError) -> ParseResult {
        var data = try input.readData()
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data = data.dropFirst(3) }
        guard let object = try OrderedJSONParser.parse(Data(data)).objectValue else {
            throw ParseError(.unsupportedFormat, "The report is JSON but not a \(format): expected an object.", position: .jsonPath("$"))
        }
        let root = LooseFields(object: object, path: "$")
        let scanDate = (try root.string("Generated")).flatMap(NetsparkerDate.parse)
        let items = try root.requiredArray("Vulnerabilities")
        var findings: [Finding] = []
        var indexByTitle: [String: Int] = [:]
        var warnings: [String] = []
        for (index, value) in items.enumerated() {
            let item = try root.element(value, of: "Vulnerabilities", at: index)
            var finding = try finding(from: item, date: scanDate)
            let url = try item.requiredText("Url")
            do {
                finding.endpoints = [try EndpointURL.parse(url)]
            } catch {
                warnings.append("\(item.position("Url")): skipped the endpoint \"\(url)\" of \"\(finding.title)\": \(error).")
            }
            if let first = indexByTitle[finding.title] {
                findings[first].requestResponsePairs += finding.requestResponsePairs
                findings[first].endpoints += finding.endpoints
            } else {
                indexByTitle[finding.title] = findings.count
                findings.append(finding)
            }
        }
        return ParseResult(findings: findings, warnings: warnings)
    }

    private static func finding(from item: LooseFields, date: CalendarDate?) throws(ParseError) -> Finding {
        let title = try item.requiredText("Name")
        let severity: Severity = switch item.object["Severity"]?.stringValue {
        case "Critical": .critical
        case "High": .high
        case "Medium": .medium
        case "Low": .low
        default: .info
        }
        let html = { (key: String) -> String in
            HTMLToText.convert(item.object[key]?.stringValue ?? "")
        }
        var finding = Finding(title: title, severity: severity, description: html("Description"))
        finding.mitigation = html("RemedialProcedure")
        finding.references = html("RemedyReferences")
        finding.impact = html("Impact")
        finding.date = date
        finding.staticFinding = true
        let classification = item.object["Classification"]?.objectValue
        finding.cwe = nil
        if let cweList = classification?["Cwe"]?.stringValue, !cweList.isEmpty {
            let parts = cweList.split(separator: ",", omittingEmptySubsequences: false).map { PythonText.strip(String($0)) }
            finding.cwe = parts.first.flatMap { Int($0) }
            finding.cwes = parts.compactMap { Int($0) }
        }
        switch item.object["State"]?.stringValue {
        case "FalsePositive":
            finding.active = false
            finding.verified = false
            finding.falsePositive = true
        case "AcceptedRisk":
            finding.riskAccepted = true
        default:
            break
        }
        if let vector = classification?["Cvss"]?.objectValue?["Vector"]?.stringValue {
            finding.cvssV3 = AcunetixMapping.cleanVector(in: vector)
        } else if let vector = classification?["Cvss31"]?.objectValue?["Vector"]?.stringValue {
            finding.cvssV3 = AcunetixMapping.cleanVector(in: vector)
        }
        let request = item.object["HttpRequest"]?.objectValue?["Content"]?.pythonString ?? "None"
        let response = item.object["HttpResponse"]?.objectValue?["Content"]?.pythonString ?? "None"
        finding.requestResponsePairs = [RequestResponsePair(request: request, response: response)]
        return finding
    }
}

/// Netsparker's report dates, read as DefectDojo's `_parse_date` does.
enum NetsparkerDate {
    /// `dd/mm/yyyy …` when the text names UTC, `dd/mm/yyyy hh:mm AM`, else a free-form date
    /// (month first when ambiguous); `nil` when none of them fits.
    static func parse(_ text: String) -> CalendarDate? {
        guard !text.isEmpty else { return nil }
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        if text.contains("UTC") {
            if let first = words.first, let date = dayFirstDate(first) { return date }
        } else if words.count == 3, let date = dayFirstDate(words[0]), isClockTime(words[1]),
                  ["AM", "PM"].contains(words[2].uppercased()) {
            return date
        }
        return DateParsing.flexible(text)?.calendarDate
    }

    /// `%d/%m/%Y`: one or two digit day and month, four digit year.
    private static func dayFirstDate(_ text: Substring) -> CalendarDate? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count), parts[2].count == 4,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2]) else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }

    /// `%H:%M`.
    private static func isClockTime(_ text: Substring) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
              (1...2).contains(parts[0].count), (1...2).contains(parts[1].count) else { return false }
        return (0...23).contains(hour) && (0...59).contains(minute)
    }
}
