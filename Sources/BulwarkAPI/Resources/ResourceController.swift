import BulwarkServices
import BulwarkStorage
import Fluent
import FluentKit
import SQLKit
import Vapor

/// Serves one ``ResourceDefinition`` with DefectDojo's routes and semantics: list with filters,
/// `o` and limit/offset; create (201); retrieve; PUT/PATCH; DELETE (204); `delete_preview`;
/// 405 for other methods. Writes run in one transaction.
public struct ResourceController: Sendable {
    public let definition: ResourceDefinition
    public let catalog: ResourceCatalog
    private var schema: ResourceSchema { definition.schema }

    public init(definition: ResourceDefinition, catalog: ResourceCatalog) {
        self.definition = definition
        self.catalog = catalog
    }

    /// Registers the collection, item and `delete_preview` routes, plus 405 answers for other methods.
    public func register(on routes: any RoutesBuilder) {
        let collection: [PathComponent] = [.constant(schema.path)]
        let item: [PathComponent] = collection + [":id"]
        let actions = definition.actions
        let docs = ResourceDocumentation(definition: definition, componentNames: catalog.componentNames)
        var collectionMethods: [HTTPMethod] = []
        if actions.contains(.list) { routes.get(collection, use: list).documented(docs.list); collectionMethods.append(.GET) }
        if actions.contains(.create) { routes.post(collection, use: create).documented(docs.create); collectionMethods.append(.POST) }
        var itemMethods: [HTTPMethod] = []
        if actions.contains(.retrieve) { routes.get(item, use: retrieve).documented(docs.retrieve); itemMethods.append(.GET) }
        if actions.contains(.update) {
            routes.put(item) { try await update($0, mode: .replace) }.documented(docs.update)
            if let refusal = definition.patchRefusal {
                routes.patch(item) { _ -> Response in throw APIError.message(.methodNotAllowed, refusal) }.markedAsMethodFallback()
            } else {
                routes.patch(item) { try await update($0, mode: .partial) }.documented(docs.partialUpdate)
            }
            itemMethods += [.PUT, .PATCH]
        }
        if actions.contains(.destroy) { routes.delete(item, use: destroy).documented(docs.destroy); itemMethods.append(.DELETE) }
        MethodFallback.register(on: routes, path: collection, allowed: collectionMethods)
        MethodFallback.register(on: routes, path: item, allowed: itemMethods)
        if actions.contains(.deletePreview) {
            let preview = item + ["delete_preview"]
            routes.get(preview, use: deletePreview).documented(docs.deletePreview)
            MethodFallback.register(on: routes, path: preview, allowed: [.GET])
        }
    }

    /// The request's user and database; `reading` (list and retrieve, which never write) reads through
    /// the SQLite snapshot reader when there is one.
    private func context(_ request: Request, reading: Bool = false) throws -> ResourceContext {
        let user = try request.requireUser()
        guard definition.policy.canRead(user) else { throw APIError.permissionDenied }
        return ResourceContext(user: user, db: reading ? try request.readingSQL : try request.sql, now: try request.settings.now())
    }

    private func repository(_ context: ResourceContext, db: (any SQLDatabase)? = nil) -> ResourceRepository {
        ResourceRepository(schema: schema, db: db ?? context.db)
    }

    @Sendable func list(_ request: Request) async throws -> Response {
        let context = try context(request, reading: true)
        let builder = ListQueryBuilder(schema: schema, context: FilterContext(now: context.now, dialect: context.db.dialect.name))
        let pairs = request.queryPairs.filter { !["limit", "offset", "o", "prefetch"].contains($0.0) }
        let conditions: [SQLQueryString]
        let order: [SQLQueryString]
        do {
            conditions = definition.policy.visibility(context.user) + (try builder.conditions(for: pairs))
            order = try builder.ordering(request.queryValue("o"))
        } catch { throw APIError.filter(error) }
        let page = Pagination(request: request)
        let repository = repository(context)
        guard definition.prefetch == nil || prefetchNames(request).isEmpty else {
            // `prefetch` needs the objects themselves to collect the ids they refer to.
            let count = try await repository.count(where: conditions)
            let results = count > page.offset
                ? try await repository.list(where: conditions, orderBy: order, limit: page.limit, offset: page.offset) : []
            let prefetch = try await prefetched(results, request: request, context: context)
            return page.envelope(count: count, results: results, request: request, prefetch: prefetch).response()
        }
        // The common case: the count and rows in one statement, written straight to JSON bytes
        // (with an empty `prefetch` object where supported).
        let (count, results) = try await repository.countedListJSON(where: conditions, orderBy: order, limit: page.limit, offset: page.offset)
        let body = page.envelopeBody(count: count, resultsJSON: results, request: request, prefetch: definition.prefetch == nil ? nil : .object([]))
        return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(buffer: body))
    }

    @Sendable func retrieve(_ request: Request) async throws -> Response {
        let context = try context(request, reading: true)
        let id = try request.intParameter("id")
        guard let object = try await repository(context).fetch(id: id, where: definition.policy.visibility(context.user)) else {
            throw APIError.notFound
        }
        return try await withPrefetch(object, request: request, context: context).response()
    }

    @Sendable func create(_ request: Request) async throws -> Response {
        let context = try context(request)
        let body = try RequestBody.fields(of: request)
        var input = try await validated(body, mode: .create, id: nil, context: context)
        try await definition.hooks.prepare?(context, .create, nil, &input)
        guard try await definition.policy.canCreate(context, input) else { throw APIError.permissionDenied }
        stampTimestamps(&input, creating: true, now: context.now)
        let finalInput = input
        let schema = self.schema
        let hooks = definition.hooks
        // The object as stored, read once inside the transaction: for the audit log and for the answer.
        let created = try await WriteTransaction.run(on: request.db) { sql -> JSONValue? in
            let scoped = ResourceContext(user: context.user, db: sql, now: context.now)
            let repository = ResourceRepository(schema: schema, db: sql)
            let id = try await repository.insert(finalInput.columns)
            try await Self.storeLists(finalInput, id: id, schema: schema, db: sql)
            try await hooks.afterWrite?(scoped, .create, id, finalInput)
            let after = try await repository.fetch(id: id)
            try await Self.audit(scoped, schema: schema, action: "create", id: id, before: nil, after: after)
            return after
        }
        guard let object = created else { throw APIError.internalError }
        return try await withPrefetch(object, request: request, context: context).response(status: .created)
    }

    func update(_ request: Request, mode: WriteMode) async throws -> Response {
        let context = try context(request)
        let id = try request.intParameter("id")
        guard try await repository(context).exists(id: id, where: definition.policy.visibility(context.user)) else { throw APIError.notFound }
        guard try await definition.policy.canUpdate(context, id) else { throw APIError.permissionDenied }
        let body = try RequestBody.fields(of: request)
        var input = try await validated(body, mode: mode, id: id, context: context)
        try await definition.hooks.prepare?(context, mode, id, &input)
        stampTimestamps(&input, creating: false, now: context.now)
        let finalInput = input
        let schema = self.schema
        let hooks = definition.hooks
        let updated = try await WriteTransaction.run(on: request.db) { sql -> JSONValue? in
            let scoped = ResourceContext(user: context.user, db: sql, now: context.now)
            let repository = ResourceRepository(schema: schema, db: sql)
            let before = try await repository.fetch(id: id)
            try await repository.update(id: id, finalInput.columns)
            try await Self.storeLists(finalInput, id: id, schema: schema, db: sql)
            try await hooks.afterWrite?(scoped, mode, id, finalInput)
            let after = try await repository.fetch(id: id)
            try await Self.audit(scoped, schema: schema, action: "update", id: id, before: before, after: after)
            return after
        }
        guard let object = updated else { throw APIError.notFound }
        return try await withPrefetch(object, request: request, context: context).response()
    }

    @Sendable func destroy(_ request: Request) async throws -> Response {
        let context = try context(request)
        let id = try request.intParameter("id")
        guard try await repository(context).exists(id: id, where: definition.policy.visibility(context.user)) else { throw APIError.notFound }
        guard try await definition.policy.canDelete(context, id) else { throw APIError.permissionDenied }
        let schema = self.schema
        let hooks = definition.hooks
        try await WriteTransaction.run(on: request.db) { sql in
            let scoped = ResourceContext(user: context.user, db: sql, now: context.now)
            let before = try await ResourceRepository(schema: schema, db: sql).fetch(id: id)
            try await hooks.beforeDelete?(scoped, id)
            try await CascadeDeleter(db: sql).delete(schema: schema, id: id)
            try await Self.audit(scoped, schema: schema, action: "delete", id: id, before: before, after: nil)
        }
        return Response(status: .noContent)
    }

    @Sendable func deletePreview(_ request: Request) async throws -> Response {
        let context = try context(request)
        let id = try request.intParameter("id")
        guard try await repository(context).exists(id: id, where: definition.policy.visibility(context.user)) else { throw APIError.notFound }
        let items = try await CascadeDeleter(db: context.db).preview(schema: schema, id: id)
        let page = Pagination(request: request)
        let slice = items.dropFirst(page.offset).prefix(page.limit).map(\.json)
        return page.envelope(count: items.count, results: Array(slice), request: request).response()
    }

    // MARK: - Helpers

    private func validated(_ body: [String: JSONValue], mode: WriteMode, id: Int?, context: ResourceContext) async throws -> ValidatedInput {
        switch try await InputValidator(schema: schema, db: context.db).validate(body, mode: mode, id: id) {
        case .success(let input): return input
        case .failure(let errors): throw APIError.validation(errors)
        }
    }

    private func stampTimestamps(_ input: inout ValidatedInput, creating: Bool, now: Date) {
        if creating, let field = schema.field("created"), field.access == .readOnly, field.isStored { input.set("created", .date(now)) }
        if schema.field("updated")?.isStored == true { input.set("updated", .date(now)) }
    }

    /// Records a write in the audit log, in the write's transaction: the changed fields before and after.
    static func audit(_ context: ResourceContext, schema: ResourceSchema, action: String, id: Int, before: JSONValue?, after: JSONValue?) async throws {
        let name = (after ?? before)?[schema.nameColumn]?.stringValue
        try await AuditLog.record(db: context.db, actor: context.user, action: action, objectType: schema.modelName.lowercased(), objectID: id,
                                  objectName: name, changes: AuditLog.changes(before: before, after: after), now: context.now)
    }

    static func storeLists(_ input: ValidatedInput, id: Int, schema: ResourceSchema, db: any SQLDatabase) async throws {
        if let tags = input.tags { try await TagStore(db: db).replace(objectType: schema.tagObjectType ?? schema.table, id: id, with: tags) }
        for (name, ids) in input.idLists {
            guard let field = schema.field(name), case .idList(let joinTable, let owner, let target, _) = field.kind else { continue }
            try await JoinListStore(db: db).replace(joinTable: joinTable, ownerColumn: owner, targetColumn: target, owner: id, targets: ids)
        }
    }
}
