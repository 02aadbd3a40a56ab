// SonarQube Scan / SonarQube Scan detailed — SonarQube issues exported as files.
//
// Formats (chosen by file name like DefectDojo, by content when the name says nothing):
//   - sonar-report (soprasteria/sonar-report ≥ 1.1) HTML report: the "Detail of the Detected
//     Vulnerabilities" table plus the "Known Security Rules" table of rule descriptions;
//   - sonar-report JSON (`date`, `projectName`, `hotspotKeys`, `rules`, `issues`);
//   - SonarQube Web API JSON (`api/issues/search` with `paging` and `components`, and
//     `api/hotspots/search`);
//   - a zip of Web API JSON files (every `.json` entry, in archive order), via ArchiveReader.
// A `.json` file of another shape gives no findings, as in DefectDojo.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/sonarqube/{no_vuln,one_vuln,many_vulns}.html,
// api_issues.json, api_hotspots.json, api_export.zip, sonar_report.json, plus malformed ones.
//
// Field mapping (DefectDojo dojo/tools/sonarqube):
//   sonar-report: Description column → title, Message → mitigation, Component → file_path,
//   severity blocker/critical/major/minor → Critical/High/Medium/Low (else Info); the rule's
//   description (up to its "See" heading, h2 → **) → description; rule name plus link texts →
//   references; first CWE-n in them → cwe; impact "No impact provided"; static.
//   "SonarQube Scan" merges issues with the same cwe, title, description and file into one
//   finding (no line; "Line: n" per occurrence in the description, messages joined,
//   nb_occurences counted). "detailed" keeps one finding per issue with line and Key →
//   unique_id_from_tool.
//   Web API: title "<rule>_<key>"; severity BLOCKER → High, MAJOR → Medium, MINOR → Low,
//   else capitalised; creationDate → date; tags bug / vulnerability / code_smell / hotspot;
//   vulnerability messages give cwe (Category: CWE-n), cvssv3_score, component name:version
//   and CVE/GHSA ids. Both scan types read the Web API formats identically.
import BulwarkCore
import Foundation

/// Parses sonar-report HTML/JSON and SonarQube Web API JSON exports (`SonarQube Scan`,
/// `SonarQube Scan detailed`).
public struct SonarQubeParser: ScanParser {
    static let aggregated: ScanType = "SonarQube Scan"
    static let detailed: ScanType = "SonarQube Scan detailed"

    public static let descriptors = [
        ParserDescriptor(
            scanType: aggregated, label: "SonarQube Scan",
            summary: "sonar-report HTML or JSON, or SonarQube Web API JSON (or a zip of it); issues aggregated per rule and file.",
            version: 1, dedupe: .hashCode(fields: [.cwe, .severity, .filePath], allowsNullCWE: false)),
        ParserDescriptor(
            scanType: detailed, label: "SonarQube Scan detailed",
            summary: "sonar-report HTML or JSON, or SonarQube Web API JSON (or a zip of it); one finding per issue.",
            version: 1, dedupe: .uniqueIDFromTool()),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let isDetailed = scanType == Self.detailed
            switch try Self.format(of: input) {
            case .zip:
                return ParseResult(findings: try Self.zipFindings(input))
            case .json:
                let data = try input.readData()
                guard case .object(let json) = try OrderedJSONParser.parse(data) else {
                    throw ParseError(.unsupportedFormat, "The report is JSON but not an object.", position: .jsonPath("$"))
                }
                if json["date"]?.isTruthy == true, json["projectName"]?.isTruthy == true, json["hotspotKeys"]?.isTruthy == true {
                    let issues = try SonarQubeHTMLReport.issues(json: json)
                    return ParseResult(findings: SonarQubeAggregation.findings(from: issues, detailed: isDetailed))
                }
                if json["paging"]?.isTruthy == true, json["components"]?.isTruthy == true {
                    return ParseResult(findings: try SonarQubeAPIReport.findings(json, path: "$"))
                }
                return ParseResult(findings: [])
            case .html:
                let data = try input.readData()
                guard !data.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
                    throw ParseError(.empty, "The report is empty.")
                }
                let html = String(decoding: data, as: UTF8.self)
                guard html.range(of: "<html", options: .caseInsensitive) != nil || html.range(of: "<table", options: .caseInsensitive) != nil else {
                    throw ParseError(.unsupportedFormat, "The report is neither a sonar-report HTML report nor JSON.")
                }
                let issues = try SonarQubeHTMLReport.issues(html: html)
                return ParseResult(findings: SonarQubeAggregation.findings(from: issues, detailed: isDetailed))
            }
        } catch {
            throw error.naming(scanType)
        }
    }

    private enum Format { case zip, json, html }

    private static func format(of input: ScanInput) throws(ParseError) -> Format {
        switch input.fileExtension {
        case "json": return .json
        case "zip": return .zip
        case "html", "htm": return .html
        default:
            if try ArchiveReader.isZip(input) { return .zip }
            let head = try input.prefix(64)
            let first = head.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF }
            return first == UInt8(ascii: "{") ? .json : .html
        }
    }

    /// Every `.json` entry of the zip read as Web API JSON, findings concatenated.
    private static func zipFindings(_ input: ScanInput) throws(ParseError) -> [Finding] {
        let archive = try ArchiveReader(input)
        var findings: [Finding] = []
        for entry in archive.entries where !entry.isDirectory && entry.path.hasSuffix(".json") {
            let data = try archive.readData(entry)
            do throws(ParseError) {
                guard case .object(let json) = try OrderedJSONParser.parse(data) else {
                    throw ParseError(.unsupportedFormat, "The zip entry is JSON but not an object.")
                }
                findings += try SonarQubeAPIReport.findings(json, path: "$")
            } catch {
                var located = error
                if located.position == nil { located.position = .archiveEntry(entry.path) }
                throw located
            }
        }
        return findings
    }
}
