import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit

/// `jobs/`: the database job queue (superusers). Lists queued, running and failed jobs with their last error.
public enum JobsResource {
    public static let schema = ResourceSchema(
        path: "jobs", table: "jobs", modelName: "Job", nameColumn: "kind",
        fields: [
            FieldSpec("id", .integer(), .readOnly),
            FieldSpec("kind", .choice(JobKind.allCases.map(\.rawValue)), .readOnly),
            FieldSpec("connector", .foreignKey(table: "connectors"), .readOnly, nullable: true),
            FieldSpec("operation", .foreignKey(table: "connector_operations"), .readOnly, nullable: true),
            FieldSpec("trigger", .string(), .readOnly),
            FieldSpec("status", .choice(["queued", "running", "failed"]), .readOnly),
            FieldSpec("run_at", .dateTime, .readOnly),
            FieldSpec("attempts", .integer(), .readOnly),
            FieldSpec("locked_by", .string(), .readOnly, nullable: true),
            FieldSpec("locked_until", .dateTime, .readOnly, nullable: true),
            FieldSpec("last_error", .string(), .readOnly, nullable: true),
            FieldSpec("created", .dateTime, .readOnly),
            FieldSpec("finished_at", .dateTime, .readOnly, nullable: true),
        ],
        filters: [FilterSpec("status", .inList), FilterSpec("kind", .inList), FilterSpec("connector", column: "connector_id", .exact, .integer)],
        orderings: ResourceSchema.orderings(["id", "run_at", "status", "kind"]),
        defaultOrder: [("id", true)])

    public static let definition = ResourceDefinition(
        schema: schema, component: "Job",
        policy: ResourcePolicy(visibility: { _ in ["\(ident: "jobs").\(ident: "status") <> 'succeeded'"] }, canRead: { $0.isSuperuser },
                               canCreate: { _, _ in false }, canUpdate: { _, _ in false }, canDelete: { _, _ in false }),
        actions: [.list, .retrieve])
}
