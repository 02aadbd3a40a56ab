import BulwarkCore
import Foundation

/// Python's `str()` and `repr()` of JSON values, exact for strings (quote choice and escapes),
/// as DefectDojo's descriptions print whole lists and dictionaries, plus the few `str`
/// operations parsers repeat on large texts (`in`, `find`, `strip`, `int`), done on UTF-8 bytes.
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

    // MARK: Text operations

    /// Python's `needle in text` (code point substring; the empty string is in every text).
    static func contains(_ text: String, _ needle: String) -> Bool {
        firstRange(of: needle, in: text) != nil
    }

    /// Python's `text.find(needle)` as a range of `text`; `nil` for -1. Searched in UTF-8 bytes,
    /// so a match always starts and ends on code point boundaries.
    static func firstRange(of needle: String, in text: String) -> Range<String.Index>? {
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty else { return text.startIndex..<text.startIndex }
        let offset: Int?
        if let found = text.utf8.withContiguousStorageIfAvailable({ firstOffset(of: pattern, in: $0) }) {
            offset = found
        } else {
            offset = Array(text.utf8).withUnsafeBufferPointer { firstOffset(of: pattern, in: $0) }
        }
        guard let offset else { return nil }
        let start = text.utf8.index(text.utf8.startIndex, offsetBy: offset)
        return start..<text.utf8.index(start, offsetBy: pattern.count)
    }

    private static func firstOffset(of pattern: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard pattern.count <= bytes.count, let first = pattern.first else { return nil }
        var index = 0
        let last = bytes.count - pattern.count
        while index <= last {
            if bytes[index] == first {
                var matched = 1
                while matched < pattern.count, bytes[index + matched] == pattern[matched] { matched += 1 }
                if matched == pattern.count { return index }
            }
            index += 1
        }
        return nil
    }

    /// Python's `str.strip()`, without copying texts that have no surrounding whitespace.
    static func stripped(_ text: String) -> String {
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, PythonText.isWhitespace(scalars[start]) { scalars.formIndex(after: &start) }
        while end > start, PythonText.isWhitespace(scalars[scalars.index(before: end)]) { scalars.formIndex(before: &end) }
        if start == scalars.startIndex, end == scalars.endIndex { return text }
        return String(scalars[start..<end])
    }

    /// Python's `int(text)`: plain ASCII digits directly, anything else as ``LooseFields/pythonInt(_:)``.
    static func int(_ text: String) -> Int? {
        if !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) { return Int(text) }
        return LooseFields.pythonInt(text)
    }
}
