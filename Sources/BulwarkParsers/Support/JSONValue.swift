import Foundation

/// Any JSON value, for loosely typed report formats. Objects keep their members in document
/// order (like Python's `dict` from `json.load`), which some DefectDojo mappings depend on.
enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The string payload, if this is a string.
    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The object payload, if this is an object.
    var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The array payload, if this is an array.
    var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// An integer given as `15`, `15.0` or `"15"`; `nil` otherwise.
    var looseInteger: Int? {
        switch self {
        case .integer(let number): number
        case .number(let number) where number.isFinite && number == number.rounded(): Int(exactly: number)
        case .string(let text): Int(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    /// `true` for JSON `null`.
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Member lookup for objects (`nil` for other kinds or a missing member).
    subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// Python truthiness: `null`, `false`, `0`, `""`, `[]` and `{}` are false.
    var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .integer(let value): value != 0
        case .number(let value): value != 0
        case .string(let value): !value.isEmpty
        case .array(let value): !value.isEmpty
        case .object(let value): !value.isEmpty
        }
    }

    /// The value as Python's `str()` prints it (`None`, `True`, `15`, `7.5`, `['a']`).
    var pythonString: String {
        switch self {
        case .null: "None"
        case .bool(let value): value ? "True" : "False"
        case .integer(let value): String(value)
        case .number(let value): PythonFormat.float(value)
        case .string(let value): value
        case .array(let values): "[" + values.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .object(let object): "{" + object.members.map { "'\($0.key)': \($0.value.pythonRepr)" }.joined(separator: ", ") + "}"
        }
    }

    /// Python's `repr()` (strings quoted).
    var pythonRepr: String {
        if case .string(let value) = self { return "'\(value)'" }
        return pythonString
    }
}

/// A JSON object with members in document order; a repeated key keeps its first position and
/// its last value, as Python's `dict` does.
struct JSONObject: Sendable, Hashable {
    private(set) var members: [(key: String, value: JSONValue)] = []
    /// Member positions by key, built only for large objects (small ones are searched).
    private var index: [String: Int]?

    /// Linear search beats hashing up to a few dozen short keys (Trivy vulnerabilities have ~20).
    private static let indexThreshold = 32

    init() {}

    init(_ pairs: [(String, JSONValue)]) {
        for (key, value) in pairs { self[key] = value }
    }

    var isEmpty: Bool { members.isEmpty }
    var count: Int { members.count }
    var keys: [String] { members.map(\.key) }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return members.firstIndex { $0.key == key }
    }

    subscript(key: String) -> JSONValue? {
        get { position(of: key).map { members[$0].value } }
        set {
            if let position = position(of: key) {
                if let newValue { members[position].value = newValue }
            } else if let newValue {
                members.append((key, newValue))
                if index != nil {
                    index?[key] = members.count - 1
                } else if members.count > JSONObject.indexThreshold {
                    var table: [String: Int] = [:]
                    for (offset, member) in members.enumerated() { table[member.key] = offset }
                    index = table
                }
            }
        }
    }

    /// Python's `key in dict`.
    func contains(_ key: String) -> Bool { position(of: key) != nil }

    static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    func hash(into hasher: inout Hasher) {
        for member in members {
            hasher.combine(member.key)
            hasher.combine(member.value)
        }
    }
}

extension JSONValue: Decodable {
    /// Decodes through `Decoder` (member order is not preserved on this path).
    init(from decoder: any Decoder) throws {
        if let container = try? decoder.singleValueContainer() {
            if container.decodeNil() { self = .null; return }
            if let value = try? container.decode(Bool.self) { self = .bool(value); return }
            if let value = try? container.decode(String.self) { self = .string(value); return }
            if let value = try? container.decode(Int.self) { self = .integer(value); return }
            if let value = try? container.decode(Double.self) { self = .number(value); return }
        }
        if var container = try? decoder.unkeyedContainer() {
            var values: [JSONValue] = []
            while !container.isAtEnd { values.append(try container.decode(JSONValue.self)) }
            self = .array(values)
            return
        }
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        var object = JSONObject()
        for key in container.allKeys { object[key.stringValue] = try container.decode(JSONValue.self, forKey: key) }
        self = .object(object)
    }
}

/// A coding key for any member name.
struct AnyCodingKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int?

    init(_ string: String) {
        stringValue = string
        intValue = nil
    }

    init?(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// Python number formatting.
enum PythonFormat {
    /// `str(float)`: shortest round-trip digits, with `.0` for integral values.
    static func float(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        var text = "\(value)"
        if !text.contains("e"), !text.contains(".") { text += ".0" }
        return text
    }
}
