// Wiz Scan — Wiz issue and vulnerability-finding CSV exports.
//
// Formats: the Issues export (a `Title` column: Created At, Title, Severity, Status, Description,
// Resource …, Resolved Time, Resolution, Issue ID, Remediation Recommendation, …) and the
// vulnerability findings (SCA) export (`Name` and `DetailedName` columns: ID, WizURL, Name,
// FindingStatus, VendorSeverity, FirstDetected, Remediation, LocationPath, DetailedName, Version,
// FixedVersion, Tags as a JSON object, …). Other column sets are refused.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/wiz/{no_vuln,one_vuln,many_vulns,
// sca_many_vulns}.csv, plus malformed variants.
//
// Field mapping (DefectDojo dojo/tools/wiz/parser.py and wizcli_common_parsers):
//   Issues: Title → title; Severity capitalised (Informational → Info, unknown → Info);
//   "**<column>**: <value>" lines of the descriptive columns → description; Remediation
//   Recommendation (+ "\nResolution: …") → mitigation; Issue ID → unique_id_from_tool; Created At
//   → date (UTC day); Status OPEN/IN_PROGRESS active, RESOLVED inactive and mitigated at
//   Resolved Time, IGNORED inactive and out of scope; static false, dynamic true.
//   SCA: "<DetailedName>: <Name>" → title; VendorSeverity → severity; "**<label>**: `<value>`"
//   lines → description and (location, fixed version, remediation) mitigation; ID →
//   unique_id_from_tool; package → component; FirstDetected → date; Name → vulnerability_ids;
//   Tags object → "key: value" tags; FindingStatus → status as above; static true.
import BulwarkCore
import Foundation

/// Parses Wiz CSV exports (`Wiz Scan`).
public struct WizParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Wiz Scan", label: "Wiz Scan", summary: "Wiz scan results in csv file format.", version: 1,
            dedupe: .uniqueIDFromToolOrHashCode(fields: [.title, .description, .severity])),
    ]

    private static let issueColumns = [
        "Description", "Resource Type", "Resource external ID", "Subscription ID", "Project IDs", "Project Names", "Control ID",
        "Resource Name", "Resource Region", "Resource Status", "Resource Platform", "Resource OS", "Resource original JSON",
        "Issue ID", "Resource vertex ID", "Ticket URLs", "Note", "Due At", "Subscription Name", "Wiz URL", "Cloud Provider URL",
        "Resource Tags", "Kubernetes Cluster", "Kubernetes Namespace", "Container Service", "Provider ID", "Risks", "Threats",
        "Created At", "Status Changed At", "Updated At",
    ]
    private static let findingDescriptionColumns: [(String, String)] = [
        ("WizURL", "Wiz URL"), ("HasExploit", "Has Exploit"), ("HasCisaKevExploit", "Has Cisa Kev Exploit"),
        ("LocationPath", "Location Path"), ("Version", "Version"), ("DetectionMethod", "Detection Method"), ("Link", "Link"),
        ("Projects", "Projects"), ("AssetID", "Asset ID"), ("AssetName", "Asset Name"), ("AssetRegion", "Asset Region"),
        ("ProviderUniqueId", "Provider Unique Id"), ("CloudProviderURL", "Cloud Provider URL"), ("CloudPlatform", "Cloud Platform"),
        ("SubscriptionExternalId", "Subscription External Id"), ("SubscriptionId", "Subscription Id"),
        ("SubscriptionName", "Subscription Name"), ("ExecutionControllers", "Execution Controllers"),
        ("ExecutionControllersSubscriptionExternalIds", "Execution Controllers Subscription External Ids"),
        ("ExecutionControllersSubscriptionNames", "Execution Controllers Subscription Names"),
        ("OperatingSystem", "Operating System"), ("IpAddresses", "Ip Addresses"),
    ]
    private static let findingMitigationColumns: [(String, String)] = [
        ("LocationPath", "Location Path"), ("FixedVersion", "Fixed Version"), ("Remediation", "Remediation"),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let table = try CSVTable(data: try input.readData())
            let header = Set(table.header)
            if header.contains("Title") { return ParseResult(findings: try table.records.map(Self.issue)) }
            if header.contains("Name"), header.contains("DetailedName") {
                return ParseResult(findings: try table.records.map(Self.vulnerabilityFinding))
            }
            throw ParseError(.unsupportedFormat, "This CSV format of Wiz is not supported", position: .csv(line: 1, column: nil))
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func issue(_ row: CSVTable.Record) throws(ParseError) -> Finding {
        var finding = Finding(title: row["Title"] ?? "", severity: severity(row["Severity"]))
        var mitigation = row["Remediation Recommendation"]
        if let resolution = row["Resolution"], !resolution.isEmpty {
            guard let text = mitigation else {
                throw ParseError(.missingField, "A resolved issue needs a \"Remediation Recommendation\" column.", position: .csv(line: row.line, column: "Resolution"))
            }
            mitigation = text + "\nResolution: " + resolution
        }
        finding.mitigation = mitigation
        applyStatus(row["Status"], to: &finding)
        finding.date = row["Created At"].flatMap(wizDate)?.utcCalendarDate
        if finding.isMitigated, let resolved = row["Resolved Time"], !resolved.isEmpty {
            finding.mitigated = wizDate(resolved)?.instant
        }
        finding.description = issueColumns.compactMap { column in
            row[column].flatMap { $0.isEmpty ? nil : "**\(column)**: \($0)\n" }
        }.joined()
        finding.staticFinding = false
        finding.dynamicFinding = true
        finding.uniqueIDFromTool = row["Issue ID"]
        return finding
    }

    private static func vulnerabilityFinding(_ row: CSVTable.Record) throws(ParseError) -> Finding {
        let name = row["Name"], packageName = row["DetailedName"]
        var finding = Finding(title: "\(packageName ?? "None"): \(name ?? "None")", severity: severity(row["VendorSeverity"]))
        finding.description = labelled(findingDescriptionColumns, row)
        finding.mitigation = labelled(findingMitigationColumns, row)
        finding.staticFinding = true
        finding.uniqueIDFromTool = row["ID"]
        finding.componentName = packageName
        finding.componentVersion = row["Version"]
        guard let detected = row["FirstDetected"], let date = wizDate(detected) else {
            throw ParseError(.invalidValue, "FirstDetected is not a date.", position: .csv(line: row.line, column: "FirstDetected"))
        }
        finding.date = date.utcCalendarDate
        applyStatus(row["FindingStatus"], to: &finding)
        finding.vulnerabilityIDs = name.map { [$0] } ?? []
        finding.tags = try tags(row["Tags"] ?? "[]", line: row.line)
        return finding
    }

    private static func labelled(_ columns: [(String, String)], _ row: CSVTable.Record) -> String {
        columns.compactMap { column, label in row[column].flatMap { $0.isEmpty ? nil : "**\(label)**: `\($0)`\n" } }.joined()
    }

    /// The Tags column, a JSON object, as `"key: value"` strings.
    private static func tags(_ text: String, line: Int) throws(ParseError) -> [String] {
        let value: JSONValue
        do throws(ParseError) {
            value = try OrderedJSONParser.parse(Data(text.utf8))
        } catch {
            throw ParseError(.invalidValue, "Tags must be a JSON object: \(error.reason)", position: .csv(line: line, column: "Tags"))
        }
        guard let object = value.objectValue else {
            throw ParseError(.invalidValue, "Tags must be a JSON object.", position: .csv(line: line, column: "Tags"))
        }
        return object.members.map { "\($0.key): \($0.value.pythonString)" }
    }

    /// DefectDojo's `validate_severities`: capitalised, Informational → Info, unknown → Info.
    private static func severity(_ raw: String?) -> Severity {
        let capitalized = PythonCase.capitalize(raw ?? "")
        return Severity(rawValue: capitalized == "Informational" ? "Info" : capitalized) ?? .info
    }

    /// `WizcliParsers.convert_status`.
    private static func applyStatus(_ status: String?, to finding: inout Finding) {
        finding.active = true
        switch status?.uppercased() {
        case "RESOLVED":
            finding.active = false
            finding.isMitigated = true
        case "IGNORED":
            finding.active = false
            finding.outOfScope = true
        default: break
        }
    }

    /// `dateutil.parser.parse`, then Wiz's `2025-04-03 20:20:00.43042 +0000 UTC` form (any zone
    /// name after an explicit offset).
    private static func wizDate(_ text: String) -> ParsedDateTime? {
        if let parsed = DateParsing.flexible(text) { return parsed }
        var parts = text.split(separator: " ")
        guard parts.count == 4, parts[3].allSatisfy(\.isLetter) else { return nil }
        parts.removeLast()
        return DateParsing.flexible(parts.joined(separator: " "))
    }
}
