import BulwarkServices
import Fluent
import Vapor

/// The connector pages (superusers only, as the API's `connectors/`): the list with health, one
/// connector's records and operations, its validate / discover / sync buttons, and the bulk mapping
/// of records to products. Operations are queued for the job runner through ``ConnectorQueue``, and
/// mappings go through ``ConnectorRecordMapping``, the same rules the API applies.
struct ConnectorPagesController: Sendable {
    let settings: PageSettings

    func register(on app: Application) {
        app.get("connectors", use: list)
        app.get("connectors", ":id", use: detail)
        for type in ConnectorOperationType.allCases {
            app.post("connectors", ":id", .constant(type.rawValue)) { request in try await start(type, request) }
        }
        app.post("connectors", ":id", "records", use: mapRecords)
    }

    static func requireSuperuser(_ context: WebContext) throws {
        guard context.user.isSuperuser else { throw AccessError.forbidden }
    }

    @Sendable func list(_ request: Request) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            try Self.requireSuperuser(context)
            let model = ConnectorPages.ListModel(connectors: try await ConnectorPages.Query(db: context.db).summaries())
            return WebHandler.page(context, request: request, section: .connectors, title: "Connectors", content: ConnectorPages.View.list(model))
        }
    }

    @Sendable func detail(_ request: Request) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            try Self.requireSuperuser(context)
            guard let model = try await ConnectorPages.Query(db: context.db).detail(try WebHandler.id(request), csrfToken: context.csrfToken) else {
                throw AccessError.notFound
            }
            return WebHandler.page(context, request: request, section: .connectors, title: model.summary.label,
                                   content: ConnectorPages.View.detail(model))
        }
    }

    /// `POST /connectors/{id}/validate|discover|sync`: queues the operation for the job runner.
    func start(_ type: ConnectorOperationType, _ request: Request) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            try Self.requireSuperuser(context)
            _ = try WebHandler.form(request)
            let id = try WebHandler.id(request)
            do {
                let operation = try await ConnectorQueue(database: request.db, clock: { context.now }).start(type, connector: id, trigger: "manual")
                return WebHandler.redirect(request, to: Links.connector(id),
                                           flash: "\(type.rawValue.capitalized) queued as operation \(operation); its outcome appears below when it has run.")
            } catch ConnectorServiceError.notFound {
                throw AccessError.notFound
            } catch ConnectorServiceError.busy(let active) {
                return WebHandler.redirect(request, to: Links.connector(id),
                                           flash: "Operation \(active) of this connector is queued or running; try again when it has ended.", kind: .error)
            }
        }
    }

    /// `POST /connectors/{id}/records`: maps the selected records to a product, ignores or unmaps them.
    @Sendable func mapRecords(_ request: Request) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            try Self.requireSuperuser(context)
            let form = try WebHandler.form(request)
            let id = try WebHandler.id(request)
            let back = Links.connector(id)
            let records = form.ints("record")
            guard !records.isEmpty else { return WebHandler.redirect(request, to: back, flash: "Select at least one record.", kind: .error) }
            let change: ConnectorRecordMapping.BulkChange
            switch form["change"] ?? "" {
            case "map":
                guard let product = form["product"].flatMap({ Int($0) }) else {
                    return WebHandler.redirect(request, to: back, flash: "Choose the product to map the records to.", kind: .error)
                }
                change = .map(product: product)
            case "ignore": change = .ignore
            case "unmap": change = .unmap
            default: return WebHandler.redirect(request, to: back, flash: "Choose what to do with the records.", kind: .error)
            }
            do {
                let changed = try await ConnectorRecordMapping.apply(change, records: records, connector: id, now: context.now, database: request.db)
                return WebHandler.redirect(request, to: back, flash: "\(changed) record\(changed == 1 ? "" : "s") updated.")
            } catch ConnectorServiceError.notFound {
                return WebHandler.redirect(request, to: back, flash: "That product does not exist.", kind: .error)
            }
        }
    }
}
