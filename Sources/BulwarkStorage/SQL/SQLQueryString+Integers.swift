import SQLKit

/// A parenthesised set of integers for `IN`, such as the ids of one page.
///
/// SQLite reads them from a single JSON text literal with `json_each`, which is far cheaper to
/// prepare and run than hundreds of binds or literals (a page's relation query probes eight
/// tables with the same ids). Other dialects get an inline literal list. The text is only digits,
/// minus signs and commas, so it cannot inject SQL.
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
            serializer.write("(SELECT value FROM json_each('[\(list)]'))")
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
