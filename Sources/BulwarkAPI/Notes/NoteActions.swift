import Fluent
import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit
import Vapor

/// DefectDojo's `{id}/notes/` action on engagements, tests, findings and risk acceptances:
/// GET → `{"<idKey>": id, "notes": [Note…]}` (not paginated, newest first);
/// POST `{"entry", "private", "note_type"}` → 201 with the new Note object.
///
/// The parent object must be visible to the user (404 otherwise). As in DefectDojo, viewing the
/// parent is enough to add a note unless `canAdd` says otherwise.
public enum NoteActions {
    /// The fields of `AddNewNoteOptionSerializer`.
    static let inputSchema = ResourceSchema(
        path: "notes", table: "notes", modelName: "Notes",
        fields: [
            FieldSpec("entry", .string(), required: true, allowBlank: false),
            FieldSpec("private", .boolean, defaultValue: .bool(false)),
            FieldSpec("note_type", .foreignKey(table: "note_types"), nullable: true),
        ],
        filters: [])

    /// Registers `GET` and `POST` `<resourcePath>/{id}/notes/` (other methods get 405).
    /// - Parameters:
    ///   - resourcePath: the parent's path segment (`"engagements"`).
    ///   - objectType: the `note_links.object_type` of the parent (`"engagement"`).
    ///   - idKey: the key naming the parent in the GET body (`"engagement_id"`).
    ///   - definition: the parent's resource; its table, `canRead` and visibility decide who sees it.
    ///   - noun: the parent in DefectDojo's single-note message (`"an engagement"`); derived from `objectType` when nil.
    ///   - canAdd: an extra permission check for POST (403 when false).
    public static func register(
        on routes: any RoutesBuilder, resourcePath: String, objectType: String, idKey: String,
        definition: ResourceDefinition, noun: String? = nil,
        canAdd: (@Sendable (ResourceContext, Int) async throws -> Bool)? = nil
    ) {
        let path: [PathComponent] = [.constant(resourcePath), ":id", "notes"]
        let noun = noun ?? defaultNoun(objectType)
        let listName = "\(definition.componentName)ToNotes"
        routes.get(path) { request -> Response in
            let (context, id) = try await parent(request, definition: definition)
            let notes = try await NoteRendering.notesByObject(objectType: objectType, objectIDs: [id], db: context.db)[id] ?? []
            return JSONValue.object([(idKey, .int(id)), ("notes", .array(notes))]).response()
        }.documented(APIOperation("\(resourcePath)_notes_retrieve", tag: resourcePath, responses: [.ok(listName)], errors: [403, 404])
            .declaring([(listName, OpenAPISchema.object([(idKey, OpenAPISchema.integer), ("notes", OpenAPISchema.array(OpenAPISchema.ref("Note")))]))]))
        routes.post(path) { request -> Response in
            let (context, id) = try await parent(request, definition: definition)
            if let canAdd, try await !canAdd(context, id) { throw APIError.permissionDenied }
            let note = try await validate(try RequestBody.fields(of: request), db: context.db)
            let noteID = try await WriteTransaction.run(on: request.db) { sql in
                try await add(note, objectType: objectType, objectID: id, author: context.user.id, noun: noun, now: context.now, db: sql)
            }
            guard let rendered = try await NoteRendering.note(id: noteID, db: context.db) else { throw APIError.internalError }
            return rendered.response(status: .created)
        }.documented(APIOperation("\(resourcePath)_notes_create", tag: resourcePath, body: .component("AddNewNoteOptionRequest"),
                                  responses: [APIResponse(201, OpenAPISchema.ref("Note"))])
            .declaring([("AddNewNoteOptionRequest", ResourceDocumentation.requestComponent(fields: inputSchema.fields, partial: false))]))
        MethodFallback.register(on: routes, path: path, allowed: [.GET, .POST])
    }

    /// Validates a note body; throws 400 with DRF's field messages.
    public static func validate(_ body: [String: JSONValue], db: any SQLDatabase) async throws -> NewNote {
        switch try await InputValidator(schema: inputSchema, db: db).validate(body, mode: .create) {
        case .failure(let errors):
            throw APIError.validation(errors)
        case .success(let input):
            guard case .string(let entry)? = input.values["entry"] else { throw APIError.field("entry", "This field is required.") }
            let isPrivate: Bool
            if case .bool(let flag)? = input.values["private"] { isPrivate = flag } else { isPrivate = false }
            return NewNote(entry: entry, isPrivate: isPrivate, noteType: input.values["note_type"]?.intValue)
        }
    }

    /// Adds a validated note to an object through ``NoteService``, refusing a second note of a single-use
    /// type with DefectDojo's 400 (a bare JSON string). Run it inside a ``WriteTransaction``.
    @discardableResult
    public static func add(
        _ note: NewNote, objectType: String, objectID: Int, author: Int, noun: String? = nil, now: Date, db: any SQLDatabase
    ) async throws -> Int {
        do {
            return try await NoteService(db: db).add(note, objectType: objectType, objectID: objectID, author: author, noun: noun, now: now)
        } catch let error as NoteError {
            throw APIError(status: .badRequest, body: .string(error.message))
        }
    }

    static func defaultNoun(_ objectType: String) -> String { NoteService.defaultNoun(objectType) }

    /// The request's context and the parent id, or 403/404 as the parent's resource would answer.
    static func parent(_ request: Request, definition: ResourceDefinition) async throws -> (ResourceContext, Int) {
        let user = try request.requireUser()
        guard definition.policy.canRead(user) else { throw APIError.permissionDenied }
        let context = ResourceContext(user: user, db: try request.sql, now: try request.settings.now())
        let id = try request.intParameter("id")
        let repository = ResourceRepository(schema: definition.schema, db: context.db)
        guard try await repository.exists(id: id, where: definition.policy.visibility(user)) else { throw APIError.notFound }
        return (context, id)
    }
}
