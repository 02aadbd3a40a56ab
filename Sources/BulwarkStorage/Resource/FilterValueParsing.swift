import Foundation

/// Parses query-string values the way Django forms do, with Django's error texts.
public enum FilterValueParsing {
    /// Parses a boolean as django-filter's NullBooleanSelect does; nil for anything else (no filter).
    public static func boolean(_ raw: String) -> Bool? {
        switch raw {
        case "true", "True", "1", "yes", "on", "2": return true
        case "false", "False", "0", "no", "off", "3": return false
        default: return nil
        }
    }

    /// Parses a comma-separated id list with django-filter's message; empty when no ids.
    public static func integers(_ raw: String, parameter: String) throws(FilterError) -> [Int] {
        var values: [Int] = []
        for item in raw.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            guard let value = Int(item) else { throw FilterError(parameter: parameter, message: "Enter a number.") }
            values.append(value)
        }
        return values
    }

    /// The non-empty, trimmed items of a comma-separated list.
    public static func strings(_ raw: String) -> [String] {
        raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Parses a value of `type`, throwing Django's message on failure.
    public static func value(_ raw: String, as type: FilterValueType, parameter: String) throws(FilterError) -> any Encodable & Sendable {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        switch type {
        case .string:
            return raw
        case .integer:
            guard let value = Int(trimmed) else { throw FilterError(parameter: parameter, message: "Enter a number.") }
            return value
        case .double:
            guard let value = Double(trimmed), value.isFinite else { throw FilterError(parameter: parameter, message: "Enter a number.") }
            return value
        case .boolean:
            guard let value = boolean(trimmed) else { throw FilterError(parameter: parameter, message: "Enter a valid boolean.") }
            return value
        case .date:
            guard let day = DateFormatting.parseDay(trimmed) else { throw FilterError(parameter: parameter, message: "Enter a valid date.") }
            return DateFormatting.day(day)
        case .dateTime:
            if let instant = DateFormatting.parseInstant(trimmed) { return instant }
            if let day = DateFormatting.parseDay(trimmed) { return day }
            throw FilterError(parameter: parameter, message: "Enter a valid date/time.")
        }
    }
}
