import BulwarkServices
import BulwarkStorage
import Foundation

/// `development_environments/`: CRUD; any authenticated user reads, superusers write.
/// Tests refer to environments with a restricting foreign key, so deleting one in use is a 409.
public enum DevelopmentEnvironmentsResource {
    public static let schema = ResourceSchema(
        path: "development_environments", table: "development_environments", modelName: "Development_Environment",
        fields: [
            FieldSpec("id", .integer(), .readOnly),
            // DefectDojo does not make names unique; Bulwark's table does, so a duplicate is a 400, not a 500.
            FieldSpec("name", .string(maxLength: 200), required: true, allowBlank: false,
                      unique: "development_ environment with this name already exists."),
        ],
        filters: [])

    public static let definition = ResourceDefinition(
        schema: schema, component: "DevelopmentEnvironment",
        policy: TestTypesResource.readAllSuperuserWrites,
        hooks: ResourceHooks(beforeDelete: { context, id in
            try await RelatedFilters.refuseIfReferenced(model: "Development_Environment", id: id, by: "tests", column: "environment_id",
                                                        as: "Test.environment", db: context.db)
        }))
}
