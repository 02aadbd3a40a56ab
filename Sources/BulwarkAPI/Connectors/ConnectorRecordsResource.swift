import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit

/// `connector_records/`: the assets discover found. PATCH `product` maps a record (state `good`),
/// `product: null` unmaps it (`new`); `state` `ignored` hides it from syncs and `new` un-ignores it.
public enum ConnectorRecordsResource {
    static let states = ["new", "good", "ignored", "stale", "missing"]

    public static let schema = ResourceSchema(
        path: "connector_records", table: "connector_records", modelName: "Connector_Record",
        fields: [
            FieldSpec("id", .integer(), .readOnly),
            FieldSpec("connector", .foreignKey(table: "connectors"), .readOnly),
            FieldSpec("external_id", .string(), .readOnly),
            FieldSpec("name", .string(), .readOnly),
            FieldSpec("state", .choice(states)),
            FieldSpec("product", .foreignKey(table: "products"), nullable: true),
            FieldSpec("first_discovered", .dateTime, .readOnly),
            FieldSpec("last_discovered", .dateTime, .readOnly),
            FieldSpec("finalized_at", .dateTime, .readOnly, nullable: true),
            FieldSpec("metadata", .computed, .readOnly).documented(OpenAPISchema.anyObject),
            FieldSpec("last_synced_at", .dateTime, .readOnly, nullable: true),
            FieldSpec("last_sync_status", .string(), .readOnly, nullable: true),
            FieldSpec("last_sync_error", .string(), .readOnly, nullable: true),
        ],
        filters: [
            FilterSpec("id", .inList, .integer), FilterSpec("connector", column: "connector_id", .exact, .integer),
            FilterSpec("state", .inList), FilterSpec("product", column: "product_id", .exact, .integer), FilterSpec("external_id", .exact),
            FilterSpec("name__icontains", column: "name", .icontains),
        ],
        orderings: ResourceSchema.orderings(["id", "name", "state", "last_discovered", "last_synced_at"]),
        computed: ["metadata": { ids, db in
            var out: [Int: JSONValue] = [:]
            for row in try await db.rows("SELECT id, metadata FROM connector_records WHERE id IN (\(binds: ids))") {
                out[try row.int("id") ?? 0] = JSONValue.parseOrdered(try row.string("metadata") ?? "{}") ?? .object([])
            }
            return out
        }])

    public static let definition = ResourceDefinition(
        schema: schema, component: "ConnectorRecord", policy: .superuserOnly,
        hooks: ResourceHooks(prepare: { context, _, id, input in
            guard let id, let row = try await context.db.rows("SELECT state, product_id FROM connector_records WHERE id = \(bind: id)").first else { return }
            let currentProduct = try row.int("product_id")
            let productSent = input.values["product"] != nil
            let product: Int? = productSent ? input.values["product"]?.intValue : currentProduct
            if productSent, input.values["product"]?.intValue != nil { input.set("finalized_at", .date(context.now)) }
            var state = try row.string("state") ?? "new"
            if let wanted = input.values["state"]?.stringValue {
                switch wanted {
                case "ignored": state = "ignored"
                case "new", "good": state = product == nil ? "new" : "good"
                default: throw APIError.field("state", "Only \"ignored\", \"new\" or \"good\" can be set; other states follow discover and sync.")
                }
            } else if productSent {
                state = product == nil ? (state == "ignored" ? "ignored" : "new") : (state == "ignored" ? "ignored" : "good")
            }
            input.set("state", .string(state))
        }),
        actions: [.list, .retrieve, .update])
}
