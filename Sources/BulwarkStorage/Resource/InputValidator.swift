import Foundation
import SQLKit

/// Whether a write creates a row, replaces it (PUT) or patches it (PATCH).
public enum WriteMode: Sendable {
    case create, replace, partial
}

/// Field errors in the order they were found, rendered as DRF's `{"field": ["message"]}`.
public struct ValidationErrors: Error, Sendable {
    public var fields: [(String, [String])] = []
    public init() {}
    public init(_ field: String, _ message: String) { add(field, message) }
    public var isEmpty: Bool { fields.isEmpty }
    public mutating func add(_ field: String, _ message: String) {
        if let index = fields.firstIndex(where: { $0.0 == field }) { fields[index].1.append(message) }
        else { fields.append((field, [message])) }
    }
}

/// A request body checked against a schema: column values ready to bind, plus tags and id lists.
public struct ValidatedInput: Sendable {
    public var columns: [(String, SQLBindValue)] = []
    public var tags: [String]?
    public var idLists: [String: [Int]] = [:]
    /// Accepted values by field name (after conversion), for hooks and cross-field checks.
    public var values: [String: JSONValue] = [:]
    public init() {}

    /// Sets or replaces one column value.
    public mutating func set(_ column: String, _ value: SQLBindValue) {
        if let index = columns.firstIndex(where: { $0.0 == column }) { columns[index].1 = value } else { columns.append((column, value)) }
    }

    /// Removes a column value (for write-only fields handled by a hook).
    public mutating func remove(_ column: String) { columns.removeAll { $0.0 == column } }
}

/// Validates request bodies for a resource with DRF's rules and messages.
public struct InputValidator: Sendable {
    public let schema: ResourceSchema
    public let db: any SQLDatabase

    public init(schema: ResourceSchema, db: any SQLDatabase) {
        self.schema = schema
        self.db = db
    }

    /// Checks `body` for a write; `id` is the row being updated (for unique checks).
    public func validate(_ body: [String: JSONValue], mode: WriteMode, id: Int? = nil) async throws -> Result<ValidatedInput, ValidationErrors> {
        var errors = ValidationErrors()
        var input = ValidatedInput()
        for field in schema.fields {
            let accepted = mode == .create ? field.acceptsOnCreate : field.acceptsOnUpdate
            guard accepted else { continue }
            guard var raw = body[field.name] else {
                if mode != .partial && field.required { errors.add(field.name, "This field is required.") }
                else if mode == .create, let fallback = field.defaultValue { input = try await apply(field, fallback, to: input, errors: &errors, id: id) }
                continue
            }
            // Forms send lists as repeated keys; a single value stands for a one-item list there.
            if case .array(let items) = raw, !field.kind.takesStructuredValue, let last = items.last { raw = last }
            input = try await apply(field, raw, to: input, errors: &errors, id: id)
        }
        return errors.isEmpty ? .success(input) : .failure(errors)
    }

    private func apply(_ field: FieldSpec, _ raw: JSONValue, to current: ValidatedInput, errors: inout ValidationErrors, id: Int?) async throws -> ValidatedInput {
        var input = current
        if raw.isNull {
            if field.nullable { if let column = field.column, field.isStored { input.set(column, .null) }; input.values[field.name] = .null }
            else if field.kind.isList { input.values[field.name] = .array([]); if case .tags = field.kind { input.tags = [] } }
            else { errors.add(field.name, "This field may not be null.") }
            return input
        }
        switch FieldConversion.convert(raw, kind: field.kind, allowBlank: field.allowBlank, nullable: field.nullable) {
        case .failure(let failure):
            errors.add(field.name, failure.message)
        case .success(let converted):
            input.values[field.name] = converted.json
            switch field.kind {
            case .tags:
                input.tags = converted.tags
            case .idList(_, _, _, let targetTable):
                let ids = converted.ids
                if let targetTable, let missing = try await firstMissing(ids, in: targetTable) {
                    errors.add(field.name, "Invalid pk \"\(missing)\" - object does not exist.")
                }
                input.idLists[field.name] = ids
            case .foreignKey(let table):
                if case .int(let target) = converted.bind, try await firstMissing([target], in: table) != nil {
                    errors.add(field.name, "Invalid pk \"\(target)\" - object does not exist.")
                }
                if let column = field.column { input.set(column, converted.bind) }
            case .computed:
                break
            default:
                if let message = field.uniqueMessage, let column = field.column, try await isTaken(column, converted.bind, excluding: id) {
                    errors.add(field.name, message)
                }
                if let column = field.column { input.set(column, converted.bind) }
            }
        }
        return input
    }

    private func firstMissing(_ ids: [Int], in table: String) async throws -> Int? {
        guard !ids.isEmpty else { return nil }
        let rows = try await db.raw("SELECT \(ident: "id") FROM \(ident: table) WHERE \(ident: "id") IN (\(binds: ids))").all()
        let found = Set(try rows.map { try $0.decode(column: "id", as: Int.self) })
        return ids.first { !found.contains($0) }
    }

    private func isTaken(_ column: String, _ value: SQLBindValue, excluding id: Int?) async throws -> Bool {
        guard value != .null else { return false }
        var query: SQLQueryString = "SELECT 1 AS \(ident: "one") FROM \(ident: schema.table) WHERE \(ident: column) = " + value.sql
        if let id { query = query + " AND \(ident: "id") <> \(bind: id)" }
        return try await db.raw(query).first() != nil
    }
}

extension FieldKind {
    /// `true` for kinds whose value is a JSON list.
    var isList: Bool {
        switch self {
        case .tags, .idList: return true
        default: return false
        }
    }

    /// `true` for kinds that take a list or structured value as is (computed fields validate their own).
    var takesStructuredValue: Bool {
        switch self {
        case .tags, .idList, .computed: return true
        default: return false
        }
    }
}
