import BulwarkServices
import BulwarkStorage
import Fluent
import Foundation
import SQLKit
import Vapor

/// The action routes of `findings/{id}/…`: close, verify, tags, remove_tags, duplicate,
/// duplicate/reset, metadata and remove_note (notes/ is served by the notes module).
public struct FindingActionsController: Sendable {
    public init() {}

    public func register(on routes: any RoutesBuilder) {
        let item: [PathComponent] = ["findings", ":id"]
        routes.post(item + ["close"], use: close).documented(Docs.close)
        routes.post(item + ["verify"], use: verify).documented(Docs.verify)
        routes.get(item + ["tags"], use: tags).documented(Docs.operation("tags_retrieve", responses: [.ok("Tag")]))
        routes.post(item + ["tags"], use: addTags).documented(Docs.operation("tags_create", body: "TagRequest", responses: [.ok("Tag")]))
        routes.put(item + ["remove_tags"], use: removeTags).documented(Docs.operation("remove_tags_update", body: "TagRequest", responses: [.noContent]))
        routes.patch(item + ["remove_tags"], use: removeTags)
            .documented(Docs.operation("remove_tags_partial_update", body: "TagRequest", responses: [.noContent]))
        routes.get(item + ["duplicate"], use: duplicateCluster)
            .documented(Docs.operation("duplicate_list", responses: [APIResponse(200, OpenAPISchema.array(OpenAPISchema.ref("Finding")))]))
        routes.post(item + ["duplicate", "reset"], use: resetDuplicate).documented(Docs.operation("duplicate_reset_create", responses: [.noContent]))
        routes.get(item + ["metadata"], use: metadata)
            .documented(Docs.operation("metadata_list", responses: [APIResponse(200, OpenAPISchema.array(OpenAPISchema.ref("FindingMeta")))]))
        routes.on(.POST, item + ["metadata"], use: addMetadata)
            .documented(Docs.operation("metadata_create", body: "FindingMetaRequest", responses: [.ok("FindingMeta")]))
        routes.on(.PUT, item + ["metadata"], use: updateMetadata)
            .documented(Docs.operation("metadata_update", body: "FindingMetaRequest", responses: [.ok("FindingMeta")]))
        routes.on(.DELETE, item + ["metadata"], use: deleteMetadata).documented(Docs.deleteMetadata)
        routes.patch(item + ["remove_note"], use: removeNote)
            .documented(Docs.operation("remove_note_partial_update", body: "PatchedFindingNoteRequest", responses: [.noContent]))
        for (path, methods) in [(["close"], [HTTPMethod.POST]), (["verify"], [.POST]), (["tags"], [.GET, .POST]),
                                (["remove_tags"], [.PUT, .PATCH]), (["duplicate"], [.GET]), (["duplicate", "reset"], [.POST]),
                                (["metadata"], [.GET, .POST, .PUT, .DELETE]), (["remove_note"], [.PATCH])] {
            MethodFallback.register(on: routes, path: item + path.map { PathComponent(stringLiteral: $0) }, allowed: methods)
        }
    }

    /// The finding id, after checking the caller may see it (404) and, for writes, change it (403).
    func finding(_ request: Request, write: Bool) async throws -> (id: Int, context: ResourceContext) {
        let user = try request.requireUser()
        let context = ResourceContext(user: user, db: try request.sql, now: try request.settings.now())
        let id = try request.intParameter("id")
        try await ServiceErrors.mapped { try await triage(request, context).require(id, write: write) }
        return (id, context)
    }

    /// The triage service acting for the request's user.
    func triage(_ request: Request, _ context: ResourceContext) -> FindingTriageService {
        FindingTriageService(database: request.db, user: context.user, now: context.now)
    }

    func rendered(_ id: Int, db: any SQLDatabase) async throws -> JSONValue {
        guard let object = try await ResourceRepository(schema: FindingsResource.schema, db: db).fetch(id: id) else { throw APIError.notFound }
        return object
    }

    /// `POST close/`: inactive and mitigated now by the caller (the stamp is not editable), optional status flags and note.
    @Sendable func close(_ request: Request) async throws -> Response {
        let (id, context) = try await finding(request, write: true)
        let body = try RequestBody.fields(of: request)
        var errors = ValidationErrors()
        func flag(_ name: String, _ fallback: Bool) -> Bool {
            guard let raw = body[name] else { return fallback }
            guard let value = FieldConversion.boolean(raw) else { errors.add(name, "Must be a valid boolean."); return fallback }
            return value
        }
        let isMitigated = flag("is_mitigated", true)
        let falsePositive = flag("false_p", false), outOfScope = flag("out_of_scope", false), duplicate = flag("duplicate", false)
        let noteText = FieldText.value(body["note"]) ?? ""
        var noteType: Int?
        if let raw = body["note_type"], !raw.isNull {
            if let value = FieldConversion.integer(raw) { noteType = value } else { errors.add("note_type", "Incorrect type. Expected pk value, received \(FieldConversion.typeName(raw)).") }
        }
        guard errors.isEmpty else { throw APIError.validation(errors) }
        let close = CloseRequest(isMitigated: isMitigated, falsePositive: falsePositive, outOfScope: outOfScope, duplicate: duplicate,
                                 note: noteText.isEmpty ? nil : NewNote(entry: noteText, noteType: noteType))
        try await ServiceErrors.mapped { try await triage(request, context).close(id, close) }
        let now = context.now, user = context.user
        return JSONValue.object([
            ("is_mitigated", .bool(isMitigated)), ("mitigated", .string(DateFormatting.instant(now))), ("false_p", .bool(falsePositive)),
            ("out_of_scope", .bool(outOfScope)), ("duplicate", .bool(duplicate)), ("mitigated_by", .int(user.id)),
            ("note", .string(noteText)), ("note_type", noteType.map(JSONValue.int) ?? .null),
        ]).response()
    }

    /// `POST verify/`: marks the finding verified.
    @Sendable func verify(_ request: Request) async throws -> Response {
        let (id, context) = try await finding(request, write: true)
        try await ServiceErrors.mapped { try await triage(request, context).verify(id) }
        return try await rendered(id, db: context.db).response()
    }

    func tagList(_ id: Int, db: any SQLDatabase) async throws -> JSONValue {
        let names = try await TagStore(db: db).tagsByObject(objectType: "finding", ids: [id])[id] ?? []
        return .object([("tags", .array(names.map(JSONValue.string)))])
    }

    func requestedTags(_ request: Request) throws -> [String] {
        let body = try RequestBody.fields(of: request)
        guard let raw = body["tags"] else { throw APIError.field("tags", "This field is required.") }
        guard case .success(let value) = FieldConversion.convert(raw, kind: .tags, allowBlank: true, nullable: false) else {
            throw APIError.field("tags", "Expected a list of items but got type \"\(FieldConversion.typeName(raw))\".")
        }
        return value.tags
    }

    @Sendable func tags(_ request: Request) async throws -> Response {
        let (id, context) = try await finding(request, write: false)
        return try await tagList(id, db: context.db).response()
    }

    @Sendable func addTags(_ request: Request) async throws -> Response {
        let (id, context) = try await finding(request, write: true)
        let names = try requestedTags(request)
        try await ServiceErrors.mapped { try await triage(request, context).addTags(id, names) }
        return try await tagList(id, db: context.db).response()
    }

    @Sendable func removeTags(_ request: Request) async throws -> Response {
        let (id, context) = try await finding(request, write: true)
        let names = try requestedTags(request)
        try await ServiceErrors.mapped { try await triage(request, context).removeTags(id, names) }
        return Response(status: .noContent)
    }

    /// `GET duplicate/`: the other members of the finding's duplicate cluster (original first), not paginated.
    @Sendable func duplicateCluster(_ request: Request) async throws -> Response {
        let (id, context) = try await finding(request, write: false)
        guard let row = try await context.db.raw("SELECT duplicate_finding_id FROM findings WHERE id = \(bind: id)").first() else { throw APIError.notFound }
        let original = try row.decode(column: "duplicate_finding_id", as: Int?.self) ?? id
        let schema = FindingsResource.schema
        let members = try await ResourceRepository(schema: schema, db: context.db).list(
            where: ["(findings.duplicate_finding_id = \(bind: original) OR findings.id = \(bind: original)) AND findings.id <> \(bind: id)"]
                + ProductPath.findings.visibility(context.user),
            orderBy: ["findings.id ASC"], limit: 10_000, offset: 0)
        return JSONValue.array(members).response()
    }

    /// `POST duplicate/reset/`: makes a duplicate an active original again.
    @Sendable func resetDuplicate(_ request: Request) async throws -> Response {
        let (id, context) = try await finding(request, write: true)
        try await ServiceErrors.mapped { try await triage(request, context).resetDuplicate(id) }
        return Response(status: .noContent)
    }

    func metadataList(_ id: Int, db: any SQLDatabase) async throws -> JSONValue {
        try await FindingComputedFields.findingMeta([id], db)[id] ?? .array([])
    }

    func metadataPair(_ request: Request) throws -> (name: String, value: String) {
        let body = try RequestBody.fields(of: request)
        var errors = ValidationErrors()
        let name = FieldText.value(body["name"]), value = FieldText.value(body["value"])
        if name?.isEmpty != false { errors.add("name", name == nil ? "This field is required." : "This field may not be blank.") }
        if value?.isEmpty != false { errors.add("value", value == nil ? "This field is required." : "This field may not be blank.") }
        guard errors.isEmpty, let name, let value else { throw APIError.validation(errors) }
        return (name, value)
    }

    @Sendable func metadata(_ request: Request) async throws -> Response {
        let (id, context) = try await finding(request, write: false)
        return try await metadataList(id, db: context.db).response()
    }

    @Sendable func addMetadata(_ request: Request) async throws -> Response {
        let (id, context) = try await finding(request, write: true)
        let pair = try metadataPair(request)
        do {
            try await FindingRelationWrites.addMetadata(finding: id, name: pair.name, value: pair.value, db: context.db)
        } catch FindingMetadataError.exists {
            throw APIError.message(.badRequest, "Metadata with this name already exists for this finding")
        }
        return JSONValue.object([("name", .string(pair.name)), ("value", .string(pair.value))]).response()
    }

    @Sendable func updateMetadata(_ request: Request) async throws -> Response {
        let (id, context) = try await finding(request, write: true)
        let pair = try metadataPair(request)
        do {
            try await FindingRelationWrites.updateMetadata(finding: id, name: pair.name, value: pair.value, db: context.db)
        } catch FindingMetadataError.missing {
            throw APIError.message(.notFound, "Metadata with this name does not exist for this finding")
        }
        return JSONValue.object([("name", .string(pair.name)), ("value", .string(pair.value))]).response()
    }

    /// `DELETE metadata/?name=…`.
    @Sendable func deleteMetadata(_ request: Request) async throws -> Response {
        let (id, context) = try await finding(request, write: true)
        guard let name = request.queryValue("name"), !name.isEmpty else { throw APIError.field("name", "This field is required.") }
        do {
            try await FindingRelationWrites.deleteMetadata(finding: id, name: name, db: context.db)
        } catch FindingMetadataError.missing {
            throw APIError.message(.notFound, "Metadata with this name does not exist for this finding")
        }
        return Response(status: .noContent)
    }

    /// `PATCH remove_note/` with `{"note_id": n}`: only the note's author or a superuser may remove it.
    @Sendable func removeNote(_ request: Request) async throws -> Response {
        let (id, context) = try await finding(request, write: true)
        let body = try RequestBody.fields(of: request)
        guard let raw = body["note_id"] else { throw APIError.field("note_id", "This field is required.") }
        guard let noteID = FieldConversion.integer(raw) else { throw APIError.field("note_id", "A valid integer is required.") }
        try await ServiceErrors.mapped { try await triage(request, context).removeNote(id, noteID: noteID) }
        return Response(status: .noContent)
    }
}
