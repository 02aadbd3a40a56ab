import BulwarkCore
import Foundation

/// The npm advisory object shared by `npm audit` (up to v6) and `yarn audit` (v1) reports, and
/// DefectDojo's reading of it (`get_npm_cwe`, `get_npm_cwes`, the path list and description).
struct NpmAdvisory {
    let fields: LooseFields

    init(_ object: JSONObject, path: String) {
        fields = LooseFields(object: object, path: path)
    }

    /// npm's severity words: low, moderate, high, critical; anything else is Info.
    static func severity(_ word: String?) -> Severity {
        switch word {
        case "low": .low
        case "moderate": .medium
        case "high": .high
        case "critical": .critical
        default: .info
        }
    }

    /// A member that must be present and hold text (DefectDojo concatenates it).
    func text(_ key: String) throws(ParseError) -> String {
        guard let value = fields.object[key] else {
            throw ParseError(.missingField, "Required field \"\(key)\" is missing.", position: fields.position())
        }
        guard let text = value.stringValue else {
            throw ParseError(.invalidValue, "\"\(key)\" must be text.", position: fields.position(key))
        }
        return text
    }

    /// Python's `str()` of a member that must be present.
    func display(_ key: String) throws(ParseError) -> String {
        guard let value = fields.object[key] else {
            throw ParseError(.missingField, "Required field \"\(key)\" is missing.", position: fields.position())
        }
        return PythonLiteral.str(value)
    }

    /// The `findings` list: each entry's version and dependency paths.
    func occurrences() throws(ParseError) -> [(version: JSONValue, paths: [String])] {
        guard let list = try fields.list("findings") else {
            throw ParseError(.missingField, "Required field \"findings\" is missing.", position: fields.position())
        }
        var result: [(version: JSONValue, paths: [String])] = []
        for (index, item) in list.enumerated() {
            let position = fields.position("findings", index)
            guard let object = item.objectValue, let version = object["version"] else {
                throw ParseError(.missingField, "Each finding needs a \"version\".", position: position)
            }
            guard let paths = object["paths"]?.arrayValue else {
                throw ParseError(.missingField, "Each finding needs a \"paths\" list.", position: position)
            }
            result.append((version, paths.map(PythonLiteral.str)))
        }
        return result
    }

    /// The "Vulnerable Paths" text: one `\n  - <version>:<paths>` line per finding, at most 25
    /// paths each.
    static func pathList(_ occurrences: [(version: JSONValue, paths: [String])]) -> String {
        var text = ""
        for occurrence in occurrences {
            text += "\n  - " + PythonLiteral.str(occurrence.version) + ":" + occurrence.paths.prefix(25).joined(separator: ",")
            if occurrence.paths.count > 25 { text += "\n  - ..... (list of paths truncated after 25 paths)" }
        }
        return text
    }

    /// The description DefectDojo writes for an advisory.
    func description(paths: String) throws(ParseError) -> String {
        try text("url") + "\n" + text("overview")
            + "\n Vulnerable Module: " + text("module_name")
            + "\n Vulnerable Versions: " + display("vulnerable_versions")
            + "\n Patched Version: " + display("patched_versions")
            + "\n Vulnerable Paths: " + paths
            + "\n CWE: " + display("cwe")
            + "\n Access: " + display("access")
    }

    /// `get_npm_cwes`: every CWE of `cwe` given as a list, `"CWE-n"` text, or a JSON list in text.
    func cwes() -> [Int] {
        guard let node = fields.object["cwe"], node.isTruthy else { return [] }
        if let items = node.arrayValue { return Self.numbers(items) }
        guard let text = node.stringValue else { return [] }
        if text.hasPrefix("CWE-") {
            return LooseFields.pythonInt(String(text.dropFirst(4))).map { [$0] } ?? []
        }
        if text.hasPrefix("["), let items = (try? OrderedJSONParser.parse(Data(text.utf8)))?.arrayValue {
            return Self.numbers(items)
        }
        return []
    }

    /// `get_npm_cwe`: the first CWE, or 1035 (vulnerable third-party component) when none.
    func primaryCWE() -> Int {
        cwes().first ?? 1035
    }

    private static func numbers(_ items: [JSONValue]) -> [Int] {
        items.compactMap { item in
            guard item.isTruthy, let text = item.stringValue else { return nil }
            return LooseFields.pythonInt(String(text.dropFirst(4)))
        }
    }

    /// The `cves` list as text ids.
    func cves() throws(ParseError) -> [String] {
        guard let list = try fields.list("cves") else {
            throw ParseError(.missingField, "Required field \"cves\" is missing.", position: fields.position())
        }
        return list.map(PythonLiteral.str)
    }
}

/// Python's `str()` and `repr()` of JSON values, exact for strings (quote choice and escapes),
/// as DefectDojo's descriptions print whole lists and dictionaries.
enum PythonLiteral {
    /// `str(value)`: text as is, everything else as `repr`.
    static func str(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return repr(value)
    }

    /// `repr(value)`.
    static func repr(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return quote(text)
        case .array(let items): return "[" + items.map(repr).joined(separator: ", ") + "]"
        case .object(let object):
            return "{" + object.members.map { quote($0.key) + ": " + repr($0.value) }.joined(separator: ", ") + "}"
        default: return value.pythonString
        }
    }

    /// Python's string repr: single quotes unless the text has one and no double quote.
    static func quote(_ text: String) -> String {
        let useDouble = text.contains("'") && !text.contains("\"")
        let delimiter: Character = useDouble ? "\"" : "'"
        var result = String(delimiter)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if Character(scalar) == delimiter {
                    result += "\\" + String(delimiter)
                } else if isPrintable(scalar) {
                    result.unicodeScalars.append(scalar)
                } else if scalar.value < 0x100 {
                    result += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value < 0x10000 {
                    result += "\\u" + hex(scalar.value, width: 4)
                } else {
                    result += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        result.append(delimiter)
        return result
    }

    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
