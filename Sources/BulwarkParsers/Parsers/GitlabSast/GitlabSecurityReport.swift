import BulwarkCore

/// What GitLab's SAST and dependency scanning reports share (the GitLab security report schema),
/// read the way DefectDojo's two GitLab parsers read it.
enum GitlabSecurityReport {
    /// Findings keyed by `unique_id_from_tool`: a repeated id replaces the earlier finding in the
    /// earlier one's position, as a Python `dict` assignment does.
    struct FindingList {
        private(set) var findings: [Finding] = []
        private var positions: [String?: Int] = [:]

        mutating func add(_ finding: Finding) {
            if let position = positions[finding.uniqueIDFromTool] {
                findings[position] = finding
            } else {
                positions[finding.uniqueIDFromTool] = findings.count
                findings.append(finding)
            }
        }
    }

    /// `id`, or the deprecated `cve` fingerprint of older reports.
    static func uniqueID(of vulnerability: LooseFields) throws(ParseError) -> String? {
        let value = try vulnerability.requiredValue(vulnerability.contains("id") ? "id" : "cve")
        return value.isNull ? nil : value.pythonString
    }

    /// The first present of `name`, `message` and `description`, else the unique id.
    static func title(of vulnerability: LooseFields, uniqueID: String?) throws(ParseError) -> String {
        for key in ["name", "message", "description"] where vulnerability.contains(key) {
            return try vulnerability.requiredText(key)
        }
        guard let uniqueID else {
            throw ParseError(.missingField, "The vulnerability has no name, message, description or id.", position: vulnerability.position())
        }
        return uniqueID
    }

    /// The `identifiers` list as objects (empty when absent).
    static func identifiers(of vulnerability: LooseFields) throws(ParseError) -> [LooseFields] {
        guard vulnerability.contains("identifiers") else { return [] }
        var identifiers: [LooseFields] = []
        for (index, item) in try vulnerability.requiredArray("identifiers").enumerated() {
            identifiers.append(try vulnerability.element(item, of: "identifiers", at: index))
        }
        return identifiers
    }

    /// The references paragraph for an identifier that is neither a CWE nor a CVE.
    static func reference(from identifier: LooseFields, type: String, value: JSONValue) throws(ParseError) -> String {
        var text = "Identifier type: \(type)\n"
        text += "Name: \(try identifier.requiredValue("name").pythonString)\n"
        text += "Value: \(value.pythonString)\n"
        if let url = identifier.pythonText("url") { text += "URL: \(url)\n" }
        return text + "\n"
    }
}
