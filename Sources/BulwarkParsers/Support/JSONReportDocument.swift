import BulwarkCore
import Foundation

/// Loads a JSON report the way DefectDojo's parsers do with `json.load`: the whole document, with
/// object members in document order, so mappings that walk a `dict` see the same order.
enum JSONReportDocument {
    /// The parsed document, any JSON kind.
    /// - Throws: ``ParseError`` (`empty`, `malformedInput`, `unreadableInput`).
    static func load(_ input: ScanInput) throws(ParseError) -> JSONValue {
        try OrderedJSONParser.parse(try input.readData())
    }

    /// The parsed document, which must be an object.
    /// - Parameter format: The format's name for the error, e.g. `"Bandit JSON report"`.
    /// - Throws: ``ParseError/Code/unsupportedFormat`` when the document is not an object.
    static func rootObject(_ input: ScanInput, format: String) throws(ParseError) -> JSONObject {
        guard let object = try load(input).objectValue else {
            throw ParseError(.unsupportedFormat, "The report is JSON but not a \(format): expected an object.", position: .jsonPath("$"))
        }
        return object
    }
}

extension LooseFields {
    /// A member that must be present (Python's `dict[key]`); it may be `null`.
    /// - Throws: ``ParseError/Code/missingField`` naming the member.
    func requiredValue(_ key: String) throws(ParseError) -> JSONValue {
        guard let value = object[key] else {
            throw ParseError(.missingField, "Required field \"\(key)\" is missing.", position: position())
        }
        return value
    }

    /// A member that must be an object.
    func requiredObject(_ key: String) throws(ParseError) -> LooseFields {
        guard let nested = try requiredValue(key).objectValue else {
            throw ParseError(.invalidValue, "\"\(key)\" must be an object.", position: position(key))
        }
        return LooseFields(object: nested, path: path + JSONPath.member(key))
    }

    /// A member that must be an array.
    func requiredArray(_ key: String) throws(ParseError) -> [JSONValue] {
        guard let items = try requiredValue(key).arrayValue else {
            throw ParseError(.invalidValue, "\"\(key)\" must be a list.", position: position(key))
        }
        return items
    }

    /// An optional member that, when present and not null, must be an object.
    func optionalObject(_ key: String) throws(ParseError) -> LooseFields? {
        switch object[key] {
        case nil, .null?: return nil
        case .object(let nested)?: return LooseFields(object: nested, path: path + JSONPath.member(key))
        default: throw ParseError(.invalidValue, "\"\(key)\" must be an object.", position: position(key))
        }
    }

    /// A present member as Python's `str()` prints it (`None` for null); `nil` when absent.
    func pythonText(_ key: String) -> String? {
        object[key]?.pythonString
    }

    /// The element at `index` of an array member as a nested object.
    func element(_ item: JSONValue, of key: String, at index: Int) throws(ParseError) -> LooseFields {
        guard let nested = item.objectValue else {
            throw ParseError(.invalidValue, "Each element of \"\(key)\" must be an object.", position: position(key, index))
        }
        return LooseFields(object: nested, path: path + JSONPath.member(key) + "[\(index)]")
    }
}

/// Python's letter-case helpers that DefectDojo parsers apply to severities.
enum PythonStringCase {
    /// `str.title()`: each run of letters starts upper-case and continues lower-case.
    static func title(_ text: String) -> String {
        var result = ""
        var previousCased = false
        for character in text {
            if character.isCased {
                result += previousCased ? character.lowercased() : character.uppercased()
                previousCased = true
            } else {
                result.append(character)
                previousCased = false
            }
        }
        return result
    }

    /// `str.capitalize()`: the first character upper-case, the rest lower-case.
    static func capitalize(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst().lowercased()
    }
}
