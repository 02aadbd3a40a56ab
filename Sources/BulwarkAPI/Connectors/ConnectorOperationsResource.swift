import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit

/// `connector_operations/`: the log of validate, discover and sync runs with their counters.
public enum ConnectorOperationsResource {
    public static let schema = ResourceSchema(
        path: "connector_operations", table: "connector_operations", modelName: "Connector_Operation", nameColumn: "type",
        fields: [
            FieldSpec("id", .integer(), .readOnly),
            FieldSpec("connector", .foreignKey(table: "connectors"), .readOnly),
            FieldSpec("type", .choice(ConnectorOperationType.allCases.map(\.rawValue)), .readOnly),
            FieldSpec("trigger", .choice(["manual", "scheduled"]), .readOnly),
            FieldSpec("status", .choice(["queued", "running", "succeeded", "partial", "failed"]), .readOnly),
            FieldSpec("started_at", .dateTime, .readOnly),
            FieldSpec("finished_at", .dateTime, .readOnly, nullable: true),
            FieldSpec("records_new", .integer(), .readOnly),
            FieldSpec("records_missing", .integer(), .readOnly),
            FieldSpec("records_failed", .integer(), .readOnly),
            FieldSpec("findings_new", .integer(), .readOnly),
            FieldSpec("findings_updated", .integer(), .readOnly),
            FieldSpec("findings_closed", .integer(), .readOnly),
            FieldSpec("findings_reopened", .integer(), .readOnly),
            FieldSpec("retries", .integer(), .readOnly),
            FieldSpec("error", .string(), .readOnly, nullable: true),
        ],
        filters: [
            FilterSpec("id", .inList, .integer), FilterSpec("connector", column: "connector_id", .exact, .integer),
            FilterSpec("type", .inList), FilterSpec("status", .inList), FilterSpec("trigger", .exact),
        ],
        orderings: ResourceSchema.orderings(["id", "started_at", "finished_at", "status", "type"]),
        defaultOrder: [("id", true)])

    public static let definition = ResourceDefinition(schema: schema, component: "ConnectorOperation", policy: .superuserOnly,
                                                      actions: [.list, .retrieve])
}
