import BulwarkCore
import Foundation

/// Maps one Mend vulnerability node to a ``Finding`` (DefectDojo's `_build_common_output`).
///
/// A node with `component` is Mend Platform output, one with `library` an agent or manual
/// export; any other node keeps only its own description.
enum MendMapping {
    /// The longest `steps_to_reproduce` location list DefectDojo keeps before cutting with "...".
    private static let locationLimit = 3999

    static func finding(_ node: LooseFields, libraryName: String?) throws(ParseError) -> Finding {
        var libraryName = libraryName
        var description = "No Description Available"
        var componentName: String?
        var componentVersion: String?
        var impact: String?
        var score: JSONValue?
        var kevDate: CalendarDate?
        var mitigation = "N/A"
        var fixAvailable = false
        var locations: [String] = []

        if node.contains("component") {
            let component = try node.child("component")
            let vulnerability = try node.child("vulnerability")
            description = "**Vulnerability Description**: " + vulnerability.text("description", default: "No Description Available")
                + "\n\n**Component Name**: " + component.text("name", default: "")
                + "\n**Component Type**: " + component.text("componentType", default: "")
                + "\n**Library Type**: " + component.text("libraryType", default: "") + "\n"
            libraryName = try component.string("name")
            componentName = try component.string("artifactId")
            componentVersion = try component.string("version")
            impact = "**Direct or Transitive Vulnerability**: " + component.text("dependencyType", default: "") + "\n"
            score = vulnerability.object["score"]
            if let published = try vulnerability.string("publishDate") { kevDate = strictUTCDate(published) }
            if let path = try component.string("path"), !path.isEmpty { locations.append(path) }
            // A topFix DefectDojo cannot read (null, or null parts) leaves the defaults.
            if let topFix = node.object["topFix"]?.objectValue,
               let date = text(topFix["date"], default: ""), let message = text(topFix["message"], default: ""),
               let resolution = text(topFix["fixResolution"], default: "") {
                mitigation = "**Resolution**: \(date)\n\(message)\n\(resolution)\n"
                fixAvailable = true
            }
        } else if node.contains("library") {
            let library = try node.child("library")
            description = "**Description** : " + node.text("description", default: "")
                + "\n\n**Library Name** : " + library.text("name", default: "")
                + "\n\n**Library Filename** : " + library.text("filename", default: "")
                + "\n\n**Library Description** : " + library.text("description", default: "")
                + "\n\n**Library Type** : " + library.text("type", default: "") + "\n"
            libraryName = try library.string("filename")
            componentName = try library.string("artifactId")
            componentVersion = try library.string("version")
            score = node.object["cvss3_score"]
            if let topFix = node.object["topFix"]?.objectValue {
                let date = topFix["date"]?.pythonString ?? "None"
                let resolution = topFix["fixResolution"]?.pythonString ?? "None"
                mitigation = "**Resolution** (\(date)): \(resolution)\n"
                fixAvailable = true
            }
        } else {
            description = node.text("description", default: "Unknown")
        }

        let name = try node.string("name")
        guard let libraryName else {
            throw ParseError(.missingField, "The vulnerability names no library or component.", position: node.position())
        }
        let title = "\(name ?? "CVE-None") | \(libraryName)"

        let severityText: String?
        if node.contains("cvss3_severity") {
            severityText = try node.string("cvss3_severity")
        } else if node.contains("vulnerability") {
            severityText = try node.child("vulnerability").string("severity")
        } else {
            severityText = try node.string("severity")
        }
        guard let severityText else {
            throw ParseError(.missingField, "The vulnerability has no severity.", position: node.position())
        }
        let severity = try Severity.sanitizedOrThrow(PythonCase.capitalize(severityText.lowercased()), at: node.position())

        let vector = try node.string("scoreMetadataVector")
        let scoreText = score.flatMap { $0.isNull ? nil : $0.pythonString }
        var finding = Finding(title: title, severity: severity, description: description)
        finding.cwe = 1035
        finding.mitigation = mitigation
        finding.filePath = try sourceFiles(node).joined(separator: ", ")
        finding.componentName = componentName
        finding.componentVersion = componentVersion
        finding.severityJustification = "CVSS v3 score: \(scoreText ?? "N/A") (\(vector ?? "N/A"))"
        finding.dynamicFinding = true
        finding.cvssV3 = vector
        finding.cvssV3Score = scoreText.flatMap { Double(PythonText.strip($0)) }.flatMap { $0.isFinite ? $0 : nil }
        finding.impact = impact
        locations += try locationPaths(node)
        finding.stepsToReproduce = "**Locations Found**: " + truncated(locations).joined(separator: ", ")
        finding.kevDate = kevDate
        finding.fixAvailable = fixAvailable
        if let exploitable = node.object["exploitable"], !exploitable.isNull { finding.knownExploited = exploitable.isTruthy }
        if let malicious = node.object["malicious"], !malicious.isNull { finding.ransomwareUsed = malicious.isTruthy }
        if let name, !name.isEmpty { finding.vulnerabilityIDs = [name] }
        return finding
    }

    /// `sourceFiles[].localPath`, skipping entries without one.
    private static func sourceFiles(_ node: LooseFields) throws(ParseError) -> [String] {
        guard let files = node.object["sourceFiles"]?.arrayValue else { return [] }
        return files.compactMap { $0["localPath"].flatMap { $0.isNull ? nil : $0.pythonString } }
    }

    /// `locations[].path`, skipping entries without one.
    private static func locationPaths(_ node: LooseFields) throws(ParseError) -> [String] {
        guard let items = node.object["locations"]?.arrayValue else { return [] }
        return items.compactMap { $0["path"].flatMap { $0.isNull ? nil : $0.pythonString } }
    }

    /// DefectDojo's cut: when the joined list exceeds 3999 characters, keep locations while
    /// their lengths plus one per kept entry stay within 3996, then add "...".
    private static func truncated(_ locations: [String]) -> [String] {
        guard locations.joined(separator: ", ").unicodeScalars.count > locationLimit else { return locations }
        var kept: [String] = []
        var total = 0
        for location in locations {
            let length = location.unicodeScalars.count
            guard total + length + kept.count <= locationLimit - 3 else { break }
            kept.append(location)
            total += length
        }
        kept.append("...")
        return kept
    }

    /// `value.get(key, default)` for a text DefectDojo concatenates: nil when null (DefectDojo
    /// fails there and skips the topFix).
    private static func text(_ value: JSONValue?, default fallback: String) -> String? {
        guard let value else { return fallback }
        if value.isNull { return nil }
        return value.pythonString
    }

    /// `datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").date()`; nil for any other shape.
    private static func strictUTCDate(_ text: String) -> CalendarDate? {
        guard text.hasSuffix("Z"), !text.contains("."), !text.contains("+"),
              text.split(separator: "T").count == 2, let parsed = DateParsing.iso8601(text) else { return nil }
        return parsed.calendarDate
    }
}
