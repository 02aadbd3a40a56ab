import Foundation
import SQLKit

/// Loads a computed field for a page of rows in one query: ids in, values by id out.
public typealias ComputedFieldLoader = @Sendable (_ ids: [Int], _ db: any SQLDatabase) async throws -> [Int: JSONValue]

/// Loads several computed fields for a page of rows in one query: field name → values by id.
/// It gets the page's rows as well as their ids, so values computable from the row's own
/// columns need no query of their own.
public typealias ComputedGroupLoader = @Sendable (_ page: PageRows, _ db: any SQLDatabase) async throws -> [String: [Int: JSONValue]]

/// One page of a resource as its SELECT returned it: the rows and their ids, in order.
public struct PageRows: Sendable {
    public let ids: [Int]
    public let rows: [ResultRow]

    public init(ids: [Int], rows: [ResultRow]) {
        self.ids = ids
        self.rows = rows
    }
}

/// One child table removed with its parent, for cascading deletes and `delete_preview`.
public struct CascadeRule: Sendable {
    public var table: String
    public var model: String
    public var foreignKey: String
    public var nameColumn: String?
    public var tagObjectType: String?
    public var children: [CascadeRule]

    /// - Parameters:
    ///   - table: the child table.
    ///   - model: DefectDojo's model name shown by `delete_preview` (`"product"`).
    ///   - foreignKey: the child's column pointing at the parent id.
    ///   - nameColumn: column shown as `name` in the preview (nil: the model name and id).
    public init(table: String, model: String, foreignKey: String, nameColumn: String? = "name",
                tagObjectType: String? = nil, children: [CascadeRule] = []) {
        self.table = table
        self.model = model
        self.foreignKey = foreignKey
        self.nameColumn = nameColumn
        self.tagObjectType = tagObjectType
        self.children = children
    }
}

/// Everything the generic machinery needs to serve one DefectDojo resource: its table,
/// fields in DefectDojo's order, filters, `o` values and cascades.
public struct ResourceSchema: Sendable {
    /// Path segment under `/api/v2/` without slashes (`"product_types"`).
    public var path: String
    public let table: String
    /// DefectDojo's model name, lower-case as in delete previews (`"product type"`).
    public var modelName: String
    /// Column shown as `name` in delete previews.
    public var nameColumn: String
    /// Object type in the shared `tags` table, when the resource has tags.
    public var tagObjectType: String?
    public let fields: [FieldSpec]
    /// How rows are rendered, derived once from `table`, `fields` and `constants` (which are therefore constants).
    let renderPlan: RenderPlan
    public var filters: [FilterSpec]
    /// `o` values allowed, mapped to columns (`column`, `table.column`, or a parenthesised SQL
    /// expression); empty means the resource has no `o` parameter.
    public var orderings: [String: String]
    /// Order used without `o`: columns with a descending flag. `id` is always the final tie-breaker.
    public var defaultOrder: [(column: String, descending: Bool)]
    public var computed: [String: ComputedFieldLoader]
    /// Computed fields with the same value on every row (DefectDojo's unsupported features:
    /// `push_to_jira: false`, `files: []`…): rendered from the declaration, nothing loaded per page.
    public let constants: [String: JSONValue]
    /// Loaders that fill several computed fields at once (e.g. age, SLA and status from one join).
    public var computedGroups: [ComputedGroupLoader]
    public var cascades: [CascadeRule]
    /// Tables with rows pointing at this resource that block deletion (DefectDojo's protected FKs) → 409.
    public var protectedBy: [(table: String, foreignKey: String)]

    public init(
        path: String, table: String, modelName: String, nameColumn: String = "name", tagObjectType: String? = nil,
        fields: [FieldSpec], filters: [FilterSpec], orderings: [String: String] = [:],
        defaultOrder: [(column: String, descending: Bool)] = [("id", false)],
        computed: [String: ComputedFieldLoader] = [:], constants: [String: JSONValue] = [:], computedGroups: [ComputedGroupLoader] = [], cascades: [CascadeRule] = [],
        protectedBy: [(table: String, foreignKey: String)] = []
    ) {
        self.path = path
        self.table = table
        self.modelName = modelName
        self.nameColumn = nameColumn
        self.tagObjectType = tagObjectType
        self.fields = fields
        self.constants = constants
        self.renderPlan = RenderPlan(table: table, fields: fields, constants: constants)
        self.filters = filters
        self.orderings = orderings
        self.defaultOrder = defaultOrder
        self.computed = computed
        self.computedGroups = computedGroups
        self.cascades = cascades
        self.protectedBy = protectedBy
    }

    /// The field called `name`, if declared.
    public func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }

    /// Fields stored in the resource's own table, in declaration order.
    public var storedFields: [FieldSpec] { fields.filter(\.isStored) }

    /// Convenience: the `o` map for fields ordered by their own column.
    public static func orderings(_ names: [String], columns: [String: String] = [:]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: names.map { ($0, columns[$0] ?? $0) })
    }
}
