import SQLKit

/// A parenthesised set of integers for `IN`, such as the ids of one page.
///
/// SQLite reads them from one bound JSON array with `json_each`, which is far cheaper to prepare
/// and run than hundreds of binds or literals (a page's relation query probes eight tables with the
/// same ids), and keeps the statement's text the same from page to page, so read connections reuse
/// it prepared. Other dialects get an inline literal list; its text is only digits, minus signs and
/// commas, so it cannot inject SQL.
public struct SQLIntegerSet: SQLExpression {
    public let values: [Int]

    public init(_ values: [Int]) { self.values = values }

    public func serialize(to serializer: inout SQLSerializer) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 8)
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONBytes.appendInt(value, to: &bytes)
        }
        let list = String(decoding: bytes, as: UTF8.self)
        if serializer.dialect.name == "sqlite" {
            serializer.write("(SELECT value FROM json_each(")
            serializer.write(bind: "[\(list)]")
            serializer.write("))")
        } else {
            serializer.write(list.isEmpty ? "(NULL)" : "(\(list))")
        }
    }
}

extension SQLQueryString {
    /// Interpolates an ``SQLIntegerSet``: `column IN \(integerSet: ids)`.
    public mutating func appendInterpolation(integerSet values: [Int]) {
        appendInterpolation(SQLIntegerSet(values))
    }
}

/// A parenthesised set of strings for `IN`, such as the hash codes of an import.
///
/// SQLite reads them from ONE bound JSON array with `json_each`, so a set of any size is one
/// short statement to prepare; other dialects get one bind per value (keep those sets within
/// the dialect's bind limit).
public enum SQLTextSet {
    /// How many values one set should hold: SQLite takes any number in its one bind, other
    /// dialects bind each value (and inline integer sets), so they get smaller sets.
    public static func maximumSize(dialect: String) -> Int { dialect == "sqlite" ? 50_000 : 500 }

    public static func expression(_ values: [String], dialect: String) -> SQLQueryString {
        guard dialect == "sqlite" else { return values.isEmpty ? "(NULL)" : "(\(binds: values))" }
        var json: [UInt8] = [UInt8(ascii: "[")]
        json.reserveCapacity(values.count * 24)
        for (index, value) in values.enumerated() {
            if index > 0 { json.append(UInt8(ascii: ",")) }
            JSONBytes.appendString(value, to: &json)
        }
        json.append(UInt8(ascii: "]"))
        return "(SELECT value FROM json_each(\(bind: String(decoding: json, as: UTF8.self))))"
    }
}
