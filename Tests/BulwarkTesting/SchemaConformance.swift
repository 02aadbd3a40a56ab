import BulwarkStorage
import Foundation

/// Checks JSON values against the OpenAPI 3.0 schemas of a document: `$ref`, `allOf`, `type`,
/// `nullable`, `enum`, `required`, `properties`, `items`, and date formats.
///
/// Stricter than OpenAPI on one point, on purpose: an object whose schema lists `properties` and
/// says nothing of `additionalProperties` may not carry other keys, so a rendered field that the
/// declarations forgot to document fails the tests.
public struct SchemaConformance: Sendable {
    let components: JSONValue

    public init(document: JSONValue) {
        components = document["components"]?["schemas"] ?? .object([])
    }

    /// The component `name`.
    public func component(_ name: String) -> JSONValue? { components[name] }

    /// Problems of `value` against `schema`, each naming the JSON path; empty when it conforms.
    public func problems(_ value: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
        if let reference = schema["$ref"]?.stringValue {
            let name = reference.replacingOccurrences(of: "#/components/schemas/", with: "")
            guard let target = components[name] else { return ["\(path): unknown $ref \(reference)"] }
            return problems(value, against: target, at: path)
        }
        if value.isNull {
            let typed = schema["type"] != nil || schema["allOf"] != nil || schema["properties"] != nil
            return !typed || schema["nullable"] == .bool(true) ? [] : ["\(path): null is not allowed"]
        }
        var found: [String] = []
        for part in schema["allOf"]?.items ?? [] { found += problems(value, against: part, at: path) }
        if let allowed = schema["enum"]?.items, !allowed.contains(value) { found.append("\(path): \(value.serializedString()) is not one of the enum values") }
        switch schema["type"]?.stringValue {
        case "integer"?:
            if value.intValue == nil { found.append("\(path): expected an integer, got \(value.serializedString())") }
        case "number"?:
            switch value { case .int, .double: break; default: found.append("\(path): expected a number, got \(value.serializedString())") }
        case "boolean"?:
            if value.boolValue == nil { found.append("\(path): expected a boolean, got \(value.serializedString())") }
        case "string"?:
            guard let text = value.stringValue else { found.append("\(path): expected a string, got \(value.serializedString())"); break }
            found += formatProblems(text, format: schema["format"]?.stringValue, at: path)
        case "array"?:
            guard case .array(let items) = value else { found.append("\(path): expected an array"); break }
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() { found += problems(item, against: itemSchema, at: "\(path)[\(index)]") }
            }
        case "object"?:
            guard case .object(let pairs) = value else { found.append("\(path): expected an object"); break }
            found += objectProblems(pairs, schema: schema, at: path)
        default:
            if case .object(let pairs) = value, schema["properties"] != nil { found += objectProblems(pairs, schema: schema, at: path) }
        }
        return found
    }

    private func objectProblems(_ pairs: [(String, JSONValue)], schema: JSONValue, at path: String) -> [String] {
        var found: [String] = []
        let properties = schema["properties"]
        for name in schema["required"]?.items.compactMap(\.stringValue) ?? [] where !pairs.contains(where: { $0.0 == name }) {
            found.append("\(path): required property \(name) is missing")
        }
        for (key, item) in pairs {
            if let propertySchema = properties?[key] {
                found += problems(item, against: propertySchema, at: "\(path).\(key)")
            } else if let additional = schema["additionalProperties"] {
                if case .object = additional { found += problems(item, against: additional, at: "\(path).\(key)") }
            } else if properties != nil {
                found.append("\(path): property \(key) is not documented")
            }
        }
        return found
    }

    private func formatProblems(_ text: String, format: String?, at path: String) -> [String] {
        switch format {
        case "date"?:
            return text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) == nil ? ["\(path): \(text) is not a date"] : []
        case "date-time"?:
            let pattern = #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"#
            return text.range(of: pattern, options: .regularExpression) == nil ? ["\(path): \(text) is not a date-time"] : []
        default:
            return []
        }
    }

    /// Every `$ref` target named anywhere in `value`.
    public static func references(in value: JSONValue) -> Set<String> {
        switch value {
        case .object(let pairs):
            var out = Set<String>()
            for (key, item) in pairs {
                if key == "$ref", let text = item.stringValue { out.insert(text) } else { out.formUnion(references(in: item)) }
            }
            return out
        case .array(let items):
            return items.reduce(into: Set<String>()) { $0.formUnion(references(in: $1)) }
        default:
            return []
        }
    }
}
