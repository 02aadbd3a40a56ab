import Foundation

/// A converted value: what to bind, what to echo, and list payloads.
public struct ConvertedValue: Sendable {
    public var bind: SQLBindValue
    public var json: JSONValue
    public var tags: [String] = []
    public var ids: [Int] = []
}

/// Converts one JSON or form value to a field's type with DRF's leniency and messages.
public enum FieldConversion {
    /// A conversion failure message (DRF's text).
    public struct Failure: Error, Sendable { public var message: String }

    public static func convert(_ raw: JSONValue, kind: FieldKind, allowBlank: Bool, nullable: Bool) -> Result<ConvertedValue, Failure> {
        func fail(_ message: String) -> Result<ConvertedValue, Failure> { .failure(Failure(message: message)) }
        func ok(_ bind: SQLBindValue, _ json: JSONValue) -> Result<ConvertedValue, Failure> { .success(ConvertedValue(bind: bind, json: json)) }
        switch kind {
        case .integer(let minimum):
            guard let value = integer(raw) else {
                if case .string(let s) = raw, s.isEmpty, nullable { return ok(.null, .null) }
                return fail("A valid integer is required.")
            }
            if let minimum, value < minimum { return fail("Ensure this value is greater than or equal to \(minimum).") }
            return ok(.int(value), .int(value))
        case .foreignKey:
            if case .string(let s) = raw, s.isEmpty, nullable { return ok(.null, .null) }
            guard let value = integer(raw) else { return fail("Incorrect type. Expected pk value, received \(typeName(raw)).") }
            return ok(.int(value), .int(value))
        case .float(let minimum, let maximum):
            guard let value = number(raw) else {
                if case .string(let s) = raw, s.isEmpty, nullable { return ok(.null, .null) }
                return fail("A valid number is required.")
            }
            if let minimum, value < minimum { return fail("Ensure this value is greater than or equal to \(format(minimum)).") }
            if let maximum, value > maximum { return fail("Ensure this value is less than or equal to \(format(maximum)).") }
            return ok(.double(value), .double(value))
        case .decimal(let scale):
            guard let value = number(raw) else {
                if case .string(let s) = raw, s.isEmpty, nullable { return ok(.null, .null) }
                return fail("A valid number is required.")
            }
            if value < 0 { return fail("Ensure this value is greater than or equal to 0.") }
            let text = String(format: "%.\(scale)f", value)
            return ok(.string(text), .string(text))
        case .boolean:
            guard let value = boolean(raw) else { return fail("Must be a valid boolean.") }
            return ok(.bool(value), .bool(value))
        case .string(let maxLength):
            guard let text = string(raw) else { return fail("Not a valid string.") }
            if text.isEmpty && !allowBlank { return fail("This field may not be blank.") }
            if let maxLength, text.unicodeScalars.count > maxLength { return fail("Ensure this field has no more than \(maxLength) characters.") }
            return ok(.string(text), .string(text))
        case .email:
            guard let text = string(raw) else { return fail("Not a valid string.") }
            if text.isEmpty { return allowBlank ? ok(.string(""), .string("")) : fail("This field may not be blank.") }
            guard isEmail(text) else { return fail("Enter a valid email address.") }
            return ok(.string(text), .string(text))
        case .choice(let options):
            guard let text = string(raw) else { return fail("\"\(display(raw))\" is not a valid choice.") }
            if text.isEmpty && nullable { return ok(.null, .null) }
            guard options.contains(text) else { return fail("\"\(text)\" is not a valid choice.") }
            return ok(.string(text), .string(text))
        case .date:
            guard let text = string(raw), let day = DateFormatting.parseDay(text) else {
                if case .string(let s) = raw, s.isEmpty, nullable { return ok(.null, .null) }
                return fail("Date has wrong format. Use one of these formats instead: YYYY-MM-DD.")
            }
            let normal = DateFormatting.day(day)
            return ok(.string(normal), .string(normal))
        case .dateTime:
            guard let text = string(raw), let instant = DateFormatting.parseInstant(text) ?? DateFormatting.parseDay(text) else {
                if case .string(let s) = raw, s.isEmpty, nullable { return ok(.null, .null) }
                return fail("Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].")
            }
            return ok(.date(instant), .string(DateFormatting.instant(instant)))
        case .tags:
            guard let names = tagList(raw) else { return fail("Expected a list of items but got type \"\(typeName(raw))\".") }
            let normal = TagStore.normalise(names)
            var value = ConvertedValue(bind: .null, json: .array(normal.map(JSONValue.string)))
            value.tags = normal
            return .success(value)
        case .idList:
            let items: [JSONValue]
            switch raw {
            case .array(let list): items = list
            case .string(let s) where !s.isEmpty: items = s.split(separator: ",").map { .string(String($0)) }
            case .string: items = []
            case .int: items = [raw]
            default: return fail("Expected a list of items but got type \"\(typeName(raw))\".")
            }
            var ids: [Int] = []
            for item in items {
                guard let id = integer(item) else { return fail("Incorrect type. Expected pk value, received \(typeName(item)).") }
                ids.append(id)
            }
            var value = ConvertedValue(bind: .null, json: .array(ids.map(JSONValue.int)))
            value.ids = ids
            return .success(value)
        case .computed:
            return ok(.null, raw)
        }
    }

    /// An integer from a JSON number or numeric text.
    public static func integer(_ raw: JSONValue) -> Int? {
        switch raw {
        case .int(let i): return i
        case .double(let d) where d == d.rounded() && abs(d) < 9e15: return Int(d)
        case .string(let s): return Int(s.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    static func number(_ raw: JSONValue) -> Double? {
        switch raw {
        case .int(let i): return Double(i)
        case .double(let d): return d.isFinite ? d : nil
        case .string(let s): if let d = Double(s.trimmingCharacters(in: .whitespaces)), d.isFinite { return d } else { return nil }
        default: return nil
        }
    }

    /// DRF BooleanField's accepted spellings.
    public static func boolean(_ raw: JSONValue) -> Bool? {
        switch raw {
        case .bool(let b): return b
        case .int(1): return true
        case .int(0): return false
        case .string(let s):
            switch s.lowercased() {
            case "true", "1", "yes", "y", "on", "t": return true
            case "false", "0", "no", "n", "off", "f": return false
            default: return nil
            }
        default: return nil
        }
    }

    static func string(_ raw: JSONValue) -> String? {
        switch raw {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return "\(d)"
        default: return nil
        }
    }

    static func tagList(_ raw: JSONValue) -> [String]? {
        switch raw {
        case .array(let items): return items.compactMap { string($0) }.flatMap { splitTagText($0) }
        case .string(let s): return splitTagText(s)
        default: return nil
        }
    }

    /// A tag string may be a JSON list (`["a","b"]`) or comma-separated (`a,b`), as DefectDojo accepts.
    static func splitTagText(_ text: String) -> [String] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("["), let data = trimmed.data(using: .utf8), let list = try? JSONDecoder().decode([String].self, from: data) {
            return list
        }
        return trimmed.split(separator: ",").map(String.init)
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !text.contains(" ")
        else { return false }
        return true
    }

    /// Python's type name of a JSON value, as DRF puts it in messages.
    public static func typeName(_ raw: JSONValue) -> String {
        switch raw {
        case .string: return "str"
        case .int: return "int"
        case .double: return "float"
        case .bool: return "bool"
        case .array: return "list"
        case .object: return "dict"
        case .null: return "NoneType"
        }
    }

    static func display(_ raw: JSONValue) -> String {
        switch raw {
        case .string(let s): return s
        case .bool(let b): return b ? "True" : "False"
        default: return raw.serializedString()
        }
    }

    static func format(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : "\(value)" }
}
