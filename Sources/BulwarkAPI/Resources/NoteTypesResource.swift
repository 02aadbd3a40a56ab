import BulwarkServices
import BulwarkStorage
import Foundation

/// `note_type/`: CRUD, superusers only. Deleting a type deletes its notes, as DefectDojo's
/// cascading foreign key does (their history and links go with them).
public enum NoteTypesResource {
    public static let schema = ResourceSchema(
        path: "note_type", table: "note_types", modelName: "Note_Type",
        fields: [
            FieldSpec("id", .integer(), .readOnly),
            FieldSpec("name", .string(maxLength: 100), required: true, allowBlank: false, unique: "note_ type with this name already exists."),
            FieldSpec("description", .string(maxLength: 200), required: true, allowBlank: false),
            FieldSpec("is_single", .boolean, defaultValue: .bool(false)),
            FieldSpec("is_active", .boolean, defaultValue: .bool(true)),
            FieldSpec("is_mandatory", .boolean, defaultValue: .bool(true)),
        ],
        filters: [
            FilterSpec("id", .exact, .integer),
            FilterSpec("name", .exact),
            FilterSpec("description", .exact),
            FilterSpec("is_single", .exact, .boolean),
            FilterSpec("is_active", .exact, .boolean),
            FilterSpec("is_mandatory", .exact, .boolean),
        ],
        cascades: [
            // Their history entries and object links go by ON DELETE CASCADE.
            CascadeRule(table: "notes", model: "Notes", foreignKey: "note_type_id", nameColumn: "entry"),
            CascadeRule(table: "note_history", model: "NoteHistory", foreignKey: "note_type_id", nameColumn: nil),
        ])

    public static let definition = ResourceDefinition(schema: schema, component: "NoteType", policy: .superuserOnly)
}
