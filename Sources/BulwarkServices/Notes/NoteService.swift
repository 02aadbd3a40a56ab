import BulwarkStorage
import Foundation
import SQLKit

/// Note storage and DefectDojo's note rules, shared by the API and the pages: notes, their history
/// and their links to objects (`note_links(note_id, object_type, object_id)`).
///
/// Methods do not open transactions: call them with the `SQLDatabase` of the caller's
/// ``WriteTransaction`` so a note and the change it documents commit together.
public struct NoteService: Sendable {
    public let db: any SQLDatabase

    public init(db: any SQLDatabase) { self.db = db }

    /// Adds a note to an object and returns its id.
    ///
    /// As DefectDojo's API does, the note starts with `edited=false`, `editor=null`,
    /// `edit_time=date=now`, and one history entry carrying the entry text and the author.
    /// - Parameters:
    ///   - objectType: `"finding"`, `"engagement"`, `"test"` or `"risk_acceptance"`.
    ///   - author: the user id of the author.
    ///   - noteType: a `note_types` id, or nil.
    ///   - recordHistory: false skips the initial history entry (for notes DefectDojo writes without one).
    @discardableResult
    public func add(
        objectType: String, objectID: Int, entry: String, author: Int, isPrivate: Bool = false,
        noteType: Int? = nil, now: Date, recordHistory: Bool = true
    ) async throws -> Int {
        guard let row = try await db.raw("""
            INSERT INTO \(ident: "notes") (\(ident: "entry"), \(ident: "date"), \(ident: "private"), \(ident: "edited"), \(ident: "edit_time"),
              \(ident: "author_id"), \(ident: "note_type_id"))
            VALUES (\(bind: entry), \(bind: now), \(bind: isPrivate), \(bind: false), \(bind: now), \(bind: author), \(SQLBindValue.optional(noteType).sql))
            RETURNING \(ident: "id")
            """).first()
        else { throw StorageError(.insertFailed, "note on \(objectType) \(objectID) was not created") }
        let id = try row.decode(column: "id", as: Int.self)
        if recordHistory { try await appendHistory(noteID: id, data: entry, editor: author, noteType: nil, time: now) }
        try await link(noteID: id, objectType: objectType, objectID: objectID)
        return id
    }

    /// Links an existing note to an object.
    public func link(noteID: Int, objectType: String, objectID: Int) async throws {
        try await db.raw("""
            INSERT INTO \(ident: "note_links") (\(ident: "note_id"), \(ident: "object_type"), \(ident: "object_id"))
            VALUES (\(bind: noteID), \(bind: objectType), \(bind: objectID))
            """).run()
    }

    /// Appends one history entry to a note.
    public func appendHistory(noteID: Int, data: String, editor: Int?, noteType: Int?, time: Date) async throws {
        try await db.raw("""
            INSERT INTO \(ident: "note_history") (\(ident: "note_id"), \(ident: "current_editor_id"), \(ident: "data"), \(ident: "time"), \(ident: "note_type_id"))
            VALUES (\(bind: noteID), \(SQLBindValue.optional(editor).sql), \(bind: data), \(bind: time), \(SQLBindValue.optional(noteType).sql))
            """).run()
    }

    /// Records an edit as DefectDojo's NoteSerializer.update does: `edited=true`, the editor,
    /// `edit_time=now`, and a history entry with the note's (already updated) entry text.
    public func recordEdit(noteID: Int, editor: Int, now: Date) async throws {
        try await db.raw("""
            UPDATE \(ident: "notes") SET \(ident: "edited") = \(bind: true), \(ident: "editor_id") = \(bind: editor), \(ident: "edit_time") = \(bind: now)
            WHERE \(ident: "id") = \(bind: noteID)
            """).run()
        guard let row = try await db.raw("SELECT \(ident: "entry") FROM \(ident: "notes") WHERE \(ident: "id") = \(bind: noteID)").first() else { return }
        try await appendHistory(noteID: noteID, data: try row.decode(column: "entry", as: String.self), editor: editor, noteType: nil, time: now)
    }

    /// Ids of the notes linked to one object, newest first.
    public func noteIDs(objectType: String, objectID: Int) async throws -> [Int] {
        let rows = try await db.raw("""
            SELECT \(ident: "n").\(ident: "id") FROM \(ident: "notes") \(ident: "n")
            JOIN \(ident: "note_links") \(ident: "l") ON \(ident: "l").\(ident: "note_id") = \(ident: "n").\(ident: "id")
            WHERE \(ident: "l").\(ident: "object_type") = \(bind: objectType) AND \(ident: "l").\(ident: "object_id") = \(bind: objectID)
            ORDER BY \(ident: "n").\(ident: "date") DESC, \(ident: "n").\(ident: "id") DESC
            """).all()
        return try rows.map { try $0.decode(column: "id", as: Int.self) }
    }

    /// `true` when the object already has a note of the given type.
    public func hasNote(ofType noteType: Int, objectType: String, objectID: Int) async throws -> Bool {
        try await db.raw("""
            SELECT 1 AS \(ident: "one") FROM \(ident: "notes") \(ident: "n")
            JOIN \(ident: "note_links") \(ident: "l") ON \(ident: "l").\(ident: "note_id") = \(ident: "n").\(ident: "id")
            WHERE \(ident: "l").\(ident: "object_type") = \(bind: objectType) AND \(ident: "l").\(ident: "object_id") = \(bind: objectID)
            AND \(ident: "n").\(ident: "note_type_id") = \(bind: noteType)
            """).first() != nil
    }

    /// The author of a note, or nil when the note does not exist or has none.
    public func author(noteID: Int) async throws -> Int? {
        guard let row = try await db.raw("SELECT \(ident: "author_id") FROM \(ident: "notes") WHERE \(ident: "id") = \(bind: noteID)").first(),
              try !row.decodeNil(column: "author_id")
        else { return nil }
        return try row.decode(column: "author_id", as: Int.self)
    }

    /// Deletes a note (with its history and links) if it is linked to the object; false otherwise.
    /// For `findings/{id}/remove_note/`.
    @discardableResult
    public func remove(noteID: Int, objectType: String, objectID: Int) async throws -> Bool {
        let linked = try await db.raw("""
            SELECT 1 AS \(ident: "one") FROM \(ident: "note_links") WHERE \(ident: "note_id") = \(bind: noteID)
            AND \(ident: "object_type") = \(bind: objectType) AND \(ident: "object_id") = \(bind: objectID)
            """).first() != nil
        guard linked else { return false }
        for table in ["note_history", "note_links"] {
            try await db.raw("DELETE FROM \(ident: table) WHERE \(ident: "note_id") = \(bind: noteID)").run()
        }
        try await db.raw("DELETE FROM \(ident: "notes") WHERE \(ident: "id") = \(bind: noteID)").run()
        return true
    }
}

extension SQLBindValue {
    /// `.int(value)`, or `.null` for nil.
    fileprivate static func optional(_ value: Int?) -> SQLBindValue { value.map(SQLBindValue.int) ?? .null }
}
