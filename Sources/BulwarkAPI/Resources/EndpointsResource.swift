import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit
import Vapor

/// `endpoints/`: hosts and URLs of a product that findings point at.
public enum EndpointsResource {
    static let activeFindingCount =
        "(SELECT COUNT(*) FROM \"endpoint_status\" \"es\" JOIN \"findings\" \"f\" ON \"f\".\"id\" = \"es\".\"finding_id\" WHERE \"es\".\"endpoint_id\" = \"endpoints\".\"id\" AND \"f\".\"active\" AND NOT \"es\".\"mitigated\")"

    public static let schema = ResourceSchema(
        path: "endpoints", table: "endpoints", modelName: "Endpoint", nameColumn: "host", tagObjectType: "endpoint",
        fields: [
            FieldSpec("id", .integer(), .readOnly),
            FieldSpec("tags", .tags),
            FieldSpec("active_finding_count", .computed, .readOnly).documented(OpenAPISchema.integer),
            FieldSpec("protocol", .string(maxLength: 20), nullable: true),
            FieldSpec("userinfo", .string(maxLength: 500), nullable: true),
            FieldSpec("host", .string(maxLength: 500), nullable: true),
            FieldSpec("port", .integer(minimum: 0), nullable: true),
            FieldSpec("path", .string(maxLength: 500), nullable: true),
            FieldSpec("query", .string(maxLength: 1000), nullable: true),
            FieldSpec("fragment", .string(maxLength: 500), nullable: true),
            FieldSpec("product", .foreignKey(table: "products"), required: true),
            FieldSpec("endpoint_params", .computed, .readOnly).documented(OpenAPISchema.array(OpenAPISchema.anyObject)),
            FieldSpec("findings", .idList(joinTable: "endpoint_status", ownerColumn: "endpoint_id", targetColumn: "finding_id", targetTable: nil), .readOnly),
        ],
        filters: ["protocol", "userinfo", "host", "path", "query", "fragment"].map { FilterSpec($0, .exact) } + [
            FilterSpec("id", .exact, .integer),
            FilterSpec("port", .exact, .integer),
            FilterSpec("product", column: "product_id", .exact, .integer),
        ] + FilterSpec.tagFilters(objectType: "endpoint"),
        orderings: ResourceSchema.orderings(["host", "product", "id", "active_finding_count"],
                                            columns: ["product": "product_id", "active_finding_count": activeFindingCount]),
        computed: [
            "active_finding_count": { ids, db in
                let rows = try await db.raw("""
                    SELECT es.endpoint_id, COUNT(*) AS n FROM endpoint_status es JOIN findings f ON f.id = es.finding_id
                    WHERE es.endpoint_id IN (\(binds: ids)) AND f.active = \(bind: true) AND es.mitigated = \(bind: false) GROUP BY es.endpoint_id
                    """).all()
                var out = Dictionary(uniqueKeysWithValues: ids.map { ($0, JSONValue.int(0)) })
                for row in rows { out[try row.decode(column: "endpoint_id", as: Int.self)] = .int(try row.decode(column: "n", as: Int.self)) }
                return out
            },
        ],
        constants: ["endpoint_params": .array([])])

    public static let definition = ResourceDefinition(
        schema: schema, component: "Endpoint",
        policy: ProductScope.policy(path: .endpoints, referenceField: "product") { _, input in input.values["product"]?.intValue },
        hooks: ResourceHooks(prepare: { context, _, id, input in
            // The same URL parts twice in one product are refused, as DefectDojo does.
            let parts = ["protocol", "userinfo", "host", "port", "path", "query", "fragment"]
            var current: [String: JSONValue] = [:]
            if let id, let object = try await ResourceRepository(schema: schema, db: context.db).fetch(id: id) {
                for part in parts + ["product"] { current[part] = object[part] }
            }
            guard let product = (input.values["product"] ?? current["product"])?.intValue else { return }
            var conditions: [SQLQueryString] = ["product_id = \(bind: product)"]
            for part in parts {
                let value = input.values[part] ?? current[part] ?? .null
                switch value {
                case .string(let text): conditions.append("\(ident: part) = \(bind: text)")
                case .int(let number): conditions.append("\(ident: part) = \(bind: number)")
                default: conditions.append("\(ident: part) IS NULL")
                }
            }
            if let id { conditions.append("id <> \(bind: id)") }
            if try await context.db.raw("SELECT id FROM endpoints WHERE " + conditions.joined(separator: " AND ")).first() != nil {
                throw APIError.field("non_field_errors", "It appears as though an endpoint with this data already exists for this product.")
            }
        }),
        prefetch: ["product": "products", "findings": "findings"])
}

/// `endpoint_status/`: the status of one finding on one endpoint.
public enum EndpointStatusResource {
    public static let schema = ResourceSchema(
        path: "endpoint_status", table: "endpoint_status", modelName: "Endpoint_Status", nameColumn: "id",
        fields: [
            FieldSpec("id", .integer(), .readOnly),
            FieldSpec("date", .date),
            FieldSpec("last_modified", .dateTime, .readOnly),
            FieldSpec("mitigated", .boolean, defaultValue: .bool(false)),
            FieldSpec("mitigated_time", .dateTime, .readOnly),
            FieldSpec("mitigated_by", .foreignKey(table: "users"), nullable: true),
            FieldSpec("false_positive", .boolean, defaultValue: .bool(false)),
            FieldSpec("out_of_scope", .boolean, defaultValue: .bool(false)),
            FieldSpec("risk_accepted", .boolean, defaultValue: .bool(false)),
            FieldSpec("endpoint", .foreignKey(table: "endpoints"), required: true),
            FieldSpec("finding", .foreignKey(table: "findings"), required: true),
        ],
        filters: ["mitigated", "false_positive", "out_of_scope", "risk_accepted"].map { FilterSpec($0, .exact, .boolean) } + [
            FilterSpec("mitigated_by", column: "mitigated_by_id", .exact, .integer),
            FilterSpec("finding", column: "finding_id", .exact, .integer),
            FilterSpec("endpoint", column: "endpoint_id", .exact, .integer),
        ])

    public static let definition = ResourceDefinition(
        schema: schema, component: "EndpointStatus",
        policy: ProductScope.policy(path: .endpointStatus, productOfInput: ProductScope.product(ofField: "finding", on: .findings)),
        hooks: ResourceHooks(prepare: { context, mode, id, input in
            if mode == .create, input.values["date"] == nil { input.set("date", .string(DateFormatting.day(context.now))) }
            input.set("last_modified", .date(context.now))
            if case .bool(let mitigated)? = input.values["mitigated"] {
                input.set("mitigated_time", mitigated ? .date(context.now) : .null)
                if mitigated, input.values["mitigated_by"] == nil { input.set("mitigated_by_id", .int(context.user.id)) }
            }
            guard let finding = input.values["finding"]?.intValue, let endpoint = input.values["endpoint"]?.intValue else { return }
            // The endpoint must belong to the finding's product; another product's is answered as if it did not exist.
            if try await context.db.raw("""
                SELECT e.id FROM endpoints e JOIN findings f ON f.product_id = e.product_id WHERE e.id = \(bind: endpoint) AND f.id = \(bind: finding)
                """).first() == nil {
                throw APIError.field("endpoint", "Invalid pk \"\(endpoint)\" - object does not exist.")
            }
            var query: SQLQueryString = "SELECT id FROM endpoint_status WHERE finding_id = \(bind: finding) AND endpoint_id = \(bind: endpoint)"
            if let id { query = query + " AND id <> \(bind: id)" }
            if try await context.db.raw(query).first() != nil {
                throw APIError.field("non_field_errors", "This endpoint-finding relation already exists")
            }
        }),
        prefetch: ["endpoint": "endpoints", "finding": "findings", "mitigated_by": "users"])
}
