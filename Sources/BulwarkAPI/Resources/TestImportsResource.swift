import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit

/// `test_imports/`: the history of imports and reimports with their per-finding actions.
public enum TestImportsResource {
    static func actionFilter(_ parameter: String, _ condition: @escaping @Sendable (String) throws(FilterError) -> SQLQueryString?) -> FilterSpec {
        FilterSpec(parameter, column: "id", .custom({ raw, _ throws(FilterError) in
            guard !raw.isEmpty, let inner = try condition(raw) else { return nil }
            return "\(ident: "test_imports").\(ident: "id") IN (SELECT \(ident: "test_import_id") FROM \(ident: "test_import_finding_actions") WHERE " + inner + ")"
        }))
    }

    public static let schema = ResourceSchema(
        path: "test_imports", table: "test_imports", modelName: "Test_Import", nameColumn: "type",
        fields: [
            FieldSpec("id", .integer(), .readOnly),
            FieldSpec("test_import_finding_action_set", .computed, .readOnly).documented(OpenAPISchema.array(OpenAPISchema.ref("TestImportFindingAction"))),
            FieldSpec("created", .dateTime, .readOnly),
            FieldSpec("modified", .dateTime, .readOnly),
            FieldSpec("import_settings", .computed).documented(OpenAPISchema.nullable(OpenAPISchema.anyObject)),
            FieldSpec("type", .string(maxLength: 64), defaultValue: .string("unknown")),
            FieldSpec("version", .string(maxLength: 100), nullable: true),
            FieldSpec("build_id", .string(maxLength: 150), nullable: true),
            FieldSpec("commit_hash", .string(maxLength: 150), nullable: true),
            FieldSpec("branch_tag", .string(maxLength: 150), nullable: true),
            FieldSpec("test", .foreignKey(table: "tests"), required: true),
            FieldSpec("findings_affected", .computed, .readOnly).documented(OpenAPISchema.array(OpenAPISchema.integer)),
        ],
        filters: [
            FilterSpec("test", column: "test_id", .exact, .integer),
            FilterSpec("version", .exact), FilterSpec("branch_tag", .exact), FilterSpec("build_id", .exact), FilterSpec("commit_hash", .exact),
            actionFilter("findings_affected") { raw throws(FilterError) in
                "\(ident: "finding_id") IN (\(binds: try FilterValueParsing.integers(raw, parameter: "findings_affected")))"
            },
            actionFilter("test_import_finding_action__action") { raw throws(FilterError) in "\(ident: "action") = \(bind: raw)" },
            actionFilter("test_import_finding_action__finding") { raw throws(FilterError) in
                "\(ident: "finding_id") IN (\(binds: try FilterValueParsing.integers(raw, parameter: "test_import_finding_action__finding")))"
            },
            actionFilter("test_import_finding_action__created") { raw throws(FilterError) in
                guard let instant = DateFormatting.parseInstant(raw) ?? DateFormatting.parseDay(raw) else {
                    throw FilterError(parameter: "test_import_finding_action__created", message: "Enter a valid date/time.")
                }
                return "\(ident: "created") = \(bind: instant)"
            },
        ],
        orderings: ResourceSchema.orderings(["id", "created", "modified", "version", "branch_tag", "build_id", "commit_hash"]),
        defaultOrder: [("id", true)],
        computed: [
            "import_settings": { ids, db in
                let rows = try await db.raw("SELECT id, import_settings FROM test_imports WHERE id IN (\(binds: ids))").all()
                var out: [Int: JSONValue] = [:]
                for row in rows {
                    let text = try row.decode(column: "import_settings", as: String?.self)
                    out[try row.decode(column: "id", as: Int.self)] = text.flatMap { JSONValue.parseOrdered($0) } ?? .null
                }
                return out
            },
        ],
        computedGroups: [actionsGroup])

    /// `test_import_finding_action_set` and `findings_affected` from one query per page.
    static let actionsGroup: ComputedGroupLoader = { page, db in
        let ids = page.ids
        var actions: [Int: [JSONValue]] = [:]
        var affected: [Int: [JSONValue]] = [:]
        for chunk in ids.chunked(500) {
            let rows = try await db.raw("""
                SELECT id, test_import_id, finding_id, action, created, modified FROM test_import_finding_actions
                WHERE test_import_id IN (\(binds: chunk)) ORDER BY id
                """).all()
            for row in rows {
                let importID = try row.decode(column: "test_import_id", as: Int.self)
                let finding = try row.decode(column: "finding_id", as: Int.self)
                let created = try row.decode(column: "created", as: Date?.self).map { JSONValue.string(DateFormatting.instant($0)) } ?? .null
                let modified = try row.decode(column: "modified", as: Date?.self).map { JSONValue.string(DateFormatting.instant($0)) } ?? .null
                actions[importID, default: []].append(.object([
                    ("id", .int(try row.decode(column: "id", as: Int.self))), ("created", created), ("modified", modified),
                    ("action", .string(try row.decode(column: "action", as: String.self))), ("test_import", .int(importID)), ("finding", .int(finding)),
                ]))
                affected[importID, default: []].append(.int(finding))
            }
        }
        return [
            "test_import_finding_action_set": Dictionary(uniqueKeysWithValues: ids.map { ($0, JSONValue.array(actions[$0] ?? [])) }),
            "findings_affected": Dictionary(uniqueKeysWithValues: ids.map { ($0, JSONValue.array(affected[$0] ?? [])) }),
        ]
    }

    public static let definition = ResourceDefinition(
        schema: schema, component: "TestImport",
        // History is written by imports; by hand only superusers change or delete it.
        policy: {
            var policy = ProductScope.policy(path: .testImports, productOfInput: ProductScope.product(ofField: "test", on: .tests))
            policy.canUpdate = { context, _ in context.user.isSuperuser }
            policy.canDelete = { context, _ in context.user.isSuperuser }
            return policy
        }(),
        hooks: ResourceHooks(prepare: { context, mode, _, input in
            if mode == .create { input.set("created", .date(context.now)) }
            input.set("modified", .date(context.now))
            if let settings = input.values["import_settings"] {
                guard case .object = settings else { throw APIError.field("import_settings", "Value must be valid JSON.") }
                input.set("import_settings", .string(settings.serializedString()))
            }
        }),
        prefetch: ["test": "tests", "findings_affected": "findings"])
}
