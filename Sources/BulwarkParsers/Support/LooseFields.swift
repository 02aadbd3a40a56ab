import BulwarkCore
import Foundation

/// Reads members of a JSON object with the coercions DefectDojo applies when it builds a model
/// from a report dictionary: numbers given as text are converted, unusable numbers are dropped
/// (the model default applies), booleans accept Django's spellings. Problems become
/// ``ParseError``s that carry the member's JSON path.
struct LooseFields {
    let object: JSONObject
    /// JSON path of the object, e.g. `$.findings[3]`.
    let path: String

    /// The JSON path of the object, or of one of its members (and an index inside it).
    func position(_ key: String? = nil, _ index: Int? = nil) -> ParseError.Position {
        var text = path
        if let key { text += JSONPath.member(key) }
        if let index { text += "[\(index)]" }
        return .jsonPath(text)
    }

    /// Python's `key in dict`.
    func contains(_ key: String) -> Bool { object.contains(key) }

    /// A text member; other scalars become their Python text. `nil` when absent or null.
    func string(_ key: String) throws(ParseError) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case .array?, .object?:
            throw ParseError(.invalidValue, "\"\(key)\" must be text.", position: position(key))
        case let value?: return value.pythonString
        }
    }

    /// A text member that must be present and not null.
    func requiredText(_ key: String) throws(ParseError) -> String {
        guard let text = try string(key) else {
            throw ParseError(.invalidValue, "\"\(key)\" must be text, not null.", position: position(key))
        }
        return text
    }

    /// An integer member, DefectDojo's `to_number(value, int)`: `12`, `12.7` (→ 12) and `"12"`
    /// are accepted; booleans, other text and non-finite numbers are dropped.
    /// - Parameters:
    ///   - nullDefault: The value for an explicit `null`.
    ///   - absentDefault: The value when the member is missing or dropped (the model default).
    func integer(_ key: String, nullDefault: Int?, absentDefault: Int?) -> Int? {
        switch object[key] {
        case nil: return absentDefault
        case .null?: return nullDefault
        case .integer(let number)?: return number
        case .number(let number)?:
            guard number.isFinite, let truncated = Int(exactly: number.rounded(.towardZero)) else { return absentDefault }
            return truncated
        case .string(let text)?: return LooseFields.pythonInt(text) ?? absentDefault
        default: return absentDefault
        }
    }

    /// A floating-point member (`to_number(value, float)`); `nil` when absent, null or dropped.
    func double(_ key: String) -> Double? {
        switch object[key] {
        case .integer(let number)?: return Double(number)
        case .number(let number)?: return number.isFinite ? number : nil
        case .string(let text)?:
            let trimmed = PythonText.strip(text)
            guard !trimmed.lowercased().hasPrefix("0x"), let number = Double(trimmed.replacingOccurrences(of: "_", with: "")),
                  number.isFinite else { return nil }
            return number
        default: return nil
        }
    }

    /// A boolean member: JSON booleans, `0`/`1`, and Django's `t`/`True`/`1`/`f`/`False`/`0`
    /// (plus `true`/`false`). `nil` when absent or null.
    func bool(_ key: String) throws(ParseError) -> Bool? {
        switch object[key] {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        case .integer(let number)? where number == 0 || number == 1: return number == 1
        case .string(let text)?:
            switch text {
            case "t", "True", "true", "1": return true
            case "f", "False", "false", "0": return false
            default: break
            }
        default: break
        }
        throw ParseError(.invalidValue, "\"\(key)\" must be true or false.", position: position(key))
    }

    /// A date member read like `dateutil.parser.parse(text).date()`; `nil` when absent or null.
    func date(_ key: String) throws(ParseError) -> CalendarDate? {
        guard let parsed = try dateTime(key) else { return nil }
        guard let day = parsed.calendarDate else {
            throw ParseError(.invalidValue, "\"\(key)\" is not a date.", position: position(key))
        }
        return day
    }

    /// A date-time member read like `dateutil.parser.parse(text)`; `nil` when absent or null.
    func dateTime(_ key: String) throws(ParseError) -> ParsedDateTime? {
        guard let text = try string(key) else { return nil }
        guard let parsed = DateParsing.flexible(text) else {
            throw ParseError(.invalidValue, "\"\(key)\" value \"\(text)\" is not a date.", position: position(key))
        }
        return parsed
    }

    /// An array member; `nil` when absent or null.
    func list(_ key: String) throws(ParseError) -> [JSONValue]? {
        switch object[key] {
        case nil, .null?: return nil
        case .array(let items)?: return items
        default: throw ParseError(.invalidValue, "\"\(key)\" must be a list.", position: position(key))
        }
    }

    /// A list of texts, or a single text treated as a one-element list.
    func stringList(_ key: String) throws(ParseError) -> [String]? {
        if case .string(let single)? = object[key] { return [single] }
        return try list(key)?.map(\.pythonString)
    }

    /// Python's `int(text)` for decimal text: surrounding whitespace, a sign and `_` between
    /// digits are allowed.
    static func pythonInt(_ text: String) -> Int? {
        // Plain (optionally signed) digits, the common case, need no clean-up.
        if let plain = Int(text) { return plain }
        let trimmed = PythonText.strip(text)
        guard !trimmed.hasPrefix("_"), !trimmed.hasSuffix("_"), !trimmed.contains("__") else { return nil }
        return Int(trimmed.replacingOccurrences(of: "_", with: ""))
    }
}

/// JSON path rendering.
enum JSONPath {
    /// `.name`, or `["odd name"]` when the name is not a plain identifier.
    static func member(_ key: String) -> String {
        let plain = !key.isEmpty && key.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" || $0 == "-" || $0 == "$"
        }
        return plain ? "." + key : "[\"\(key)\"]"
    }
}
