import BulwarkServices
import Vapor

/// Registers every signed-in page: the dashboard, findings, the product tree, imports, the account
/// pages, and the stylesheet and script they load.
public struct WebPages: Sendable {
    public let settings: PageSettings

    public init(settings: PageSettings) { self.settings = settings }

    public func register(on app: Application) {
        WebAssets.register(on: app)
        app.get(use: dashboard)
        FindingPagesController(settings: settings).register(on: app)
        ProductPagesController(settings: settings).register(on: app)
        CatalogFormsController(settings: settings).register(on: app)
        ImportPagesController(settings: settings).register(on: app)
        AccountPagesController(settings: settings).register(on: app)
    }

    @Sendable func dashboard(_ request: Request) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            let model = try await Dashboard.Query(db: context.db, user: context.user, now: context.now).model()
            return WebHandler.page(context, request: request, section: .dashboard, title: "Dashboard", content: Dashboard.View.content(model))
        }
    }
}
