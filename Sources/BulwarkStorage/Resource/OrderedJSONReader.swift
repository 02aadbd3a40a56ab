import Foundation

extension JSONValue {
    /// Parses JSON text keeping object keys in document order; nil when the text is not one JSON value.
    /// For trusted text (the database's own JSON columns); request bodies go through ``parseUntrusted(_:maxDepth:)``.
    public static func parseOrdered(_ text: String) -> JSONValue? {
        try? parseUntrusted(Array(text.utf8), maxDepth: 512)
    }

    /// Parses a request body keeping object keys in document order, refusing nesting deeper than
    /// `maxDepth` before it can exhaust the stack.
    /// - Throws: ``JSONBodyError``.
    public static func parseUntrusted(_ bytes: [UInt8], maxDepth: Int) throws(JSONBodyError) -> JSONValue {
        var reader = OrderedJSONReader(bytes: bytes, maxDepth: maxDepth)
        guard let value = reader.value(depth: 0) else { throw reader.tooDeep ? .tooDeep(maxDepth) : .malformed }
        reader.skipSpace()
        guard reader.index == reader.bytes.count else { throw .malformed }
        return value
    }
}

/// Why a JSON body was refused.
public enum JSONBodyError: Error, Sendable, Equatable {
    /// Not one well-formed JSON value.
    case malformed
    /// Arrays and objects nested more than the given number of levels.
    case tooDeep(Int)
}

/// A small recursive-descent JSON reader that keeps object keys in order.
struct OrderedJSONReader {
    let bytes: [UInt8]
    let maxDepth: Int
    var index = 0
    /// Set when parsing stopped at the depth limit rather than at a syntax error.
    var tooDeep = false

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    mutating func literal(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard index + w.count <= bytes.count, Array(bytes[index..<index + w.count]) == w else { return false }
        index += w.count
        return true
    }

    mutating func value(depth: Int) -> JSONValue? {
        skipSpace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < maxDepth else {
                tooDeep = true
                return nil
            }
            return bytes[index] == UInt8(ascii: "{") ? object(depth: depth + 1) : array(depth: depth + 1)
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        default: return number()
        }
    }

    mutating func object(depth: Int) -> JSONValue? {
        index += 1
        var pairs: [(String, JSONValue)] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(pairs) }
        while true {
            skipSpace()
            guard let key = string() else { return nil }
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            guard let item = value(depth: depth) else { return nil }
            pairs.append((key, item))
            skipSpace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(pairs) }
            return nil
        }
    }

    mutating func array(depth: Int) -> JSONValue? {
        index += 1
        var items: [JSONValue] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            guard let item = value(depth: depth) else { return nil }
            items.append(item)
            skipSpace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            return nil
        }
    }

    mutating func string() -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        let start = index
        index += 1
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            if bytes[index] == UInt8(ascii: "\\") { index += 1 }
            index += 1
        }
        guard index < bytes.count else { return nil }
        index += 1
        // Let Foundation decode escapes of this one string literal.
        let literal = Data(bytes[start..<index])
        return try? JSONDecoder().decode(String.self, from: literal)
    }

    mutating func number() -> JSONValue? {
        let start = index
        while index < bytes.count, "-+.eE0123456789".utf8.contains(bytes[index]) { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if let int = Int(text) { return .int(int) }
        if let double = Double(text) { return .double(double) }
        return nil
    }
}
