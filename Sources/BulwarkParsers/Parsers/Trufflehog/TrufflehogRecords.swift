import BulwarkCore
import Foundation

/// One trufflehog record (a JSON Lines line) mapped to a finding and its duplicate key.
enum TrufflehogRecords {
    /// A v2 record: `path`, `reason`, `commit`, `commitHash`, `date`, `branch`, `stringsFound`.
    static func v2(_ record: JSONObject, position: ParseError.Position) throws(ParseError) -> (String, Finding) {
        func text(_ key: String) throws(ParseError) -> String {
            guard let value = record[key]?.stringValue else {
                throw ParseError(.invalidValue, "\"\(key)\" must be present and text.", position: position)
            }
            return value
        }
        let file = try text("path")
        let reason = try text("reason")
        let commit = record["commit"].map(PythonLiteral.str) ?? "None"
        var description = "**Commit:** " + (commit.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? "") + "\n"
        description += "```\n" + commit.replacingOccurrences(of: "```", with: "\\`\\`\\`") + "\n```\n"
        description += "**Commit Hash:** " + (try text("commitHash")) + "\n"
        description += "**Commit Date:** " + (try text("date")) + "\n"
        description += "**Branch:** " + (try text("branch")) + "\n"
        description += "**Reason:** " + reason + "\n"
        description += "**Path:** \(file)\n"
        guard let strings = record["stringsFound"]?.arrayValue else {
            throw ParseError(.invalidValue, "\"stringsFound\" must be a list.", position: position)
        }
        description += "\n**Strings Found:**\n```" + strings.map { PythonLiteral.str($0) + "\n" }.joined() + "```\n"

        let severity: Severity
        if reason == "High Entropy" {
            severity = .info
        } else if reason.contains("Oauth") || reason.contains("AWS") || reason.contains("Heroku") {
            severity = .critical
        } else if reason == "Generic Secret" {
            severity = .medium
        } else {
            severity = .high
        }
        var finding = base(title: "Hard Coded \(reason) in: \(file)", severity: severity, description: description, file: file)
        finding.mitigation = TrufflehogParser.mitigation
        finding.line = 0
        return (file + "\u{0}" + reason, finding)
    }

    /// A v3 record: `SourceMetadata.Data.<source>` plus detector fields.
    static func v3(_ record: JSONObject, position: ParseError.Position) throws(ParseError) -> (String, Finding) {
        let metadata = record["SourceMetadata"]?["Data"]?.objectValue ?? JSONObject()
        let source = metadata.members.first?.value.objectValue ?? JSONObject()
        /// `dict.get(key, default)` printed by an f-string.
        func shown(_ object: JSONObject, _ key: String, _ fallback: String = "") -> String {
            object[key].map(PythonLiteral.str) ?? fallback
        }
        let file = shown(source, "file")
        let commit = shown(source, "commit")
        let link = source["link"]
        let lineValue = source["line"] ?? .integer(0)
        let detector = shown(record, "DetectorName")
        let verified = record["Verified"]?.isTruthy ?? false

        var mitigation = TrufflehogParser.mitigation
        if let link, link.isTruthy { mitigation += "\nSee the commit here: \(PythonLiteral.str(link))" }
        var description = "**Repository:** \(shown(source, "repository"))\n"
        description += "**Link:** \(link.map(PythonLiteral.str) ?? "")\n"
        description += "**Commit Hash:** \(commit)\n"
        description += "**Commit Date:** \(shown(source, "timestamp"))\n"
        description += "**Committer:** \(shown(source, "email"))\n"
        description += "**Reason:** \(detector)\n"
        description += "**Path:** \(file)\n"
        description += "**Contents:** \(shown(record, "Redacted"))\n"
        if let structured = record["StructuredData"], structured.isTruthy {
            description += "**Structured Data:**\n\(walk(structured, depth: 1))\n"
        }
        if let extra = record["ExtraData"], extra.isTruthy {
            description += "**Extra Data:**\n\(walk(extra, depth: 1))\n"
        }

        var severity = Severity.critical
        if !verified {
            if detector == "PrivateKey" {
                severity = .high
            } else if detector == "Generic Secret" {
                severity = .medium
            }
        }
        var finding = base(title: "Hard Coded \(detector) secret in: \(file)", severity: severity, description: description, file: file)
        finding.mitigation = mitigation
        if !lineValue.isNull {
            guard let line = lineValue.looseInteger else {
                throw ParseError(.invalidValue, "\"line\" must be a number.", position: position)
            }
            finding.line = line
        }
        finding.verified = verified
        let key = [file, detector, PythonLiteral.str(lineValue), commit, shown(record, "Raw") + shown(record, "RawV2")].joined(separator: "\u{0}")
        return (key, finding)
    }

    private static func base(title: String, severity: Severity, description: String, file: String) -> Finding {
        var finding = Finding(title: title, severity: severity, description: description)
        finding.cwe = 798
        finding.impact = TrufflehogParser.impact
        finding.references = "N/A"
        finding.filePath = file
        finding.staticFinding = true
        finding.dynamicFinding = false
        finding.numberOfOccurrences = 1
        return finding
    }

    /// DefectDojo's `walk_dict`: `<tabs>key: value` lines, nested objects one tab deeper.
    static func walk(_ value: JSONValue, depth: Int) -> String {
        guard value.isTruthy, let object = value.objectValue else { return "" }
        let tabs = String(repeating: "\t", count: depth)
        var text = ""
        for member in object.members {
            if case .object = member.value {
                text += walk(member.value, depth: depth + 1)
                continue
            }
            text += "\(tabs)\(member.key): \(PythonLiteral.str(member.value))\n"
        }
        return text
    }
}
