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
            return PythonLiteral.int(String(text.dropFirst(4))).map { [$0] } ?? []
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
            return PythonLiteral.int(String(text.dropFirst(4)))
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
