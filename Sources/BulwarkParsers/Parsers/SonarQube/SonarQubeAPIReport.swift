import BulwarkCore

/// Maps the SonarQube Web API exports (`api/issues/search` with `issues` and `components`,
/// `api/hotspots/search` with `hotspots`) the way DefectDojo does: one finding per bug,
/// vulnerability, code smell and hotspot, titled `<rule>_<key>`, described field by field.
enum SonarQubeAPIReport {
    static func findings(_ json: JSONObject, path: String) throws(ParseError) -> [Finding] {
        let components = json["components"]?.arrayValue ?? []
        var findings: [Finding] = []
        for (index, value) in (json["issues"]?.arrayValue ?? []).enumerated() {
            guard let issue = value.objectValue else {
                throw ParseError(.invalidValue, "An issue is not an object.", position: .jsonPath("\(path).issues[\(index)]"))
            }
            if let finding = try issueFinding(issue, components: components, position: .jsonPath("\(path).issues[\(index)]")) {
                findings.append(finding)
            }
        }
        for (index, value) in (json["hotspots"]?.arrayValue ?? []).enumerated() {
            guard let hotspot = value.objectValue else {
                throw ParseError(.invalidValue, "A hotspot is not an object.", position: .jsonPath("\(path).hotspots[\(index)]"))
            }
            findings.append(try hotspotFinding(hotspot, components: components, position: .jsonPath("\(path).hotspots[\(index)]")))
        }
        return findings
    }

    private static func text(_ object: JSONObject, _ key: String) -> String {
        object[key]?.pythonString ?? "None"
    }

    /// `**textRange:** startLine: 1, endLine: 2, …` when the range is not empty.
    private static func textRange(_ object: JSONObject) -> String {
        guard let range = object["textRange"]?.objectValue, !range.isEmpty else { return "" }
        return "**textRange:** " + range.members.map { "\($0.key): \($0.value.pythonString)" }.joined(separator: ", ") + "\n"
    }

    private static func list(_ object: JSONObject, _ key: String, label: String, repr: Bool = false) -> String {
        guard let value = object[key], let items = value.arrayValue, !items.isEmpty else { return "" }
        let text = repr ? value.pythonString : items.map(\.pythonString).joined(separator: ", ")
        return "**\(label):** " + text + "\n"
    }

    private static func issueFinding(
        _ issue: JSONObject, components: [JSONValue], position: ParseError.Position
    ) throws(ParseError) -> Finding? {
        let type = issue["type"]?.stringValue
        guard type == "BUG" || type == "VULNERABILITY" || type == "CODE_SMELL" else { return nil }
        let message = text(issue, "message")
        let component = issue["component"]?.stringValue
        var description = ""
        if type != "CODE_SMELL" { description += "**key:** \(text(issue, "key"))\n" }
        description += "**rule:** \(text(issue, "rule"))\n**component:** \(text(issue, "component"))\n"
        description += "**project:** \(text(issue, "project"))\n**line:** \(text(issue, "line"))\n"
        if type != "VULNERABILITY" { description += textRange(issue) }
        description += list(issue, "flows", label: "flows", repr: true)
        description += "**status:** \(text(issue, "status"))\n**message:** \(message)\n"
        switch type {
        case "BUG":
            description += list(issue, "tags", label: "tags")
            description += "**type:** \(text(issue, "type"))\n**scope:** \(text(issue, "scope"))\n"
        case "VULNERABILITY":
            description += "**scope:** \(text(issue, "scope"))\n**quickFixAvailable:** \(text(issue, "quickFixAvailable"))\n"
            description += list(issue, "codeVariants", label: "codeVariants")
            description += list(issue, "tags", label: "tags")
        default:
            description += list(issue, "tags", label: "tags")
            description += "**scope:** \(text(issue, "scope"))\n**quickFixAvailable:** \(text(issue, "quickFixAvailable"))\n"
            description += list(issue, "codeVariants", label: "codeVariants")
        }
        description += componentDescription(components, key: component)
        let title = "\(text(issue, "rule"))_\(text(issue, "key"))"
        var finding = Finding(
            title: title, severity: try severity(issue["severity"]?.stringValue, position: position), description: description)
        finding.staticFinding = true
        finding.dynamicFinding = false
        finding.line = issue["line"]?.looseInteger
        finding.date = date(issue["creationDate"]?.stringValue)
        switch type {
        case "BUG":
            finding.tags = ["bug"]
        case "VULNERABILITY":
            finding.filePath = component
            finding.tags = ["vulnerability"]
            SonarQubeMessageFacts.apply(to: &finding, message: message)
        default:
            finding.filePath = component
            finding.tags = ["code_smell"]
        }
        return finding
    }

    private static func hotspotFinding(
        _ hotspot: JSONObject, components: [JSONValue], position: ParseError.Position
    ) throws(ParseError) -> Finding {
        let component = hotspot["component"]?.stringValue
        var description = "**key:** \(text(hotspot, "key"))\n**component:** \(text(hotspot, "component"))\n"
        description += "**project:** \(text(hotspot, "project"))\n**securityCategory:** \(text(hotspot, "securityCategory"))\n"
        description += "**status:** \(text(hotspot, "status"))\n**line:** \(text(hotspot, "line"))\n"
        description += "**message:** \(text(hotspot, "message"))\n"
        description += textRange(hotspot)
        description += list(hotspot, "flows", label: "flows", repr: true)
        description += "**ruleKey:** \(text(hotspot, "ruleKey"))\n"
        description += list(hotspot, "messageFormattings", label: "messageFormattings")
        description += componentDescription(components, key: component)
        var finding = Finding(
            title: "\(text(hotspot, "ruleKey"))_\(text(hotspot, "key"))",
            severity: try severity(hotspot["vulnerabilityProbability"]?.stringValue, position: position),
            description: description)
        finding.staticFinding = true
        finding.dynamicFinding = false
        finding.filePath = component
        finding.line = hotspot["line"]?.looseInteger
        finding.date = date(hotspot["creationDate"]?.stringValue)
        finding.tags = ["hotspot"]
        return finding
    }

    /// Every member of the component whose key is the issue's, one `**Componentkey k**: v` line each.
    private static func componentDescription(_ components: [JSONValue], key: String?) -> String {
        var description = ""
        for case .object(let component) in components where component["key"]?.stringValue == key {
            for (name, value) in component.members {
                description += "**Componentkey \(name)**: \(value.pythonString)\n"
            }
        }
        return description
    }

    /// BLOCKER → High, MAJOR → Medium, MINOR → Low, otherwise the value capitalised.
    private static func severity(_ raw: String?, position: ParseError.Position) throws(ParseError) -> Severity {
        guard let raw else { throw ParseError.unsupportedSeverity("None", position: position) }
        switch raw {
        case "BLOCKER": return .high
        case "MAJOR": return .medium
        case "MINOR": return .low
        default:
            let lowered = raw.lowercased()
            let capitalized = lowered.prefix(1).uppercased() + lowered.dropFirst()
            return try Severity.sanitizedOrThrow(capitalized, at: position)
        }
    }

    /// The calendar day of an ISO date-time such as `2023-10-16T15:05:35+0000` (as written).
    private static func date(_ raw: String?) -> CalendarDate? {
        guard let raw else { return nil }
        return (DateParsing.iso8601(raw) ?? DateParsing.flexible(raw))?.calendarDate
    }
}
