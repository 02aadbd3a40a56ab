import BulwarkCore
import Foundation

/// Semgrep results and supply-chain vulnerabilities mapped to findings, with DefectDojo's
/// duplicate key (title + file path + line).
enum SemgrepMapping {
    static func resultFinding(_ item: JSONObject, path: String) throws(ParseError) -> (key: String, finding: Finding) {
        let fields = LooseFields(object: item, path: path)
        guard let checkID = item["check_id"]?.stringValue else {
            throw ParseError(.missingField, "\"check_id\" must be present and text.", position: fields.position("check_id"))
        }
        guard let extra = item["extra"]?.objectValue else {
            throw ParseError(.missingField, "Required field \"extra\" is missing.", position: fields.position())
        }
        let extraPath = path + ".extra"
        let filePath = try requiredText(item, "path", at: path)
        let lineValue = try required(item["start"]?["line"], "start.line", at: path)
        var finding = Finding(
            title: checkID, severity: try severity(extra["severity"], at: extraPath + ".severity"),
            description: try description(extra, at: extraPath))
        finding.filePath = filePath
        finding.line = try integer(lineValue, at: path + ".start.line")
        finding.staticFinding = true
        finding.dynamicFinding = false
        finding.vulnIDFromTool = checkID
        finding.numberOfOccurrences = 1
        finding.uniqueIDFromTool = fingerprint(extra)
        if let metadata = extra["metadata"]?.objectValue {
            if let cwe = metadata["cwe"] { try applyCWEs(cwe, to: &finding, at: extraPath + ".metadata.cwe") }
            if let references = metadata["references"]?.arrayValue {
                finding.references = references.map(PythonLiteral.str).joined(separator: "\n")
            }
        } else {
            throw ParseError(.missingField, "Required field \"metadata\" is missing.", position: .jsonPath(extraPath))
        }
        if let fix = extra["fix"] {
            finding.mitigation = fix.isNull ? nil : PythonLiteral.str(fix)
        } else if let regex = extra["fix_regex"] {
            finding.mitigation = ["**You can automaticaly apply this regex:**", "\n```\n", PythonJSON.dumps(regex), "\n```\n"].joined(separator: "\n")
        }
        return (checkID + filePath + PythonLiteral.str(lineValue), finding)
    }

    static func supplyChainFinding(_ item: JSONObject, path: String) throws(ParseError) -> (key: String, finding: Finding) {
        guard let advisory = item["advisory"]?.objectValue else {
            throw ParseError(.missingField, "Required field \"advisory\" is missing.", position: .jsonPath(path))
        }
        guard let location = item["dependencyFileLocation"]?.objectValue else {
            throw ParseError(.missingField, "Required field \"dependencyFileLocation\" is missing.", position: .jsonPath(path))
        }
        let locationPath = path + ".dependencyFileLocation"
        guard let title = item["title"]?.stringValue else {
            throw ParseError(.missingField, "\"title\" must be present and text.", position: .jsonPath(path))
        }
        let filePath = try requiredText(location, "path", at: locationPath)
        let lineValue = try required(location["startLine"], "startLine", at: locationPath)
        var finding = Finding(
            title: title, severity: try severity(advisory["severity"], at: path + ".advisory.severity"),
            description: advisory["description"].flatMap { $0.isNull ? nil : PythonLiteral.str($0) } ?? "")
        finding.filePath = filePath
        finding.line = try integer(lineValue, at: locationPath + ".startLine")
        finding.staticFinding = true
        finding.dynamicFinding = false
        finding.vulnIDFromTool = PythonLiteral.str(try required(item["repositoryId"], "repositoryId", at: path))
        finding.numberOfOccurrences = 1
        if let extra = item["extra"]?.objectValue { finding.uniqueIDFromTool = fingerprint(extra) }
        guard let references = advisory["references"]?.objectValue else {
            throw ParseError(.missingField, "Required field \"references\" is missing.", position: .jsonPath(path + ".advisory"))
        }
        if let cwe = references["cweIds"] { try applyCWEs(cwe, to: &finding, at: path + ".advisory.references.cweIds") }
        return (title + filePath + PythonLiteral.str(lineValue), finding)
    }

    /// `**Result message:**` plus the snippet in a code block. A snippet with `<![` gets a space
    /// inserted and a caution line (DefectDojo issue 8435).
    static func description(_ extra: JSONObject, at path: String) throws(ParseError) -> String {
        guard let message = extra["message"] else {
            throw ParseError(.missingField, "Required field \"message\" is missing.", position: .jsonPath(path))
        }
        var text = "**Result message:** \(PythonLiteral.str(message))\n"
        guard let lines = extra["lines"], !lines.isNull else { return text }
        let snippet = PythonLiteral.str(lines)
        if snippet == "requires login" { return text }
        if snippet.contains("<![") {
            let spaced = snippet.replacingOccurrences(of: "<![", with: "<! [")
            text += "**Snippet:** ***Caution:*** Please remove the space between `!` and `[` to have the real value due to a workaround to circumvent [#8435](https://github.com/DefectDojo/django-DefectDojo/issues/8435).\n```\(spaced)```\n"
        } else {
            text += "**Snippet:**\n```\(snippet)```\n"
        }
        return text
    }

    static func severity(_ value: JSONValue?, at path: String) throws(ParseError) -> Severity {
        guard let text = value?.stringValue else {
            throw ParseError(.missingField, "The severity must be present and text.", position: .jsonPath(path))
        }
        switch text.uppercased() {
        case "CRITICAL": return .critical
        case "WARNING", "MEDIUM": return .medium
        case "ERROR", "HIGH": return .high
        case "LOW", "INFO": return .low
        default: throw ParseError(.unsupportedSeverity, "Unknown value for severity: \(text)", position: .jsonPath(path))
        }
    }

    private static func fingerprint(_ extra: JSONObject) -> String? {
        guard let value = extra["fingerprint"], value.isTruthy else { return nil }
        let text = PythonLiteral.str(value)
        return text == "requires login" ? nil : text
    }

    /// `int("CWE-79: Name".partition(":")[0].partition("-")[2])` for a text or each list entry.
    private static func applyCWEs(_ value: JSONValue, to finding: inout Finding, at path: String) throws(ParseError) {
        func number(_ item: JSONValue) throws(ParseError) -> Int {
            let head = PythonLiteral.str(item).split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let digits = head.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first ?? ""
            guard let number = LooseFields.pythonInt(String(digits)) else {
                throw ParseError(.invalidValue, "CWE \"\(PythonLiteral.str(item))\" has no number.", position: .jsonPath(path))
            }
            return number
        }
        if let items = value.arrayValue {
            guard let first = items.first else {
                throw ParseError(.invalidValue, "The CWE list is empty.", position: .jsonPath(path))
            }
            finding.cwe = try number(first)
            var all: [Int] = []
            for item in items { all.append(try number(item)) }
            finding.cwes = all
        } else {
            finding.cwe = try number(value)
        }
    }

    private static func required(_ value: JSONValue?, _ name: String, at path: String) throws(ParseError) -> JSONValue {
        guard let value else {
            throw ParseError(.missingField, "Required field \"\(name)\" is missing.", position: .jsonPath(path))
        }
        return value
    }

    private static func requiredText(_ object: JSONObject, _ key: String, at path: String) throws(ParseError) -> String {
        guard let text = object[key]?.stringValue else {
            throw ParseError(.missingField, "\"\(key)\" must be present and text.", position: .jsonPath(path + JSONPath.member(key)))
        }
        return text
    }

    private static func integer(_ value: JSONValue, at path: String) throws(ParseError) -> Int? {
        if value.isNull { return nil }
        guard let number = value.looseInteger else {
            throw ParseError(.invalidValue, "Expected a line number.", position: .jsonPath(path))
        }
        return number
    }
}

/// Python's `json.dumps(value)` with default options: `", "` and `": "` separators, ASCII only.
enum PythonJSON {
    static func dumps(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .integer(let number): return String(number)
        case .number(let number):
            if number.isNaN { return "NaN" }
            if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
            return PythonFormat.float(number)
        case .string(let text): return quote(text)
        case .array(let items): return "[" + items.map(dumps).joined(separator: ", ") + "]"
        case .object(let object):
            return "{" + object.members.map { quote($0.key) + ": " + dumps($0.value) }.joined(separator: ", ") + "}"
        }
    }

    private static func quote(_ text: String) -> String {
        var result = "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: result += "\\\""
            case 0x5C: result += "\\\\"
            case 0x0A: result += "\\n"
            case 0x0D: result += "\\r"
            case 0x09: result += "\\t"
            case 0x08: result += "\\b"
            case 0x0C: result += "\\f"
            case 0x20..<0x7F: result.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default:
                let digits = String(unit, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            }
        }
        return result + "\""
    }
}
