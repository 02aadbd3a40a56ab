import BulwarkServices
import BulwarkStorage

/// `system_settings/`: DefectDojo's singleton settings (id 1), the parts Bulwark acts on:
/// deduplication (on by default in Bulwark) and finding SLAs. Superusers only; no create or delete.
public enum SystemSettingsResource {
    public static let schema = ResourceSchema(
        path: "system_settings", table: "system_settings", modelName: "System_Settings", nameColumn: "id",
        fields: [
            FieldSpec("id", .integer(), .readOnly),
            FieldSpec("enable_deduplication", .boolean),
            FieldSpec("delete_duplicates", .boolean),
            FieldSpec("max_dupes", .integer(minimum: 0), nullable: true),
            FieldSpec("false_positive_history", .boolean),
            FieldSpec("enable_finding_sla", .boolean),
        ],
        filters: [])

    public static let definition = ResourceDefinition(
        schema: schema, component: "SystemSettings", policy: .superuserOnly, actions: [.list, .retrieve, .update])
}
