import BulwarkServices
import BulwarkStorage
import Foundation

/// `test_types/`: list, retrieve, create, PUT and PATCH (no DELETE). `name` is writable on
/// create only (DefectDojo's TestTypeCreateSerializer vs TestTypeSerializer); the hidden
/// `dynamically_generated` flag is false for types made through the API.
public enum TestTypesResource {
    public static let schema = ResourceSchema(
        path: "test_types", table: "test_types", modelName: "Test_Type",
        fields: [
            FieldSpec("id", .integer(), .readOnly),
            FieldSpec("name", .string(maxLength: 200), .writableOnCreate, required: true, allowBlank: false,
                      unique: "test_ type with this name already exists."),
            FieldSpec("static_tool", .boolean, defaultValue: .bool(false)),
            FieldSpec("dynamic_tool", .boolean, defaultValue: .bool(false)),
            FieldSpec("active", .boolean, defaultValue: .bool(true)),
        ],
        filters: [FilterSpec("name", .exact)])

    /// Any authenticated user reads; only superusers write (Django model permissions).
    static let readAllSuperuserWrites = ResourcePolicy(
        canCreate: { context, _ in context.user.isSuperuser },
        canUpdate: { context, _ in context.user.isSuperuser },
        canDelete: { context, _ in context.user.isSuperuser })

    public static let definition = ResourceDefinition(
        schema: schema, component: "TestType",
        policy: readAllSuperuserWrites,
        hooks: ResourceHooks(prepare: { _, mode, _, input in
            if mode == .create { input.set("dynamically_generated", .bool(false)) }
        }),
        actions: [.list, .create, .retrieve, .update])
}
