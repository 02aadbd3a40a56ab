import BulwarkCore
import Foundation

/// The pieces of the SARIF → finding mapping, each mirroring a DefectDojo helper of the same
/// purpose (`get_rules`, `get_finding_title`, `get_severity`, `get_rule_cwes`, …).
enum SarifMapping {
    // MARK: Values

    /// A string member, or Python's `str()` of another scalar; `nil` for null.
    static func optionalString(_ value: JSONValue) -> String? {
        value.isNull ? nil : value.pythonString
    }

    /// An integer member (`15`, `15.0` or `"15"`).
    static func integer(_ value: JSONValue) -> Int? { value.looseInteger }

    // MARK: Rules and dates

    /// `get_rules`: the driver's rules, or the extensions' rules when the driver has none,
    /// keyed by id (a later duplicate wins).
    static func rules(of run: JSONObject) -> [String: JSONObject] {
        var list = run["tool"]?["driver"]?["rules"]?.arrayValue ?? []
        if list.isEmpty {
            for toolExtension in run["tool"]?["extensions"]?.arrayValue ?? [] {
                list.append(contentsOf: toolExtension["rules"]?.arrayValue ?? [])
            }
        }
        var rules: [String: JSONObject] = [:]
        for item in list {
            guard let rule = item.objectValue, let id = rule["id"].flatMap(optionalString) else { continue }
            rules[id] = rule
        }
        return rules
    }

    /// The UTC day of the last invocation's `endTimeUtc`, if any.
    static func lastInvocationDate(of run: JSONObject, path: String) throws(ParseError) -> CalendarDate? {
        guard let invocations = run["invocations"]?.arrayValue, let last = invocations.last,
              let raw = last["endTimeUtc"], !raw.isNull else { return nil }
        guard let text = raw.stringValue, let parsed = DateParsing.iso8601(text), let day = parsed.utcCalendarDate else {
            throw ParseError(
                .invalidValue, "endTimeUtc \"\(raw.pythonString)\" is not an ISO 8601 date-time.",
                position: .jsonPath("\(path).invocations[\(invocations.count - 1)].endTimeUtc"))
        }
        return day
    }

    // MARK: Text

    /// `get_message_from_multiformatMessageString`: a message's text, resolving rule
    /// `messageStrings` and `{0}`…`{5}` arguments. `nil` when there is no text.
    static func message(_ data: JSONValue, rule: JSONObject?) -> String? {
        guard let data = data.objectValue else { return nil }
        if let rule, let id = data["id"] {
            guard var text = rule["messageStrings"]?[id.pythonString]?["text"]?.stringValue else { return nil }
            let arguments = data["arguments"]?.arrayValue ?? []
            for index in 0..<6 {
                let placeholder = "{\(index)}"
                guard text.contains(placeholder) else { return text }
                let argument = index < arguments.count ? arguments[index].pythonString : ""
                text = text.replacingOccurrences(of: placeholder, with: argument)
            }
            // DefectDojo's loop falls through to None when all six placeholders were present.
            return nil
        }
        return data["text"].flatMap { $0.isNull ? nil : $0.pythonString }
    }

    /// `get_finding_title`.
    static func title(result: JSONObject, rule: JSONObject?, path: String) throws(ParseError) -> String {
        var title: String?
        if let message = result["message"] { title = self.message(message, rule: rule) }
        if title == nil, let rule {
            if let short = rule["shortDescription"] {
                title = message(short, rule: rule)
            } else if let full = rule["fullDescription"] {
                title = message(full, rule: rule)
            } else if let name = rule["name"] {
                title = name.pythonString
            } else if let id = rule["id"] {
                title = id.pythonString
            }
        }
        guard let title else {
            throw ParseError(.missingField, "No information found to create a title.", position: .jsonPath(path))
        }
        return PythonTextWrapper.shorten(title, width: 150)
    }

    /// `get_finding_description`: Markdown with the message, snippet, rule texts and code flow.
    static func description(result: JSONObject, rule: JSONObject?, location: JSONObject?) -> String {
        var description = ""
        var message: String? = ""
        if let messageValue = result["message"] {
            message = self.message(messageValue, rule: rule)
            description += "**Result message:** \(message ?? "None")\n"
        }
        if let snippet = snippet(of: location) {
            description += "**Snippet:**\n```\n\(snippet)\n```\n"
        }
        if let rule {
            if let name = rule["name"] {
                description += "**Rule name:** \(name.pythonString)\n"
            }
            var shortDescription: String? = ""
            if let short = rule["shortDescription"] {
                shortDescription = self.message(short, rule: rule)
                if shortDescription != message {
                    description += "**Rule short description:** \(shortDescription ?? "None")\n"
                }
            }
            if let full = rule["fullDescription"] {
                let fullDescription = self.message(full, rule: rule)
                if fullDescription != message, fullDescription != shortDescription {
                    description += "**Rule full description:** \(fullDescription ?? "None")\n"
                }
            }
        }
        if let codeFlows = result["codeFlows"]?.arrayValue, !codeFlows.isEmpty {
            description += codeFlowDescription(codeFlows)
        }
        if description.hasSuffix("\n") { description.removeLast() }
        return description
    }

    /// `get_snippet`: `region.snippet.text`, else `contextRegion.snippet.text`.
    static func snippet(of location: JSONObject?) -> String? {
        guard let physical = location?["physicalLocation"] else { return nil }
        if let text = physical["region"]?["snippet"]?["text"], !text.isNull { return text.pythonString }
        if let text = physical["contextRegion"]?["snippet"]?["text"], !text.isNull { return text.pythonString }
        return nil
    }

    /// `get_codeFlowsDescription`. Like DefectDojo, each thread flow with locations restarts
    /// the text, so only the last one remains.
    static func codeFlowDescription(_ codeFlows: [JSONValue]) -> String {
        var description = ""
        for codeFlow in codeFlows {
            for threadFlow in codeFlow["threadFlows"]?.arrayValue ?? [] {
                guard let locations = threadFlow["locations"] else { continue }
                description = "**Code flow:**\n"
                for (offset, step) in (locations.arrayValue ?? []).enumerated() {
                    let physical = step["location"]?["physicalLocation"]
                    let region = physical?["region"]?.objectValue ?? JSONObject()
                    let uri = physical?["artifactLocation"]?["uri"].map(\.pythonString) ?? "None"
                    let startLine = region["startLine"].map { ":L\($0.pythonString)" } ?? ""
                    let startColumn = region["startColumn"].map { ":C\($0.pythonString)" } ?? ""
                    let snippet = region["snippet"].map { "\t-\t\($0["text"].map(\.pythonString) ?? "None")" } ?? ""
                    description += "\(offset + 1). \(uri)\(startLine)\(startColumn)\(snippet)\n"
                    if let messageField = step["location"]?["message"] {
                        let text = messageField["markdown"] ?? messageField["text"]
                        description += "\t\(text.map(\.pythonString) ?? "")\n"
                    }
                }
            }
        }
        return description
    }

    /// `get_references`: `helpUri`, else a help text that starts with `http`.
    static func references(rule: JSONObject?) -> String? {
        guard let rule else { return nil }
        if let helpURI = rule["helpUri"] { return optionalString(helpURI) }
        if let help = rule["help"], let text = message(help, rule: rule), text.hasPrefix("http") { return text }
        return nil
    }

    // MARK: Severity

    /// `get_severity`: the result level, else the rule's default level.
    static func severity(result: JSONObject, rule: JSONObject?) -> Severity {
        var level = result["level"]
        if level == nil || level?.isNull == true {
            level = rule?["defaultConfiguration"]?["level"]
        }
        switch level?.stringValue {
        case "note": return .info
        case "warning": return .medium
        case "error": return .high
        default: return .medium
        }
    }

    /// Rule `properties.security-severity`: a CVSS score (GitHub, Grype) or a severity word.
    static func applySecuritySeverity(_ value: JSONValue, to finding: inout Finding) {
        let score: Double?
        switch value {
        case .integer(let number): score = Double(number)
        case .number(let number): score = number
        case .string(let text): score = Double(text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: ""))
        default: return
        }
        if let score {
            finding.cvssV3Score = score
            finding.severity = cvssSeverity(score)
        } else if let text = value.stringValue {
            let word = text.lowercased().prefix(1).uppercased() + text.lowercased().dropFirst()
            finding.severity = Severity(rawValue: word) ?? .info
        }
    }

    /// `cvss_to_severity`.
    static func cvssSeverity(_ score: Double) -> Severity {
        if score >= 9 { return .critical }
        if score >= 7 { return .high }
        if score >= 4 { return .medium }
        if score > 0 { return .low }
        return .info
    }

    // MARK: CWE, ids, tags

    /// Applies rule, result-property and taxa CWEs; the last CWE of the last source wins.
    static func applyCWEs(result: JSONObject, rule: JSONObject?, to finding: inout Finding) {
        var all: [Int] = []
        let sources: [[Int]] = [rule.map(ruleCWEs) ?? [], resultPropertyCWEs(result), taxaCWEs(result)]
        for source in sources where !source.isEmpty {
            all.append(contentsOf: source)
            finding.cwe = source.last
        }
        var seen = Set<Int>()
        finding.cwes = all.filter { seen.insert($0).inserted }
    }

    /// `search_cwe`: the number of the first `CWE-<n>` (any case) in a text.
    static func searchCWE(_ text: String) -> Int? {
        let scalars = Array(text.lowercased().unicodeScalars)
        var index = 0
        while index + 4 < scalars.count {
            if scalars[index] == "c", scalars[index + 1] == "w", scalars[index + 2] == "e", scalars[index + 3] == "-" {
                var end = index + 4
                while end < scalars.count, ("0"..."9").contains(scalars[end]) { end += 1 }
                if end > index + 4, let number = Int(String(String.UnicodeScalarView(scalars[(index + 4)..<end]))) {
                    return number
                }
            }
            index += 1
        }
        return nil
    }

    /// `get_rule_cwes`: relationships, else `properties.cwe`, else CWE tags.
    static func ruleCWEs(_ rule: JSONObject) -> [Int] {
        if let relationships = rule["relationships"]?.arrayValue {
            return relationships.compactMap { $0["target"]?["id"].flatMap { searchCWE($0.pythonString) } }
        }
        if let properties = rule["properties"]?.objectValue, let value = properties["cwe"] {
            let values = value.arrayValue ?? [value]
            return values.compactMap { searchCWE($0.pythonString) }
        }
        return propertyTags(of: rule).compactMap(searchCWE)
    }

    /// `get_result_cwes_properties` (e.g. njsscan).
    static func resultPropertyCWEs(_ result: JSONObject) -> [Int] {
        guard let properties = result["properties"]?.objectValue, let value = properties["cwe"] else { return [] }
        return (value.arrayValue ?? [value]).compactMap { searchCWE($0.pythonString) }
    }

    /// `get_result_cwes_taxa`: taxa whose tool component is named `CWE`.
    static func taxaCWEs(_ result: JSONObject) -> [Int] {
        guard let taxa = result["taxa"]?.arrayValue else { return [] }
        var cwes: [Int] = []
        for taxon in taxa {
            guard let taxon = taxon.objectValue, taxon["toolComponent"]?["name"]?.stringValue == "CWE",
                  let id = taxon["id"], id.isTruthy else { continue }
            if let number = integer(id) {
                cwes.append(number)
            } else if let number = searchCWE("CWE-\(id.pythonString)") {
                cwes.append(number)
            }
        }
        return cwes
    }

    /// `cve_try`: the first `CVE-<year>-<n>` in a rule id, upper-cased.
    static func firstCVE(in text: String) -> String? {
        let scalars = Array(text.uppercased().unicodeScalars)
        var index = 0
        while index + 4 < scalars.count {
            if scalars[index] == "C", scalars[index + 1] == "V", scalars[index + 2] == "E", scalars[index + 3] == "-" {
                var end = index + 4
                while end < scalars.count, ("0"..."9").contains(scalars[end]) { end += 1 }
                if end > index + 4, end < scalars.count, scalars[end] == "-" {
                    var tail = end + 1
                    while tail < scalars.count, ("0"..."9").contains(scalars[tail]) { tail += 1 }
                    if tail > end + 1 { return String(String.UnicodeScalarView(scalars[index..<tail])) }
                }
            }
            index += 1
        }
        return nil
    }

    /// `properties.tags` of a rule or result.
    static func propertyTags(of object: JSONObject?) -> [String] {
        guard let tags = object?["properties"]?["tags"]?.arrayValue else { return [] }
        return tags.map(\.pythonString)
    }

    /// Rule and result tags, de-duplicated, without the `external/cwe/` prefix. (DefectDojo goes
    /// through a Python `set`, whose order is arbitrary; first-seen order is kept here.)
    static func tags(rule: JSONObject?, result: JSONObject) -> [String] {
        var seen = Set<String>()
        var tags: [String] = []
        for tag in propertyTags(of: rule) + propertyTags(of: result) {
            let trimmed = tag.hasPrefix("external/cwe/") ? String(tag.dropFirst("external/cwe/".count)) : tag
            if seen.insert(trimmed).inserted { tags.append(trimmed) }
        }
        return tags
    }

    // MARK: Fingerprints

    /// `unique_id_from_tool` from `fingerprints` (the first method, newest version) or from
    /// `partialFingerprints` (`method:value` pairs sorted by method, joined with `|`).
    static func uniqueID(of result: JSONObject) -> String? {
        if let fingerprints = result["fingerprints"], fingerprints.isTruthy, let object = fingerprints.objectValue {
            return fingerprintHashes(object).first?.value
        }
        if let partial = result["partialFingerprints"], partial.isTruthy, let object = partial.objectValue {
            let hashes = fingerprintHashes(object)
            return hashes.map(\.method).sorted(by: pythonOrder).map { method in
                "\(method):\(hashes.first { $0.method == method }?.value ?? "")"
            }.joined(separator: "|")
        }
        return nil
    }

    /// `get_fingerprints_hashes`: per method (`name/vN` → `name`), the value of the highest
    /// version, in order of first appearance.
    static func fingerprintHashes(_ values: JSONObject) -> [(method: String, version: Int, value: String)] {
        var hashes: [(method: String, version: Int, value: String)] = []
        for (key, rawValue) in values.members {
            var method = key
            var version = 0
            if key.contains("/") {
                let parts = key.split(separator: "/", omittingEmptySubsequences: false)
                method = parts.count >= 2 ? String(parts[parts.count - 2]) : key
                version = Int(parts[parts.count - 1].replacingOccurrences(of: "v", with: "")) ?? 0
            }
            var value = rawValue.pythonString
            if let wrapped = rawValue.objectValue { value = wrapped["value"]?.pythonString ?? "" }
            if let index = hashes.firstIndex(where: { $0.method == method }) {
                if hashes[index].version < version { hashes[index] = (method, version, value) }
            } else {
                hashes.append((method, version, value))
            }
        }
        return hashes
    }

    private static func pythonOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.unicodeScalars.lexicographicallyPrecedes(rhs.unicodeScalars) { $0.value < $1.value }
    }
}
