import Foundation
import SQLKit

/// Turns query parameters into SQL conditions and an ORDER BY for one resource.
///
/// Declared filters win; any other `<field>__<lookup>` parameter on a stored string, number or
/// date field is served generically (`__contains`, `__icontains`, `__in`, `__gt`, `__lt`,
/// `__gte`, `__lte`, `__exact`, `__iexact`). Unknown parameters are ignored, as in DefectDojo.
public struct ListQueryBuilder: Sendable {
    public var schema: ResourceSchema
    public var context: FilterContext

    public init(schema: ResourceSchema, context: FilterContext) {
        self.schema = schema
        self.context = context
    }

    /// SQL conditions (to be AND-ed) for the given parameters, each with all of its values.
    public func conditions(for parameters: [(String, String)]) throws(FilterError) -> [SQLQueryString] {
        var grouped: [String: [String]] = [:]
        var order: [String] = []
        for (key, value) in parameters {
            if grouped[key] == nil { order.append(key) }
            grouped[key, default: []].append(value)
        }
        var result: [SQLQueryString] = []
        for key in order {
            guard let values = grouped[key] else { continue }
            if let spec = schema.filters.first(where: { $0.parameter == key }) {
                if let condition = try condition(spec, values: values) { result.append(condition) }
            } else if let (spec, lookupValues) = lookupFilter(key, values: values) {
                if let condition = try condition(spec, values: lookupValues) { result.append(condition) }
            }
        }
        return result
    }

    /// ORDER BY terms for an `o` value (nil: the default order). Throws DefectDojo's choice error.
    public func ordering(_ raw: String?) throws(FilterError) -> [SQLQueryString] {
        var terms: [SQLQueryString] = []
        var sawID = false
        if let raw, !raw.isEmpty, !schema.orderings.isEmpty {
            for item in raw.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
                let descending = item.hasPrefix("-")
                let name = descending ? String(item.dropFirst()) : item
                guard let column = schema.orderings[name] else {
                    throw FilterError(parameter: "o", message: "Select a valid choice. \(item) is not one of the available choices.")
                }
                if column == "id" { sawID = true }
                terms.append(orderTerm(column, descending: descending))
            }
        }
        if terms.isEmpty {
            for entry in schema.defaultOrder {
                if entry.column == "id" { sawID = true }
                terms.append(orderTerm(entry.column, descending: entry.descending))
            }
        }
        // A stable tie-breaker keeps limit/offset pages disjoint.
        if !sawID { terms.append("\(ident: schema.table).\(ident: "id") ASC") }
        return terms
    }

    private func orderTerm(_ column: String, descending: Bool) -> SQLQueryString {
        let direction: SQLQueryString = descending ? " DESC" : " ASC"
        // Columns may be written "table.column", or as a parenthesised expression declared by the schema.
        let parts = column.split(separator: ".")
        let reference: SQLQueryString = column.hasPrefix("(")
            ? "\(unsafeRaw: column)"
            : parts.count == 2
            ? "\(ident: String(parts[0])).\(ident: String(parts[1]))"
            : "\(ident: schema.table).\(ident: column)"
        // No NULLS FIRST/LAST: PostgreSQL's defaults already place NULLs as DefectDojo (on PostgreSQL) does,
        // and on SQLite the clause would keep the planner from walking the list-order indexes.
        return reference + direction
    }

    private static let lookups = ["contains", "icontains", "in", "gt", "lt", "gte", "lte", "exact", "iexact"]

    private func lookupFilter(_ key: String, values: [String]) -> (FilterSpec, [String])? {
        guard let range = key.range(of: "__", options: .backwards) else { return nil }
        let fieldName = String(key[..<range.lowerBound])
        let lookup = String(key[range.upperBound...])
        guard Self.lookups.contains(lookup), let field = schema.field(fieldName), field.isStored,
              field.access != .writeOnly, let column = field.column
        else { return nil }
        let valueType: FilterValueType
        switch field.kind {
        case .integer, .foreignKey: valueType = .integer
        case .float: valueType = .double
        case .string, .email, .choice, .decimal: valueType = .string
        case .date: valueType = .date
        case .dateTime: valueType = .dateTime
        case .boolean: valueType = .boolean
        default: return nil
        }
        let kind: FilterKind
        switch lookup {
        case "contains": kind = .contains
        case "icontains": kind = .icontains
        case "in": kind = .inList
        case "gt": kind = .greaterThan
        case "lt": kind = .lessThan
        case "gte": kind = .atLeast
        case "lte": kind = .atMost
        case "iexact": kind = .iexact
        default: kind = .exact
        }
        let textual = kind.isTextual
        return (FilterSpec(key, column: column, kind, textual ? .string : valueType), values)
    }

    private func column(_ spec: FilterSpec) -> SQLQueryString {
        let parts = spec.column.split(separator: ".")
        if parts.count == 2 { return "\(ident: String(parts[0])).\(ident: String(parts[1]))" }
        return "\(ident: schema.table).\(ident: spec.column)"
    }

    /// Builds the condition for one declared filter; nil when the value means "no filter".
    func condition(_ spec: FilterSpec, values: [String]) throws(FilterError) -> SQLQueryString? {
        guard let raw = values.last else { return nil }
        let col = column(spec)
        switch spec.kind {
        case .exact:
            if raw.isEmpty { return nil }
            if spec.valueType == .boolean {
                guard let flag = FilterValueParsing.boolean(raw) else { return nil }
                return "\(col) = \(bind: flag)"
            }
            if spec.valueType == .dateTime, let day = DateFormatting.parseDay(raw), raw.count == 10 {
                return "(\(col) >= \(bind: day) AND \(col) < \(bind: DateFormatting.adding(days: 1, to: day)))"
            }
            return "\(col) = \(bind: try FilterValueParsing.value(raw, as: spec.valueType, parameter: spec.parameter))"
        case .iexact:
            if raw.isEmpty { return nil }
            return "LOWER(\(col)) = \(bind: raw.lowercased())"
        case .icontains:
            if raw.isEmpty { return nil }
            return "LOWER(\(col)) LIKE \(bind: "%" + Self.escapeLike(raw.lowercased()) + "%") ESCAPE '\\'"
        case .contains:
            if raw.isEmpty { return nil }
            // LIKE is case-insensitive on SQLite; instr/strpos are case-sensitive on both.
            return context.dialect == "postgresql"
                ? "strpos(\(col), \(bind: raw)) > 0"
                : "instr(\(col), \(bind: raw)) > 0"
        case .inList, .multipleChoice:
            let items = spec.kind.isMultipleChoice
                ? values.filter { !$0.isEmpty }
                : FilterValueParsing.strings(raw)
            if items.isEmpty { return nil }
            var binds: [any Encodable & Sendable] = []
            for item in items { binds.append(try FilterValueParsing.value(item, as: spec.valueType, parameter: spec.parameter)) }
            return "\(col) IN (\(binds: binds))"
        case .lessThan, .greaterThan, .atLeast, .atMost:
            if raw.isEmpty { return nil }
            let value = try FilterValueParsing.value(raw, as: spec.valueType, parameter: spec.parameter)
            let op: SQLQueryString
            switch spec.kind {
            case .lessThan: op = "<"
            case .greaterThan: op = ">"
            case .atLeast: op = ">="
            default: op = "<="
            }
            // An inclusive upper bound given as a bare day on a timestamp covers that whole day.
            if spec.valueType == .dateTime, spec.kind.isUpperInclusive, raw.count == 10, let day = DateFormatting.parseDay(raw) {
                return "\(col) < \(bind: DateFormatting.adding(days: 1, to: day))"
            }
            return "\(col) \(op) \(bind: value)"
        case .dateRangeChoice:
            guard let lower = dateRangeStart(raw) else { return nil }
            if spec.valueType == .date { return "\(col) >= \(bind: DateFormatting.day(lower))" }
            return "\(col) >= \(bind: lower)"
        case .tagsAny(let objectType), .tagsAll(let objectType), .tagsNone(let objectType):
            let names = Self.tagNames(raw)
            if names.isEmpty { return nil }
            let tagged = Self.taggedObjects(objectType: objectType, names: names, requireAll: spec.kind.isTagsAll)
            if case .tagsNone = spec.kind { return "\(col) NOT IN (" + tagged + ")" }
            return "\(col) IN (" + tagged + ")"
        case .tagContains(let objectType), .tagNotContains(let objectType):
            if raw.isEmpty { return nil }
            let subquery: SQLQueryString =
                "SELECT \(ident: "object_id") FROM \(ident: "tags") WHERE \(ident: "object_type") = \(bind: objectType) AND \(ident: "name") LIKE \(bind: "%" + Self.escapeLike(raw.lowercased()) + "%") ESCAPE '\\'"
            if case .tagContains = spec.kind { return "\(col) IN (\(subquery))" }
            return "\(col) NOT IN (\(subquery))"
        case .hasTags(let objectType):
            guard let flag = FilterValueParsing.boolean(raw) else { return nil }
            let subquery: SQLQueryString = "SELECT \(ident: "object_id") FROM \(ident: "tags") WHERE \(ident: "object_type") = \(bind: objectType)"
            return flag ? "\(col) IN (\(subquery))" : "\(col) NOT IN (\(subquery))"
        case .custom(let build):
            return try build(raw, context)
        }
    }

    /// Lower-cased tag names of a comma-separated filter value.
    public static func tagNames(_ raw: String) -> [String] {
        FilterValueParsing.strings(raw).map { $0.lowercased() }
    }

    /// `SELECT object_id FROM tags …`: objects of `objectType` carrying any of `names`, or all of them.
    public static func taggedObjects(objectType: String, names: [String], requireAll: Bool) -> SQLQueryString {
        let any: SQLQueryString =
            "SELECT \(ident: "object_id") FROM \(ident: "tags") WHERE \(ident: "object_type") = \(bind: objectType) AND \(ident: "name") IN (\(binds: names))"
        guard requireAll else { return any }
        return any + " GROUP BY \(ident: "object_id") HAVING COUNT(DISTINCT \(ident: "name")) = \(literal: names.count)"
    }

    /// Lower bound of DefectDojo's DateRangeFilter choice; nil for anything but 1–7.
    func dateRangeStart(_ raw: String) -> Date? {
        let today = DateFormatting.startOfDay(context.now)
        switch raw {
        case "1": return today
        case "2": return DateFormatting.adding(days: -7, to: today)
        case "3": return DateFormatting.adding(days: -30, to: today)
        case "4": return DateFormatting.adding(days: -90, to: today)
        case "5": return DateFormatting.startOfMonth(context.now)
        case "6": return DateFormatting.startOfYear(context.now)
        case "7": return DateFormatting.adding(days: -365, to: today)
        default: return nil
        }
    }

    /// Escapes `%`, `_` and `\` for a LIKE pattern used with `ESCAPE '\'`.
    static func escapeLike(_ text: String) -> String {
        var out = ""
        for ch in text {
            if ch == "%" || ch == "_" || ch == "\\" { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}

extension FilterKind {
    var isTextual: Bool {
        switch self {
        case .contains, .icontains, .iexact: return true
        default: return false
        }
    }

    var isMultipleChoice: Bool { if case .multipleChoice = self { return true } else { return false } }
    var isTagsAll: Bool { if case .tagsAll = self { return true } else { return false } }

    var isUpperInclusive: Bool { if case .atMost = self { return true } else { return false } }
}
