import Foundation

/// How a DefectDojo field is typed, stored and validated.
public enum FieldKind: Sendable {
    /// Integer column.
    case integer(minimum: Int? = nil)
    /// Float column (`epss_score`, `cvssv3_score`…), optionally bounded.
    case float(minimum: Double? = nil, maximum: Double? = nil)
    /// Text column with an optional maximum length.
    case string(maxLength: Int? = nil)
    /// Text column that must be an e-mail address.
    case email
    /// Text column restricted to a set of values.
    case choice([String])
    /// Boolean column.
    case boolean
    /// Date stored as `YYYY-MM-DD` text.
    case date
    /// Timestamp column, rendered as ISO-8601 UTC.
    case dateTime
    /// Decimal stored as text, rendered as a string with `scale` decimals.
    case decimal(scale: Int)
    /// Integer id of a row in another table; validated on write.
    case foreignKey(table: String)
    /// List of ids kept in a join table; `joinTable(ownerColumn, targetColumn)`.
    case idList(joinTable: String, ownerColumn: String, targetColumn: String, targetTable: String?)
    /// Lower-cased tag names kept in the shared `tags` table.
    case tags
    /// Value computed by the resource (counts, nested objects); read-only.
    case computed
}

/// Whether clients may send a field.
public enum FieldAccess: Sendable {
    /// Rendered, never accepted.
    case readOnly
    /// Rendered and accepted.
    case writable
    /// Accepted on create only, rendered (DefectDojo's `name` of test types, `engagement` of tests).
    case writableOnCreate
    /// Accepted, never rendered (`password`).
    case writeOnly
}

/// One field of a resource: its JSON name, storage column, kind and validation rules.
public struct FieldSpec: Sendable {
    public var name: String
    public var column: String?
    public var kind: FieldKind
    public var access: FieldAccess
    public var required: Bool
    public var nullable: Bool
    public var allowBlank: Bool
    public var defaultValue: JSONValue?
    /// Django's verbose name of the model, used in the unique-violation message.
    public var uniqueMessage: String?
    /// The OpenAPI schema of a computed field's value (stored kinds derive theirs from `kind`).
    public var documentedSchema: JSONValue?

    /// Declares a field.
    /// - Parameters:
    ///   - name: JSON name, exactly as DefectDojo spells it.
    ///   - column: storage column; defaults to `name` for stored kinds, nil for computed/join kinds.
    ///   - required: must be present on create (and PUT).
    ///   - nullable: `null` accepted.
    ///   - allowBlank: empty strings accepted.
    ///   - defaultValue: stored on create when the field is omitted.
    ///   - unique: message for a duplicate value, e.g. `"product type with this name already exists."`.
    public init(
        _ name: String, _ kind: FieldKind, _ access: FieldAccess = .writable, column: String? = nil,
        required: Bool = false, nullable: Bool = false, allowBlank: Bool = true,
        defaultValue: JSONValue? = nil, unique: String? = nil
    ) {
        self.name = name
        self.kind = kind
        self.access = access
        self.required = required
        self.nullable = nullable
        self.allowBlank = allowBlank
        self.defaultValue = defaultValue
        self.uniqueMessage = unique
        switch kind {
        case .computed, .tags, .idList: self.column = column
        case .foreignKey: self.column = column ?? "\(name)_id"
        default: self.column = column ?? name
        }
    }

    /// The same field with the OpenAPI schema its rendered value follows.
    public func documented(_ schema: JSONValue) -> FieldSpec {
        var copy = self
        copy.documentedSchema = schema
        return copy
    }

    /// `true` when the value lives in a column of the resource's own table.
    public var isStored: Bool {
        switch kind {
        case .computed, .tags, .idList: return false
        default: return column != nil
        }
    }

    /// `true` when clients may send it on create.
    public var acceptsOnCreate: Bool { access != .readOnly }
    /// `true` when clients may send it on update.
    public var acceptsOnUpdate: Bool { access == .writable || access == .writeOnly }
    /// `true` when responses include it.
    public var isRendered: Bool { access != .writeOnly }
}
