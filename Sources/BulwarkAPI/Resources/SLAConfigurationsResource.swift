import BulwarkServices
import BulwarkStorage
import Foundation

/// `sla_configurations/`: CRUD, superusers only (DefectDojo's SLAConfigurationSerializer without
/// `async_updating`). The default configuration (id 1) cannot be deleted (400, DefectDojo's
/// ValidationError), nor one a product uses (409, Django's RestrictedError).
public enum SLAConfigurationsResource {
    public static let schema = ResourceSchema(
        path: "sla_configurations", table: "sla_configurations", modelName: "SLA_Configuration",
        fields: [
            FieldSpec("id", .integer(), .readOnly),
            FieldSpec("name", .string(maxLength: 128), required: true, allowBlank: false,
                      unique: "sl a_ configuration with this Custom SLA Name already exists."),
            FieldSpec("description", .string(maxLength: 512), nullable: true),
            FieldSpec("critical", .integer(), defaultValue: .int(7)),
            FieldSpec("enforce_critical", .boolean, defaultValue: .bool(true)),
            FieldSpec("high", .integer(), defaultValue: .int(30)),
            FieldSpec("enforce_high", .boolean, defaultValue: .bool(true)),
            FieldSpec("medium", .integer(), defaultValue: .int(90)),
            FieldSpec("enforce_medium", .boolean, defaultValue: .bool(true)),
            FieldSpec("low", .integer(), defaultValue: .int(120)),
            FieldSpec("enforce_low", .boolean, defaultValue: .bool(true)),
            FieldSpec("restart_sla_on_reactivation", .boolean, defaultValue: .bool(false)),
        ],
        filters: [])

    public static let definition = ResourceDefinition(
        schema: schema, component: "SLAConfiguration",
        policy: .superuserOnly,
        hooks: ResourceHooks(beforeDelete: { context, id in
            if id == 1 { throw APIError.message(.badRequest, "['Unable to delete default SLA Configuration']") }
            try await RelatedFilters.refuseIfReferenced(model: "SLA_Configuration", id: id, by: "products", column: "sla_configuration_id",
                                                        as: "Product.sla_configuration", db: context.db)
        }))
}
import Vapor
