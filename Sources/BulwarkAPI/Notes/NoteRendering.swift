import BulwarkStorage
import Foundation
import SQLKit

/// Renders DefectDojo's Note object (`NoteSerializer`) for many notes at once, and the `notes`
/// field of engagements, tests, findings and risk acceptances.
///
/// Every entry point is bounded: one query for the links of a page of objects, one for the notes,
/// and one each for authors, editors, note types and history — never one per object or note.
public enum NoteRendering {
    /// The Note object in NoteSerializer order: `id, author, editor, history, note_type, entry,
    /// date, private, edited, edit_time`. `notes/` serves it; other resources embed it.
    public static let schema = ResourceSchema(
        path: "notes", table: "notes", modelName: "Notes", nameColumn: "entry",
        fields: [
            FieldSpec("id", .integer(), .readOnly),
            FieldSpec("author", .computed, .readOnly).documented(OpenAPISchema.ref("UserStub")),
            FieldSpec("editor", .computed, .readOnly).documented(OpenAPISchema.nullable(OpenAPISchema.ref("UserStub"))),
            FieldSpec("history", .computed, .readOnly).documented(OpenAPISchema.array(OpenAPISchema.ref("NoteHistory"))),
            FieldSpec("note_type", .computed, .readOnly).documented(OpenAPISchema.nullable(OpenAPISchema.ref("NoteType"))),
            FieldSpec("entry", .string(), required: true, allowBlank: false),
            FieldSpec("date", .dateTime, .readOnly),
            FieldSpec("private", .boolean, defaultValue: .bool(false)),
            FieldSpec("edited", .boolean, defaultValue: .bool(false)),
            FieldSpec("edit_time", .dateTime, .readOnly),
        ],
        filters: [
            FilterSpec("id", .exact, .integer),
            FilterSpec("entry", .exact),
            FilterSpec("author", column: "author_id", .exact, .integer),
            FilterSpec("private", .exact, .boolean),
            FilterSpec("date", .exact, .dateTime),
            FilterSpec("edited", .exact, .boolean),
            FilterSpec("edit_time", .exact, .dateTime),
            FilterSpec("editor", column: "editor_id", .exact, .integer),
        ],
        computed: [
            "author": userLoader(column: "author_id"),
            "editor": userLoader(column: "editor_id"),
            "history": historyLoader,
            "note_type": noteTypeLoader,
        ])

    /// A loader for a resource's read-only `notes` field: each object's notes as full Note
    /// objects, newest first (DefectDojo orders notes by `-date`); `[]` for objects without notes.
    public static func loader(objectType: String) -> ComputedFieldLoader {
        { ids, db in
            let grouped = try await notesByObject(objectType: objectType, objectIDs: ids, db: db)
            var out: [Int: JSONValue] = [:]
            for id in ids { out[id] = .array(grouped[id] ?? []) }
            return out
        }
    }

    /// The notes linked to each object, newest first, as full Note objects.
    public static func notesByObject(objectType: String, objectIDs: [Int], db: any SQLDatabase) async throws -> [Int: [JSONValue]] {
        var links: [(note: Int, object: Int)] = []
        for chunk in chunks(Array(Set(objectIDs)).sorted()) {
            let rows = try await db.raw("""
                SELECT \(ident: "l").\(ident: "note_id") AS \(ident: "note"), \(ident: "l").\(ident: "object_id") AS \(ident: "object")
                FROM \(ident: "note_links") \(ident: "l") JOIN \(ident: "notes") \(ident: "n") ON \(ident: "n").\(ident: "id") = \(ident: "l").\(ident: "note_id")
                WHERE \(ident: "l").\(ident: "object_type") = \(bind: objectType) AND \(ident: "l").\(ident: "object_id") IN (\(binds: chunk))
                ORDER BY \(ident: "n").\(ident: "date") DESC, \(ident: "n").\(ident: "id") DESC
                """).all()
            for row in rows {
                links.append((try row.decode(column: "note", as: Int.self), try row.decode(column: "object", as: Int.self)))
            }
        }
        let rendered = try await notes(ids: links.map(\.note), db: db)
        var out: [Int: [JSONValue]] = [:]
        for link in links {
            if let note = rendered[link.note] { out[link.object, default: []].append(note) }
        }
        return out
    }

    /// Full Note objects by note id (missing ids are absent).
    public static func notes(ids: [Int], db: any SQLDatabase) async throws -> [Int: JSONValue] {
        let repository = ResourceRepository(schema: schema, db: db)
        var out: [Int: JSONValue] = [:]
        for chunk in chunks(Array(Set(ids)).sorted()) {
            let rows = try await repository.list(
                where: ["\(ident: "notes").\(ident: "id") IN (\(binds: chunk))"],
                orderBy: ["\(ident: "notes").\(ident: "id") ASC"], limit: chunk.count, offset: 0)
            for row in rows { if let id = row["id"]?.intValue { out[id] = row } }
        }
        return out
    }

    /// One Note object, or nil when the note does not exist.
    public static func note(id: Int, db: any SQLDatabase) async throws -> JSONValue? {
        try await notes(ids: [id], db: db)[id]
    }

    // MARK: - Nested parts, one query per page each

    /// DefectDojo's UserStub (`id, username, first_name, last_name`) of the user in `column` of each note.
    static func userLoader(column: String) -> ComputedFieldLoader {
        { ids, db in
            var out: [Int: JSONValue] = [:]
            for chunk in chunks(ids) {
                let rows = try await db.raw("""
                    SELECT \(ident: "n").\(ident: "id") AS \(ident: "note"), \(ident: "u").\(ident: "id") AS \(ident: "user_id"),
                    \(ident: "u").\(ident: "username"), \(ident: "u").\(ident: "first_name"), \(ident: "u").\(ident: "last_name")
                    FROM \(ident: "notes") \(ident: "n") JOIN \(ident: "users") \(ident: "u") ON \(ident: "u").\(ident: "id") = \(ident: "n").\(ident: column)
                    WHERE \(ident: "n").\(ident: "id") IN (\(binds: chunk))
                    """).all()
                for row in rows { out[try row.decode(column: "note", as: Int.self)] = try userStub(row, idColumn: "user_id") }
            }
            return out
        }
    }

    /// The note type of each note as DefectDojo's NoteType object.
    static let noteTypeLoader: ComputedFieldLoader = { ids, db in
        var out: [Int: JSONValue] = [:]
        for chunk in chunks(ids) {
            let rows = try await db.raw("""
                SELECT \(ident: "n").\(ident: "id") AS \(ident: "note"), \(ident: "t").\(ident: "id") AS \(ident: "type_id"),
                \(ident: "t").\(ident: "name") AS \(ident: "type_name"), \(ident: "t").\(ident: "description") AS \(ident: "type_description"),
                \(ident: "t").\(ident: "is_single"), \(ident: "t").\(ident: "is_active"), \(ident: "t").\(ident: "is_mandatory")
                FROM \(ident: "notes") \(ident: "n") JOIN \(ident: "note_types") \(ident: "t") ON \(ident: "t").\(ident: "id") = \(ident: "n").\(ident: "note_type_id")
                WHERE \(ident: "n").\(ident: "id") IN (\(binds: chunk))
                """).all()
            for row in rows { out[try row.decode(column: "note", as: Int.self)] = try noteType(row) ?? .null }
        }
        return out
    }

    /// The history of each note (`id, current_editor, note_type, data, time`), oldest first; `[]` when none.
    static let historyLoader: ComputedFieldLoader = { ids, db in
        var out: [Int: JSONValue] = [:]
        var lists: [Int: [JSONValue]] = [:]
        for chunk in chunks(ids) {
            let rows = try await db.raw("""
                SELECT \(ident: "h").\(ident: "id"), \(ident: "h").\(ident: "note_id"), \(ident: "h").\(ident: "data"), \(ident: "h").\(ident: "time"),
                \(ident: "u").\(ident: "id") AS \(ident: "user_id"), \(ident: "u").\(ident: "username"), \(ident: "u").\(ident: "first_name"),
                \(ident: "u").\(ident: "last_name"), \(ident: "t").\(ident: "id") AS \(ident: "type_id"), \(ident: "t").\(ident: "name") AS \(ident: "type_name"),
                \(ident: "t").\(ident: "description") AS \(ident: "type_description"), \(ident: "t").\(ident: "is_single"),
                \(ident: "t").\(ident: "is_active"), \(ident: "t").\(ident: "is_mandatory")
                FROM \(ident: "note_history") \(ident: "h")
                LEFT JOIN \(ident: "users") \(ident: "u") ON \(ident: "u").\(ident: "id") = \(ident: "h").\(ident: "current_editor_id")
                LEFT JOIN \(ident: "note_types") \(ident: "t") ON \(ident: "t").\(ident: "id") = \(ident: "h").\(ident: "note_type_id")
                WHERE \(ident: "h").\(ident: "note_id") IN (\(binds: chunk)) ORDER BY \(ident: "h").\(ident: "id")
                """).all()
            for row in rows {
                let editor: JSONValue = try row.decodeNil(column: "user_id") ? .null : try userStub(row, idColumn: "user_id")
                let time: JSONValue = try row.decodeNil(column: "time")
                    ? .null : .string(DateFormatting.instant(try row.decode(column: "time", as: Date.self)))
                let entry: JSONValue = .object([
                    ("id", .int(try row.decode(column: "id", as: Int.self))),
                    ("current_editor", editor),
                    ("note_type", try noteType(row) ?? .null),
                    ("data", .string(try row.decode(column: "data", as: String.self))),
                    ("time", time),
                ])
                lists[try row.decode(column: "note_id", as: Int.self), default: []].append(entry)
            }
        }
        for id in ids { out[id] = .array(lists[id] ?? []) }
        return out
    }

    static func userStub(_ row: any SQLRow, idColumn: String) throws -> JSONValue {
        .object([
            ("id", .int(try row.decode(column: idColumn, as: Int.self))),
            ("username", .string(try row.decode(column: "username", as: String.self))),
            ("first_name", .string((try? row.decode(column: "first_name", as: String.self)) ?? "")),
            ("last_name", .string((try? row.decode(column: "last_name", as: String.self)) ?? "")),
        ])
    }

    /// The NoteType object from `type_*` and `is_*` columns; nil when the row has no type.
    static func noteType(_ row: any SQLRow) throws -> JSONValue? {
        guard try !row.decodeNil(column: "type_id") else { return nil }
        return .object([
            ("id", .int(try row.decode(column: "type_id", as: Int.self))),
            ("name", .string(try row.decode(column: "type_name", as: String.self))),
            ("description", .string(try row.decode(column: "type_description", as: String.self))),
            ("is_single", .bool(try row.decode(column: "is_single", as: Bool.self))),
            ("is_active", .bool(try row.decode(column: "is_active", as: Bool.self))),
            ("is_mandatory", .bool(try row.decode(column: "is_mandatory", as: Bool.self))),
        ])
    }

    /// Splits ids into slices small enough for one `IN (…)` list on every dialect.
    static func chunks(_ ids: [Int], size: Int = 500) -> [[Int]] {
        stride(from: 0, to: ids.count, by: size).map { Array(ids[$0..<min($0 + size, ids.count)]) }
    }
}
