import BulwarkStorage

/// Builders for OpenAPI 3.0.3 schema objects, as ordered JSON.
///
/// Declarations use these for computed fields (`FieldSpec.documented`) and action bodies;
/// the document generator uses them for everything derived from field kinds.
public enum OpenAPISchema {
    public static let integer: JSONValue = .object([("type", .string("integer"))])
    public static let number: JSONValue = .object([("type", .string("number")), ("format", .string("double"))])
    public static let string: JSONValue = .object([("type", .string("string"))])
    public static let boolean: JSONValue = .object([("type", .string("boolean"))])
    public static let date: JSONValue = .object([("type", .string("string")), ("format", .string("date"))])
    public static let dateTime: JSONValue = .object([("type", .string("string")), ("format", .string("date-time"))])
    public static let uri: JSONValue = .object([("type", .string("string")), ("format", .string("uri"))])
    /// An object whose properties are not described.
    public static let anyObject: JSONValue = .object([("type", .string("object")), ("additionalProperties", .object([]))])

    /// `#/components/schemas/<name>`.
    public static func ref(_ name: String) -> JSONValue {
        .object([("$ref", .string("#/components/schemas/\(name)"))])
    }

    public static func array(_ items: JSONValue) -> JSONValue {
        .object([("type", .string("array")), ("items", items)])
    }

    /// An object with the given properties, all of them listed in `required` unless told otherwise.
    public static func object(_ properties: [(String, JSONValue)], required: [String]? = nil, description: String? = nil) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("type", .string("object"))]
        if let description { pairs.append(("description", .string(description))) }
        pairs.append(("properties", .object(properties)))
        let requiredNames = required ?? properties.map(\.0)
        if !requiredNames.isEmpty { pairs.append(("required", .array(requiredNames.map(JSONValue.string)))) }
        return .object(pairs)
    }

    /// String restricted to `values`.
    public static func choice(_ values: [String]) -> JSONValue {
        .object([("type", .string("string")), ("enum", .array(values.map(JSONValue.string)))])
    }

    /// `schema` that may also be `null`. A `$ref` is wrapped in `allOf`, since siblings of `$ref` are ignored in 3.0.
    public static func nullable(_ schema: JSONValue) -> JSONValue {
        guard case .object(var pairs) = schema else { return schema }
        if pairs.contains(where: { $0.0 == "$ref" }) {
            return .object([("allOf", .array([schema])), ("nullable", .bool(true))])
        }
        if let index = pairs.firstIndex(where: { $0.0 == "enum" }), case .array(var values) = pairs[index].1, !values.contains(.null) {
            values.append(.null)
            pairs[index].1 = .array(values)
        }
        pairs.removeAll { $0.0 == "nullable" }
        pairs.append(("nullable", .bool(true)))
        return .object(pairs)
    }

    /// `schema` with extra keywords (`readOnly`, `description`…) added or replaced; a `$ref` is wrapped in `allOf`.
    public static func with(_ schema: JSONValue, _ extra: [(String, JSONValue)]) -> JSONValue {
        guard !extra.isEmpty, case .object(var pairs) = schema else { return schema }
        if pairs.contains(where: { $0.0 == "$ref" }) { pairs = [("allOf", .array([schema]))] }
        for (key, value) in extra {
            if let index = pairs.firstIndex(where: { $0.0 == key }) { pairs[index].1 = value } else { pairs.append((key, value)) }
        }
        return .object(pairs)
    }
}
