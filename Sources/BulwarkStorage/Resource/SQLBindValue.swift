import Foundation
import SQLKit

/// A typed value for an INSERT or UPDATE; `null` is written as the SQL literal so PostgreSQL
/// never sees an untyped text NULL for an integer or timestamp column.
public enum SQLBindValue: Sendable, Equatable {
    case null
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)
    case date(Date)

    /// `.int(value)`, or `.null` for nil.
    public static func optional(_ value: Int?) -> SQLBindValue { value.map(SQLBindValue.int) ?? .null }

    /// The SQL fragment: a bind, or the literal NULL.
    public var sql: SQLQueryString {
        switch self {
        case .null: return "NULL"
        case .int(let v): return "\(bind: v)"
        case .double(let v): return "\(bind: v)"
        case .string(let v): return "\(bind: v)"
        case .bool(let v): return "\(bind: v)"
        case .date(let v): return "\(bind: v)"
        }
    }
}

/// A storage failure with a stable code and context.
public struct StorageError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable {
        case insertFailed, notFound, constraint
    }
    public var code: Code
    public var message: String
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { "\(code.rawValue): \(message)" }
}
