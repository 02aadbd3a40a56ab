import BulwarkStorage
import Foundation
import SQLKit

/// A note a user asked to add, checked like DefectDojo's `AddNewNoteOptionSerializer`.
public struct NewNote: Sendable, Equatable {
    public var entry: String
    public var isPrivate: Bool
    /// A `note_types` id, or nil.
    public var noteType: Int?

    public init(entry: String, isPrivate: Bool = false, noteType: Int? = nil) {
        self.entry = entry
        self.isPrivate = isPrivate
        self.noteType = noteType
    }
}

/// A note rule that refused a change, with DefectDojo's wording.
public enum NoteError: Error, Sendable, Equatable {
    /// A second note of a single-use note type: "Only one instance of this note_type allowed on <noun>."
    case singleTypeTaken(String)
    /// The note does not exist or is not linked to the object.
    case notOnObject
    /// Only the note's author or a superuser may remove it.
    case notAuthor

    /// The message shown to the user.
    public var message: String {
        switch self {
        case .singleTypeTaken(let noun): return "Only one instance of this note_type allowed on \(noun)."
        case .notOnObject: return "Note does not exist or does not belong to this finding"
        case .notAuthor: return "Delete Failed, You are not the Note's author"
        }
    }
}

extension NoteService {
    /// Adds a note to an object, refusing a second note of a single-use type (``NoteError/singleTypeTaken(_:)``).
    /// Run it inside a ``WriteTransaction`` so the check and the insert cannot interleave.
    /// - Parameter noun: the object in the refusal message ("a finding"); derived from `objectType` when nil.
    @discardableResult
    public func add(_ note: NewNote, objectType: String, objectID: Int, author: Int, noun: String? = nil, now: Date) async throws -> Int {
        if let type = note.noteType, try await isSingle(noteType: type),
           try await hasNote(ofType: type, objectType: objectType, objectID: objectID) {
            throw NoteError.singleTypeTaken(noun ?? Self.defaultNoun(objectType))
        }
        return try await add(objectType: objectType, objectID: objectID, entry: note.entry, author: author,
                             isPrivate: note.isPrivate, noteType: note.noteType, now: now)
    }

    /// Removes a note from a finding: only its author or a superuser may (DefectDojo's `remove_note`).
    public func removeFromFinding(noteID: Int, finding: Int, by user: UserAccount) async throws {
        guard let row = try await db.raw("""
            SELECT n.author_id FROM notes n JOIN note_links l ON l.note_id = n.id
            WHERE n.id = \(bind: noteID) AND l.object_type = 'finding' AND l.object_id = \(bind: finding)
            """).first()
        else { throw NoteError.notOnObject }
        let author = try row.decode(column: "author_id", as: Int?.self)
        guard user.isSuperuser || author == user.id else { throw NoteError.notAuthor }
        try await db.raw("DELETE FROM notes WHERE id = \(bind: noteID)").run()
        try await db.raw("DELETE FROM note_links WHERE note_id = \(bind: noteID)").run()
    }

    /// Whether a note type allows one note per object only.
    public func isSingle(noteType: Int) async throws -> Bool {
        guard let row = try await db.raw("SELECT \(ident: "is_single") FROM \(ident: "note_types") WHERE \(ident: "id") = \(bind: noteType)").first() else {
            return false
        }
        return try row.decode(column: "is_single", as: Bool.self)
    }

    /// "an engagement", "a test", "a finding", "a risk acceptance".
    public static func defaultNoun(_ objectType: String) -> String {
        let words = objectType.replacingOccurrences(of: "_", with: " ")
        let article = words.first.map { "aeiou".contains($0) } == true ? "an" : "a"
        return "\(article) \(words)"
    }
}
