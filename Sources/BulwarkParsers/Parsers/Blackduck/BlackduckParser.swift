// Blackduck Hub Scan — Synopsys/Black Duck Hub security exports.
//
// Formats: a single `security.csv` export, or the zip export holding `security.csv` together
// with `files.csv` (older Hub) or `source.csv` (newer Hub), in any folder of the zip. Entries
// are matched by file name like DefectDojo: a name containing "source" or "files" is the file
// list, one containing "security" the vulnerability list. From a zip, only projects present in
// both lists give findings (the file list supplies their locations). Zips go through
// ArchiveReader, so zip bombs and oversized archives are refused.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/blackduck/{no_vuln,one_vuln,many_vulns}.csv,
// many_vulns.zip (files.csv), source_export.zip (source.csv), plus malformed variants.
//
// Field mapping (DefectDojo dojo/tools/blackduck):
//   "Vulnerability id" → the CVE it contains (upper-cased), else the whole id → vulnerability_ids
//   title = "<vuln id> - <Channel version origin id | Component origin id>"
//   "Security Risk" (title-cased) → severity; Impact → impact; cwe 0; static finding
//   description: Published on, Updated on, Base score, Exploitability, Description
//   mitigation: Remediation status, target date, actual date, comment
//   references: "Vulnerability source" and URL
//   "Component name" or "Project name" → component_name; "Component version name" or
//   "Version" → component_version; zip: the project's file paths (", "-joined, < 4000
//   characters) → file_path.
// Records are grouped by "Project id" (or "Component id"), exact duplicate rows dropped, then
// sorted by vuln id (stable). Rows with the same title and vulnerability source merge into the
// first, whose description gains a "Vulnerability ID" line per merged row.
import BulwarkCore
import Foundation

/// Parses Black Duck Hub security CSV and zip exports (`Blackduck Hub Scan`).
public struct BlackduckParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Blackduck Hub Scan", label: "Blackduck Hub Scan",
            summary: "Black Duck Hub security.csv export, or its zip export with security.csv and files.csv/source.csv.",
            version: 1,
            dedupe: .hashCode(fields: [.title, .vulnerabilityIDs, .componentName, .componentVersion])),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let issues: [BlackduckIssue]
            if try ArchiveReader.isZip(input) {
                issues = try Self.issuesFromZip(input)
            } else {
                let data = try input.readData()
                guard !data.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
                    throw ParseError(.empty, "The report is empty.")
                }
                let security = try BlackduckTable(CSVTable(data: data), name: "security CSV")
                issues = try Self.issues(projects: security.keys, security: security, files: nil)
            }
            return ParseResult(findings: try Self.findings(from: issues))
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func issuesFromZip(_ input: ScanInput) throws(ParseError) -> [BlackduckIssue] {
        let archive = try ArchiveReader(input)
        var files: BlackduckTable?
        var security: BlackduckTable?
        for entry in archive.entries where !entry.isDirectory {
            let name = entry.fileName
            if name.contains("source") || name.contains("files") {
                files = try table(entry, in: archive)
            } else if name.contains("security") {
                security = try table(entry, in: archive)
            }
        }
        guard let security else {
            throw ParseError(.missingField, "The zip export has no security CSV (an entry named like security.csv).")
        }
        guard let files else { return [] }
        let projects = security.keys.filter { files.groups[$0] != nil }
        return try issues(projects: projects, security: security, files: files)
    }

    private static func table(_ entry: ArchiveEntry, in archive: ArchiveReader) throws(ParseError) -> BlackduckTable {
        do throws(ParseError) {
            return try BlackduckTable(CSVTable(data: try archive.readData(entry)), name: entry.path)
        } catch {
            var located = error
            if located.position == nil { located.position = .archiveEntry(entry.path) }
            throw located
        }
    }

    private static func issues(
        projects: [String?], security: BlackduckTable, files: BlackduckTable?
    ) throws(ParseError) -> [BlackduckIssue] {
        var issues: [BlackduckIssue] = []
        for project in projects {
            let locations = files.map { Self.locations(of: $0.groups[project] ?? []) } ?? ""
            for record in security.groups[project] ?? [] {
                issues.append(try BlackduckIssue(record, locations: locations))
            }
        }
        // DefectDojo sorts by vuln id; Python's sort is stable and compares code points.
        return issues.enumerated().sorted { lhs, rhs in
            if lhs.element.vulnID != rhs.element.vulnID {
                return lhs.element.vulnID.unicodeScalars.lexicographicallyPrecedes(rhs.element.vulnID.unicodeScalars)
            }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// The project's distinct file paths, joined by ", " while the text stays under 4,000
    /// characters (DefectDojo's field limit).
    static func locations(of records: [CSVTable.Record]) -> String {
        var locations: [String] = []
        var seen: Set<String> = []
        var length = 0
        for record in records {
            let path = record["Path"] ?? ""
            let fullPath: String
            if let context = record["Archive context"], !context.isEmpty {
                fullPath = context + path.dropFirst()
            } else {
                fullPath = path
            }
            let total = fullPath.unicodeScalars.count + length
            guard total < 4000 else { break }
            if seen.insert(fullPath).inserted {
                locations.append(fullPath)
                length += fullPath.unicodeScalars.count + 2
            }
        }
        return locations.joined(separator: ", ")
    }

    private static func findings(from issues: [BlackduckIssue]) throws(ParseError) -> [Finding] {
        var findings: [Finding] = []
        var indexByKey: [String: Int] = [:]
        for issue in issues {
            let title = "\(issue.vulnID) - \(issue.channelVersionOriginID ?? issue.componentOriginID ?? "None")"
            let key = "\(title) | \(issue.text(issue.vulnSource))"
            if let index = indexByKey[key] {
                if !findings[index].description.isEmpty {
                    findings[index].description += "Vulnerability ID: \(issue.vulnID)\n \(issue.text(issue.vulnSource))\n"
                }
                continue
            }
            let severity = try Severity.sanitizedOrThrow(issue.securityRisk, at: issue.position)
            var finding = Finding(title: title, severity: severity, description: issue.description)
            finding.mitigation = issue.mitigation
            finding.impact = issue.impact
            finding.references = issue.references
            finding.filePath = issue.locations
            finding.componentName = issue.componentName
            finding.componentVersion = issue.componentVersion
            finding.staticFinding = true
            if !issue.vulnID.isEmpty { finding.vulnerabilityIDs = [issue.vulnID] }
            indexByKey[key] = findings.count
            findings.append(finding)
        }
        return findings
    }
}

/// A CSV export grouped by project (or component) id, exact duplicate rows removed.
struct BlackduckTable {
    /// Group keys in first-seen order (`nil` for rows without the key column).
    let keys: [String?]
    let groups: [String?: [CSVTable.Record]]

    init(_ table: CSVTable, name: String) throws(ParseError) {
        guard !table.header.isEmpty else {
            throw ParseError(.empty, "The \(name) has no header row.")
        }
        let keyColumn = table.header.contains("Project id") ? "Project id" : "Component id"
        var keys: [String?] = []
        var groups: [String?: [CSVTable.Record]] = [:]
        var seenRows: [String?: Set<[String]>] = [:]
        for record in table.records {
            let key = record[keyColumn]
            if groups[key] == nil {
                keys.append(key)
                groups[key] = []
            }
            guard seenRows[key, default: []].insert(record.values).inserted else { continue }
            groups[key, default: []].append(record)
        }
        self.keys = keys
        self.groups = groups
    }
}
