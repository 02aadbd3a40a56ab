import BulwarkCore
import Foundation

/// Twistlock JSON results and CSV rows to findings, as DefectDojo's `twistlock` parser does.
enum TwistlockMapping {
    // MARK: JSON

    static func jsonFindings(_ tree: JSONValue) throws(ParseError) -> [Finding] {
        guard let results = tree.member("results"), results.isTruthy, let result = results.arrayValue?.first else { return [] }
        var metadata: [String] = []
        if let id = result.member("id"), id.isTruthy { metadata.append("Image ID: \(id.pythonString)") }
        if let distro = result.member("distro"), distro.isTruthy { metadata.append("Distribution: \(distro.pythonString)") }
        let imageMetadata = metadata.joined(separator: "\n")

        var findings: [Finding] = []
        var positions: [String: Int] = [:]
        func keep(_ finding: Finding, key: String) {
            if let existing = positions[key] {
                findings[existing] = finding
            } else {
                positions[key] = findings.count
                findings.append(finding)
            }
        }
        let vulnerabilities = result.member("vulnerabilities").flatMap { $0.isTruthy ? $0.arrayValue : nil } ?? []
        for (index, node) in vulnerabilities.enumerated() {
            let path = "$.results[0].vulnerabilities[\(index)]"
            let finding = try vulnerability(node, imageMetadata: imageMetadata, path: path)
            let fields = RequiredFields(node: node, path: path)
            var key = try fields.text("id") + fields.text("packageName")
            for member in ["packageVersion", "severity"] {
                guard let value = node[member] else {
                    throw ParseError(.missingField, "Required field \"\(member)\" is missing.", position: .jsonPath("\(path).\(member)"))
                }
                key += value.pythonString
            }
            keep(finding, key: key)
        }
        let compliances = result.member("compliances").flatMap { $0.isTruthy ? $0.arrayValue : nil } ?? []
        for (index, node) in compliances.enumerated() {
            let finding = try compliance(node, imageMetadata: imageMetadata, path: "$.results[0].compliances[\(index)]")
            if let id = node.member("id"), id.isTruthy {
                keep(finding, key: "compliance_" + id.pythonString)
            } else {
                // DefectDojo keys these by an MD5 of title + description; the text itself is as unique.
                keep(finding, key: "\u{0}" + node.pythonText("title", default: "") + node.pythonText("description", default: ""))
            }
        }
        return findings
    }

    private static func vulnerability(_ node: JSONValue, imageMetadata: String, path: String) throws(ParseError) -> Finding {
        let severityText = node["severity"] != nil ? convertSeverity(node.text("severity")) : "Info"
        let name = node.pythonText("packageName", default: "")
        let version = node.pythonText("packageVersion", default: "")
        let description = node.pythonText("description", default: "") + "\n\nVulnerable Package: \(name)\n\nCurrent Version: \(version)"
        var finding = Finding(
            title: "\(node.pythonText("id", default: "Unknown Vulnerability")): \(node.pythonText("packageName", default: "Unknown Package")) - \(version)",
            severity: try Severity.sanitizedOrThrow(severityText, at: .jsonPath(path + ".severity")),
            description: PythonText.strip(description))
        let vector = node.pythonText("vector"), score = node.pythonText("cvss")
        let status = node["status"] ?? .string("There seems to be no fix yet. Please check description field.")
        finding.mitigation = status.stringValue.map(PythonCase.title) ?? ""
        finding.references = node.text("link")
        finding.componentName = node["packageName"].map { $0.isNull ? nil : $0.pythonString } ?? ""
        finding.componentVersion = node["packageVersion"].map { $0.isNull ? nil : $0.pythonString } ?? ""
        finding.severityJustification = "Vector: \(vector) (CVSS v3 base score: \(score))\n\n"
            + node.pythonText("riskFactors", default: "No risk factors.")
        finding.cvssV3 = node.text("vector")
        finding.cvssV3Score = node.member("cvss")?.looseDouble
        finding.impact = ([severityText] + (imageMetadata.isEmpty ? [] : [imageMetadata])).joined(separator: "\n")
        // An unreadable date is left to the importer (DefectDojo uses the current time).
        finding.date = node.text("discoveredDate").flatMap(DateParsing.flexible)?.calendarDate
        finding.filePath = node["packagePath"].map { $0.isNull ? nil : $0.pythonString } ?? ""
        if let id = node["id"] { finding.vulnerabilityIDs = [id.pythonString] }
        return finding
    }

    private static func compliance(_ node: JSONValue, imageMetadata: String, path: String) throws(ParseError) -> Finding {
        let severityText = node["severity"] != nil ? convertSeverity(node.text("severity")) : "Info"
        let title = node.pythonText("title", default: "Unknown Compliance Issue")
        let id = node["id"].flatMap { $0.isTruthy ? $0.pythonString : nil }
        let category = node["category"].flatMap { $0.isTruthy ? $0.pythonString : nil }
        var text = "**Compliance Issue:** \(title)\n\n"
        if let id { text += "**Compliance ID:** \(id)\n\n" }
        if let category { text += "**Category:** \(category)\n\n" }
        text += "**Description:** \(node.pythonText("description", default: "No description specified"))\n\n"
        if let layerTime = node["layerTime"], layerTime.isTruthy { text += "Layer Time: \(layerTime.pythonString)" }
        var finding = Finding(
            title: "Compliance: \(title)",
            severity: try Severity.sanitizedOrThrow(severityText, at: .jsonPath(path + ".severity")),
            description: PythonText.strip(text))
        finding.mitigation = "Review and address the compliance issue as described in the description."
        finding.severityJustification = "Compliance severity: \(severityText)"
        finding.impact = ([severityText] + (imageMetadata.isEmpty ? [] : [imageMetadata])).joined(separator: "\n")
        finding.vulnIDFromTool = id
        finding.tags = ["compliance"] + (category.map { [$0.lowercased()] } ?? [])
        return finding
    }

    /// DefectDojo's `convert_severity`.
    static func convertSeverity(_ raw: String?) -> String {
        guard let raw, !raw.isEmpty else { return "Info" }
        switch raw.lowercased() {
        case "important": return "High"
        case "moderate": return "Medium"
        case "information", "informational": return "Info"
        default: return PythonCase.title(raw)
        }
    }

    // MARK: CSV

    static func csvFindings(_ table: CSVTable) throws(ParseError) -> [Finding] {
        var findings: [Finding] = []
        var seen: Set<String> = []
        for record in table.records {
            let value = { (column: String) -> String in record[column] ?? "" }
            let id = value("CVE ID"), version = value("Package Version"), package = value("Packages")
            let severityText = convertSeverity(value("Severity")), description = value("Description")
            let published = value("Published"), discovered = value("Discovered")
            var impact: [String] = []
            for (column, label) in [
                ("Registry", "Registry"), ("Repository", "Repository"), ("Tag", "Tag"), ("Id", "Image ID"), ("Distro", "Distribution"),
                ("Hosts", "Hosts"), ("Containers", "Containers"), ("Clusters", "Clusters"), ("Binaries", "Binaries"),
                ("Custom Labels", "Custom Labels"), ("Published", "Published"), ("Discovered", "Discovered"),
            ] where !value(column).isEmpty {
                impact.append("\(label): \(value(column))")
            }
            let title: String
            if !id.isEmpty, !package.isEmpty {
                title = "\(id): \(package) - \(version)"
            } else if !package.isEmpty, !version.isEmpty {
                title = "\(package) - \(version)"
            } else {
                title = value("Description")
            }
            var finding = Finding(
                title: shorten(title, width: 255),
                severity: try Severity.sanitizedOrThrow(severityText, at: .csv(line: record.line, column: "Severity")),
                description: PythonText.strip("\(description)\n\nVulnerable Package: \(package)\n\nCurrent Version: \(version)"))
            finding.date = csvDate(published.isEmpty ? discovered : published)
            finding.mitigation = value("Fix Status")
            finding.componentName = shorten(package, width: 200)
            finding.componentVersion = version
            finding.severityJustification = "(CVSS v3 base score: \(value("CVSS")))"
            finding.impact = impact.isEmpty ? value("Severity") : impact.joined(separator: "\n")
            if !id.isEmpty { finding.vulnerabilityIDs = [id] }
            guard seen.insert("\(finding.severity.rawValue)|\(finding.title)|\(finding.description)").inserted else { continue }
            findings.append(finding)
        }
        return findings
    }

    /// `2020-09-04 00:15:00.000` (or any text starting with `YYYY-MM-DD`) → the day.
    private static func csvDate(_ text: String) -> CalendarDate? {
        guard !text.isEmpty else { return nil }
        let head = String(text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        if let parsed = DateParsing.iso8601(head), head.count == 19 { return parsed.calendarDate }
        return DateParsing.iso8601(String(text.prefix(10))).flatMap { $0.hour == 0 ? $0.calendarDate : nil }
    }

    /// `textwrap.shorten(text, width, placeholder="...")`.
    private static func shorten(_ text: String, width: Int) -> String {
        let collapsed = text.unicodeScalars.split(whereSeparator: PythonText.isWhitespace)
            .map { String(String.UnicodeScalarView($0)) }.joined(separator: " ")
        guard collapsed.unicodeScalars.count > width else { return collapsed }
        var wrapper = PythonTextWrapper(width: width)
        wrapper.maxLines = 1
        wrapper.placeholder = "..."
        return wrapper.wrap(collapsed).joined(separator: "\n")
    }
}
