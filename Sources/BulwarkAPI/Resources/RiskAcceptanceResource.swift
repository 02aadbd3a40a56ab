import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit
import Vapor

/// `risk_acceptance/`: accepting findings makes them inactive with `risk_accepted=true`;
/// removing them from the acceptance, deleting it, or its expiry (when `reactivate_expired`) reactivates them.
public enum RiskAcceptanceResource {
    static let decisions = ["A", "V", "M", "F", "T"]

    public static let schema = ResourceSchema(
        path: "risk_acceptance", table: "risk_acceptances", modelName: "Risk_Acceptance", tagObjectType: "risk_acceptance",
        fields: [
            FieldSpec("id", .integer(), .readOnly),
            FieldSpec("path", .computed, .readOnly).documented(OpenAPISchema.string),
            FieldSpec("name", .string(maxLength: 300), required: true, allowBlank: false),
            FieldSpec("recommendation", .choice(decisions), defaultValue: .string("F")),
            FieldSpec("recommendation_details", .string(), nullable: true),
            FieldSpec("decision", .choice(decisions), defaultValue: .string("A")),
            FieldSpec("decision_details", .string(), nullable: true),
            FieldSpec("accepted_by", .string(maxLength: 200), nullable: true),
            FieldSpec("expiration_date", .dateTime, nullable: true),
            FieldSpec("expiration_date_warned", .dateTime, nullable: true),
            FieldSpec("expiration_date_handled", .dateTime, nullable: true),
            FieldSpec("reactivate_expired", .boolean, defaultValue: .bool(true)),
            FieldSpec("restart_sla_expired", .boolean, defaultValue: .bool(false)),
            FieldSpec("owner", .foreignKey(table: "users"), required: true),
            FieldSpec("accepted_findings", .idList(joinTable: "risk_acceptance_findings", ownerColumn: "risk_acceptance_id",
                                                   targetColumn: "finding_id", targetTable: "findings"), required: true),
            FieldSpec("notes", .computed, .readOnly).documented(OpenAPISchema.array(OpenAPISchema.integer)),
            FieldSpec("created", .dateTime, .readOnly),
            FieldSpec("updated", .dateTime, .readOnly),
        ],
        filters: [
            FilterSpec("id", .exact, .integer),
            FilterSpec("name", .exact),
            FilterSpec("recommendation", .exact),
            FilterSpec("decision", .exact),
            FilterSpec("owner", column: "owner_id", .exact, .integer),
            FilterSpec("name__icontains", column: "name", .icontains),
            FilterSpec("accepted_by", .exact),
            FilterSpec("accepted_by__icontains", column: "accepted_by", .icontains),
            FilterSpec("recommendation_details", .exact),
            FilterSpec("recommendation_details__icontains", column: "recommendation_details", .icontains),
            FilterSpec("decision_details", .exact),
            FilterSpec("decision_details__icontains", column: "decision_details", .icontains),
            FilterSpec("expiration_date", .exact, .dateTime),
            FilterSpec("expiration_date_warned", .exact, .dateTime),
            FilterSpec("expiration_date_handled", .exact, .dateTime),
            FilterSpec("reactivate_expired", .exact, .boolean),
            FilterSpec("restart_sla_expired", .exact, .boolean),
            FilterSpec("created", .dateRangeChoice, .dateTime),
            FilterSpec("updated", .dateRangeChoice, .dateTime),
            RelatedFilters.notes(objectType: "risk_acceptance", table: "risk_acceptances"),
        ] + ["created", "updated", "expiration_date", "expiration_date_warned", "expiration_date_handled"].flatMap {
            FilterSpec.comparisons($0, .dateTime)
        } + [
            FilterSpec.integersIn("accepted_findings", table: "risk_acceptances") {
                "SELECT \(ident: "risk_acceptance_id") FROM \(ident: "risk_acceptance_findings") WHERE \(ident: "finding_id") IN (\(binds: $0))"
            },
        ],
        orderings: ResourceSchema.orderings(["name", "created", "updated"]),
        computed: [
            "path": { ids, db in
                var out: [Int: JSONValue] = [:]
                let rows = try await db.raw("SELECT id, path FROM risk_acceptances WHERE id IN (\(binds: ids))").all()
                for row in rows {
                    let path = try row.decode(column: "path", as: String?.self)
                    out[try row.decode(column: "id", as: Int.self)] = .string(path ?? "No proof has been supplied")
                }
                return out
            },
            "notes": { ids, db in
                var out: [Int: [JSONValue]] = [:]
                let rows = try await db.raw("""
                    SELECT object_id, note_id FROM note_links WHERE object_type = 'risk_acceptance' AND object_id IN (\(binds: ids)) ORDER BY note_id
                    """).all()
                for row in rows { out[try row.decode(column: "object_id", as: Int.self), default: []].append(.int(try row.decode(column: "note_id", as: Int.self))) }
                return Dictionary(uniqueKeysWithValues: ids.map { ($0, JSONValue.array(out[$0] ?? [])) })
            },
        ])

    public static let definition = ResourceDefinition(
        schema: schema, component: "RiskAcceptance",
        policy: ProductScope.policy(path: .riskAcceptances, productOfInput: ProductScope.product(ofField: "accepted_findings", on: .findings)),
        hooks: ResourceHooks(
            prepare: { context, _, id, input in
                if let id {
                    let previous = try await RiskAcceptances.findings(of: id, db: context.db)
                    input.values["_previous_findings"] = .array(previous.map(JSONValue.int))
                }
                guard let items = input.idLists["accepted_findings"] else { return }
                let engagements = try await RiskAcceptances.engagements(of: items, db: context.db)
                if engagements.count > 1 {
                    throw APIError.field("accepted_findings", "Accepted findings must all belong to the same engagement.")
                }
                if let engagement = engagements.first { input.set("engagement_id", .int(engagement)) }
                if id == nil, items.isEmpty { throw APIError.field("accepted_findings", "This list may not be empty.") }
            },
            afterWrite: { context, _, id, input in
                // The generic write already replaced the links; bring the findings' flags in line with them.
                try await RiskAcceptances.synchronise(acceptance: id, previous: input.values["_previous_findings"], db: context.db, now: context.now)
            },
            beforeDelete: { context, id in
                try await RiskAcceptances.release(acceptance: id, db: context.db, now: context.now)
            }),
        prefetch: ["owner": "users", "accepted_findings": "findings"])
}
