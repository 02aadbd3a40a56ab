import BulwarkCore
import Foundation

/// Reads members of a JSON object with the coercions DefectDojo applies when it builds a model
/// from a report dictionary: numbers given as text are converted, unusable numbers are dropped
/// (the model default applies), booleans accept Django's spellings. Problems become
/// ``ParseError``s that carry the member's JSON path.
struct LooseFields {
    let container: KeyedDecodingContainer<AnyCodingKey>
    let path: [any CodingKey]

    /// The JSON path of the object, or of one of its members (and an index inside it).
    func position(_ key: String? = nil, _ index: Int? = nil) -> ParseError.Position {
        var components = path
        if let key { components.append(AnyCodingKey(key)) }
        if let index { components.append(AnyCodingKey(intValue: index)!) }
        return .jsonPath(JSONErrors.path(components))
    }

    private func has(_ key: String) -> Bool { container.contains(AnyCodingKey(key)) }

    private func isNull(_ key: String) -> Bool {
        (try? container.decodeNil(forKey: AnyCodingKey(key))) ?? false
    }

    /// The member as any JSON value; `nil` when absent.
    func value(_ key: String) throws -> JSONValue? {
        guard has(key) else { return nil }
        return try container.decode(JSONValue.self, forKey: AnyCodingKey(key))
    }

    /// A text member; other scalars become their Python text. `nil` when absent or null.
    func string(_ key: String) throws -> String? {
        guard has(key), !isNull(key) else { return nil }
        if let text = try? container.decode(String.self, forKey: AnyCodingKey(key)) { return text }
        guard let value = try value(key) else { return nil }
        switch value {
        case .array, .object:
            throw ParseError(.invalidValue, "\"\(key)\" must be text.", position: position(key))
        default:
            return value.pythonString
        }
    }

    /// A text member that must be present and not null.
    func requiredText(_ key: String) throws -> String {
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
    func integer(_ key: String, nullDefault: Int?, absentDefault: Int?) throws -> Int? {
        guard has(key) else { return absentDefault }
        if isNull(key) { return nullDefault }
        if let number = try? container.decode(Int.self, forKey: AnyCodingKey(key)) { return number }
        switch try value(key) {
        case .number(let number)?:
            guard number.isFinite, let truncated = Int(exactly: number.rounded(.towardZero)) else { return absentDefault }
            return truncated
        case .string(let text)?:
            return LooseFields.pythonInt(text) ?? absentDefault
        default:
            return absentDefault
        }
    }

    /// A floating-point member (`to_number(value, float)`); `nil` when absent, null or dropped.
    func double(_ key: String) throws -> Double? {
        guard has(key), !isNull(key) else { return nil }
        switch try value(key) {
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
    func bool(_ key: String) throws -> Bool? {
        guard has(key), !isNull(key) else { return nil }
        if let flag = try? container.decode(Bool.self, forKey: AnyCodingKey(key)) { return flag }
        switch try value(key) {
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
    func date(_ key: String) throws -> CalendarDate? {
        guard let parsed = try dateTime(key) else { return nil }
        guard let day = parsed.calendarDate else {
            throw ParseError(.invalidValue, "\"\(key)\" is not a date.", position: position(key))
        }
        return day
    }

    /// A date-time member read like `dateutil.parser.parse(text)`; `nil` when absent or null.
    func dateTime(_ key: String) throws -> ParsedDateTime? {
        guard let text = try string(key) else { return nil }
        guard let parsed = DateParsing.flexible(text) else {
            throw ParseError(.invalidValue, "\"\(key)\" value \"\(text)\" is not a date.", position: position(key))
        }
        return parsed
    }

    /// An array member; `nil` when absent or null.
    func list(_ key: String) throws -> [JSONValue]? {
        guard has(key), !isNull(key) else { return nil }
        guard let items = try value(key)?.arrayValue else {
            throw ParseError(.invalidValue, "\"\(key)\" must be a list.", position: position(key))
        }
        return items
    }

    /// A list of texts, or a single text treated as a one-element list.
    func stringList(_ key: String) throws -> [String]? {
        guard has(key), !isNull(key) else { return nil }
        if let single = try? container.decode(String.self, forKey: AnyCodingKey(key)) { return [single] }
        return try list(key)?.map(\.pythonString)
    }

    /// Python's `int(text)` for decimal text: surrounding whitespace, a sign and `_` between
    /// digits are allowed.
    static func pythonInt(_ text: String) -> Int? {
        let trimmed = PythonText.strip(text)
        guard !trimmed.hasPrefix("_"), !trimmed.hasSuffix("_"), !trimmed.contains("__") else { return nil }
        return Int(trimmed.replacingOccurrences(of: "_", with: ""))
    }
}
