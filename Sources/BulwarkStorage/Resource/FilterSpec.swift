import Foundation
import SQLKit

/// How a query parameter narrows a list, following django-filter's semantics in DefectDojo.
public enum FilterKind: Sendable {
    /// Equality, value typed by ``FilterValueType``.
    case exact
    /// Case-insensitive equality.
    case iexact
    /// Case-insensitive substring.
    case icontains
    /// Case-sensitive substring.
    case contains
    /// Comma-separated list, any of (`?id=1,2,3`, `?severity=High,Critical`).
    case inList
    /// Repeatable parameter, any of (`?platform=web&platform=iot`).
    case multipleChoice
    /// Strictly less / greater than.
    case lessThan, greaterThan
    /// Inclusive bounds (`date_joined_after`, `date_joined_before`).
    case atLeast, atMost
    /// DefectDojo's DateRangeFilter codes 1–7 (today, 7, 30, 90 days, this month, this year, past year).
    case dateRangeChoice
    /// Has any / all / none of the comma-separated tag names; tags of `objectType` whose object id is in this column.
    case tagsAny(objectType: String), tagsAll(objectType: String), tagsNone(objectType: String)
    /// Has a tag whose name contains / does not contain the value.
    case tagContains(objectType: String), tagNotContains(objectType: String)
    /// Has (true) or lacks (false) any tag.
    case hasTags(objectType: String)
    /// Resource-specific condition built from the raw value; nil means "no filter".
    case custom(@Sendable (String, FilterContext) throws(FilterError) -> SQLQueryString?)
}

/// The type a filter value is parsed as before it is bound.
public enum FilterValueType: Sendable {
    case integer, double, string, boolean, date, dateTime
}

/// Facts a filter may need besides its value.
public struct FilterContext: Sendable {
    public var now: Date
    public var dialect: String
    public init(now: Date, dialect: String) {
        self.now = now
        self.dialect = dialect
    }
}

/// A query parameter whose value is not acceptable; rendered as `{"param": ["message"]}`.
public struct FilterError: Error, Sendable, Equatable {
    public var parameter: String
    public var message: String
    public init(parameter: String, message: String) {
        self.parameter = parameter
        self.message = message
    }
}

/// Declares one query parameter of a list endpoint.
public struct FilterSpec: Sendable {
    public var parameter: String
    public var column: String
    public var kind: FilterKind
    public var valueType: FilterValueType

    /// - Parameters:
    ///   - parameter: the query parameter name (`username`, `tags__and`).
    ///   - column: the column it applies to (for tag filters, the column holding the tagged object's id).
    public init(_ parameter: String, column: String? = nil, _ kind: FilterKind, _ valueType: FilterValueType = .string) {
        self.parameter = parameter
        self.column = column ?? parameter
        self.kind = kind
        self.valueType = valueType
    }

    /// `<table>.<column> IN (<subquery>)` built from a comma-separated list of integer ids
    /// (`?found_by=1,2`); no condition for an empty list, django-filter's message for a non-number.
    public static func integersIn(_ parameter: String, table: String, column: String = "id",
                                  _ subquery: @escaping @Sendable ([Int]) -> SQLQueryString) -> FilterSpec {
        FilterSpec(parameter, column: column, .custom({ raw, _ throws(FilterError) in
            let values = try FilterValueParsing.integers(raw, parameter: parameter)
            guard !values.isEmpty else { return nil }
            return "\(ident: table).\(ident: column) IN (" + subquery(values) + ")"
        }), .integer)
    }

    /// `<name>__gt`, `__gte`, `__lt` and `__lte` on one column, as django-filter's lookups declare them.
    public static func comparisons(_ name: String, column: String? = nil, _ valueType: FilterValueType) -> [FilterSpec] {
        [
            FilterSpec("\(name)__gt", column: column ?? name, .greaterThan, valueType),
            FilterSpec("\(name)__gte", column: column ?? name, .atLeast, valueType),
            FilterSpec("\(name)__lt", column: column ?? name, .lessThan, valueType),
            FilterSpec("\(name)__lte", column: column ?? name, .atMost, valueType),
        ]
    }

    /// The six tag filters DefectDojo offers on a taggable resource (`tag`, `tags`, `tags__and`, `not_tag`, `not_tags`, `has_tags`).
    public static func tagFilters(objectType: String, prefix: String = "", idColumn: String = "id") -> [FilterSpec] {
        [
            FilterSpec("\(prefix)tag", column: idColumn, .tagContains(objectType: objectType)),
            FilterSpec("\(prefix)tags", column: idColumn, .tagsAny(objectType: objectType)),
            FilterSpec("\(prefix)tags__and", column: idColumn, .tagsAll(objectType: objectType)),
            FilterSpec("not_\(prefix)tag", column: idColumn, .tagNotContains(objectType: objectType)),
            FilterSpec("not_\(prefix)tags", column: idColumn, .tagsNone(objectType: objectType)),
        ] + (prefix.isEmpty ? [FilterSpec("has_tags", column: idColumn, .hasTags(objectType: objectType), .boolean)] : [])
    }
}
