import Foundation

/// A JSON value whose objects keep their keys in insertion order.
///
/// DefectDojo clients compare responses field by field and some of them (and our own
/// compatibility tests) rely on DefectDojo's field order, so API bodies are built as
/// `JSONValue` trees and serialised with ``JSONValue/serialized()`` instead of `JSONEncoder`.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.double(a), .double(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// Looks up a key of an object (nil for other kinds or a missing key).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first(where: { $0.0 == key })?.1
    }

    /// `true` for `.null`.
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The value as a string when it is one.
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }

    /// The value as a bool when it is one.
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }

    /// Keys of an object in order (empty for other kinds).
    public var keys: [String] {
        guard case .object(let pairs) = self else { return [] }
        return pairs.map(\.0)
    }

    /// Items of an array (empty for other kinds).
    public var items: [JSONValue] {
        guard case .array(let items) = self else { return [] }
        return items
    }

    /// The value as an integer when it is one.
    public var intValue: Int? { if case .int(let i) = self { return i } else { return nil } }

    /// Serialises to compact JSON bytes (UTF-8), keys in insertion order.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(into: &out)
        return out
    }

    /// Serialises to a compact JSON string.
    public func serializedString() -> String { String(decoding: serialized(), as: UTF8.self) }

    /// Appends this value's JSON text to `out`.
    public func write(into out: inout [UInt8]) {
        switch self {
        case .null: JSONBytes.appendNull(&out)
        case .bool(let b): JSONBytes.appendBool(b, to: &out)
        case .int(let i): JSONBytes.appendInt(i, to: &out)
        case .double(let d): JSONBytes.appendDouble(d, to: &out)
        case .string(let s): JSONBytes.appendString(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let pairs):
            out.append(UInt8(ascii: "{"))
            for (i, pair) in pairs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONBytes.appendString(pair.0, to: &out)
                out.append(UInt8(ascii: ":"))
                pair.1.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
