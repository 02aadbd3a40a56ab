import BulwarkStorage

/// OpenAPI schemas of fields and filters, derived from the same ``FieldSpec`` and ``FilterSpec``
/// declarations that validate bodies, render rows and build list queries.
enum FieldSchemas {
    /// The schema of a field's value, without nullability or access markers.
    static func valueSchema(_ field: FieldSpec, forRequest: Bool) -> JSONValue {
        switch field.kind {
        case .integer(let minimum):
            return OpenAPISchema.with(OpenAPISchema.integer, minimum.map { [("minimum", .int($0))] } ?? [])
        case .float(let minimum, let maximum):
            var extra: [(String, JSONValue)] = []
            if let maximum { extra.append(("maximum", .double(maximum))) }
            if let minimum { extra.append(("minimum", .double(minimum))) }
            return OpenAPISchema.with(OpenAPISchema.number, extra)
        case .string(let maxLength):
            var extra: [(String, JSONValue)] = []
            if forRequest, !field.allowBlank { extra.append(("minLength", .int(1))) }
            if let maxLength { extra.append(("maxLength", .int(maxLength))) }
            return OpenAPISchema.with(OpenAPISchema.string, extra)
        case .email:
            return OpenAPISchema.with(OpenAPISchema.string, [("format", .string("email")), ("maxLength", .int(254))])
        case .choice(let values):
            return OpenAPISchema.choice(values)
        case .boolean:
            return OpenAPISchema.boolean
        case .date:
            return OpenAPISchema.date
        case .dateTime:
            return OpenAPISchema.dateTime
        case .decimal:
            return OpenAPISchema.with(OpenAPISchema.string, [("format", .string("decimal"))])
        case .foreignKey:
            return OpenAPISchema.integer
        case .idList:
            return OpenAPISchema.array(OpenAPISchema.integer)
        case .tags:
            return OpenAPISchema.array(OpenAPISchema.string)
        case .computed:
            return field.documentedSchema ?? .object([])
        }
    }

    /// The field as rendered in responses. A stored field that is optional on create and has no
    /// default may hold NULL, so it is nullable there even when clients may not send `null`.
    static func responseSchema(_ field: FieldSpec) -> JSONValue {
        var schema = valueSchema(field, forRequest: false)
        let mayBeNull = field.nullable || (field.isStored && field.name != "id" && !field.required && field.defaultValue == nil)
        if mayBeNull, field.documentedSchema == nil { schema = OpenAPISchema.nullable(schema) }
        return field.access == .readOnly ? OpenAPISchema.with(schema, [("readOnly", .bool(true))]) : schema
    }

    /// The field as accepted in request bodies.
    static func requestSchema(_ field: FieldSpec) -> JSONValue {
        var schema = valueSchema(field, forRequest: true)
        if field.nullable { schema = OpenAPISchema.nullable(schema) }
        return field.access == .writeOnly ? OpenAPISchema.with(schema, [("writeOnly", .bool(true))]) : schema
    }

    /// The query parameter a filter declaration reads.
    static func parameter(_ filter: FilterSpec) -> JSONValue {
        let value: JSONValue
        switch filter.valueType {
        case .integer: value = OpenAPISchema.integer
        case .double: value = OpenAPISchema.number
        case .string: value = OpenAPISchema.string
        case .boolean: value = OpenAPISchema.boolean
        case .date: value = OpenAPISchema.date
        case .dateTime: value = OpenAPISchema.dateTime
        }
        switch filter.kind {
        case .inList:
            return APIOperation.queryParameter(filter.parameter, OpenAPISchema.array(value), description: "Multiple values may be separated by commas.",
                                               style: ("form", explode: false))
        case .multipleChoice:
            return APIOperation.queryParameter(filter.parameter, OpenAPISchema.array(value), description: "Repeat the parameter for several values.",
                                               style: ("form", explode: true))
        case .dateRangeChoice:
            return APIOperation.queryParameter(
                filter.parameter, .object([("type", .string("integer")), ("enum", .array((1...7).map(JSONValue.int)))]),
                description: "1: today, 2: past 7 days, 3: past 30 days, 4: past 90 days, 5: current month, 6: current year, 7: past year")
        case .tagsAny, .tagsAll, .tagsNone:
            let meaning: String
            switch filter.kind {
            case .tagsAll: meaning = "Comma separated list of exact tags, all of which must be present"
            case .tagsNone: meaning = "Comma separated list of exact tags not present"
            default: meaning = "Comma separated list of exact tags (any of them)"
            }
            return APIOperation.queryParameter(filter.parameter, OpenAPISchema.array(OpenAPISchema.string), description: meaning,
                                               style: ("form", explode: false))
        case .tagContains:
            return APIOperation.queryParameter(filter.parameter, OpenAPISchema.string, description: "Tag name contains")
        case .tagNotContains:
            return APIOperation.queryParameter(filter.parameter, OpenAPISchema.string, description: "Not tag name contains")
        case .hasTags:
            return APIOperation.queryParameter(filter.parameter, OpenAPISchema.boolean, description: "Has tags")
        case .exact, .iexact, .icontains, .contains, .lessThan, .greaterThan, .atLeast, .atMost, .custom:
            return APIOperation.queryParameter(filter.parameter, value)
        }
    }
}
