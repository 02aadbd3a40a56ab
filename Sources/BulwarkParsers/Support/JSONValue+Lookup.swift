import BulwarkCore
import Foundation

/// Python-`dict.get`-style reads on loosely typed JSON, for parsers that mirror DefectDojo's
/// `item.get("key", default)` code.
extension JSONValue {
    /// Member `key` of an object; `nil` when this is not an object, the member is missing or null.
    func member(_ key: String) -> JSONValue? {
        guard case .object(let object) = self, let value = object[key], !value.isNull else { return nil }
        return value
    }

    /// The member as text: strings as they are, other scalars as Python's `str()` prints them;
    /// `nil` when missing, null, an array or an object.
    func text(_ key: String) -> String? {
        switch member(key) {
        case .string(let text)?: text
        case .array?, .object?, nil: nil
        case let value?: value.pythonString
        }
    }

    /// The member's elements; empty when missing, null or not an array.
    func list(_ key: String) -> [JSONValue] {
        member(key)?.arrayValue ?? []
    }

    /// A number given as a JSON number or as decimal text; `nil` otherwise (booleans included).
    var looseDouble: Double? {
        switch self {
        case .integer(let number): Double(number)
        case .number(let number): number.isFinite ? number : nil
        case .string(let text): Double(PythonText.strip(text)).flatMap { $0.isFinite ? $0 : nil }
        default: nil
        }
    }

    /// Python's `str()` of a member, `"None"` when it is missing or null.
    func pythonText(_ key: String) -> String {
        member(key)?.pythonString ?? "None"
    }

    /// Python's `str(d.get(key, default))`: the default only when the member is missing (an
    /// explicit null prints as `None`).
    func pythonText(_ key: String, default fallback: String) -> String {
        self[key]?.pythonString ?? fallback
    }
}

/// Reading a whole JSON report for the parsers of this folder's tools.
enum JSONReport {
    /// Parses the report's bytes, refusing empty files and anything that is not valid JSON.
    static func read(_ input: ScanInput) throws(ParseError) -> JSONValue {
        try OrderedJSONParser.parse(try input.readData())
    }

    /// The top-level object, or an ``ParseError/Code/unsupportedFormat`` error naming the tool.
    static func object(_ value: JSONValue, tool: String) throws(ParseError) -> JSONValue {
        guard value.objectValue != nil else {
            throw ParseError(.unsupportedFormat, "The report is JSON but not a \(tool) report: expected an object.", position: .jsonPath("$"))
        }
        return value
    }
}
