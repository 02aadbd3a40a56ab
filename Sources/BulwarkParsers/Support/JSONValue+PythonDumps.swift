import Foundation

extension JSONValue {
    /// The value as Python's `json.dumps(value, indent=n)` writes it: ASCII only (`\uXXXX`
    /// escapes), one item per line ending in `,`, `": "` after keys, members in document order.
    func pythonJSONDumps(indent: Int) -> String {
        var output = ""
        PythonJSONWriter(indentUnit: String(repeating: " ", count: max(0, indent))).write(self, level: 0, into: &output)
        return output
    }
}

/// Writes JSON the way Python's `json` module does with `indent` set and `ensure_ascii` on.
private struct PythonJSONWriter {
    let indentUnit: String

    func write(_ value: JSONValue, level: Int, into output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .integer(let number): output += String(number)
        case .number(let number): output += Self.float(number)
        case .string(let text): Self.appendQuoted(text, to: &output)
        case .array(let items):
            guard !items.isEmpty else { output += "[]"; return }
            output += "["
            for (offset, item) in items.enumerated() {
                output += (offset == 0 ? "\n" : ",\n") + String(repeating: indentUnit, count: level + 1)
                write(item, level: level + 1, into: &output)
            }
            output += "\n" + String(repeating: indentUnit, count: level) + "]"
        case .object(let object):
            guard !object.isEmpty else { output += "{}"; return }
            output += "{"
            for (offset, member) in object.members.enumerated() {
                output += (offset == 0 ? "\n" : ",\n") + String(repeating: indentUnit, count: level + 1)
                Self.appendQuoted(member.key, to: &output)
                output += ": "
                write(member.value, level: level + 1, into: &output)
            }
            output += "\n" + String(repeating: indentUnit, count: level) + "}"
        }
    }

    /// `float.__repr__`, with JavaScript names for the non-finite values as `json` writes them.
    private static func float(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return PythonFormat.float(value)
    }

    private static func appendQuoted(_ text: String, to output: inout String) {
        output += "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: output += "\\\""
            case 0x5C: output += "\\\\"
            case 0x0A: output += "\\n"
            case 0x0D: output += "\\r"
            case 0x09: output += "\\t"
            case 0x08: output += "\\b"
            case 0x0C: output += "\\f"
            case 0x20...0x7E: output.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        output += "\""
    }
}
