import BulwarkServices
import Vapor

/// The product tree's read pages: product types, products, engagements and tests.
struct ProductPagesController: Sendable {
    let settings: PageSettings

    func register(on app: Application) {
        app.get("product", use: products)
        app.get("product", "type", use: productTypes)
        app.get("product", "type", ":id", use: productType)
        app.get("product", ":id", use: product)
        app.get("engagement", ":id", use: engagement)
        app.get("test", ":id", use: test)
    }

    func listPage(_ request: Request, title: String, _ load: @escaping @Sendable (ProductPages.Query) async throws -> ProductPages.ListModel) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            let model = try await load(ProductPages.Query(db: context.db, user: context.user))
            return WebHandler.page(context, request: request, section: .products, title: title, content: ProductPages.View.list(model))
        }
    }

    func detailPage(_ request: Request, _ load: @escaping @Sendable (ProductPages.Query, Int) async throws -> ProductPages.DetailModel?) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            guard let model = try await load(ProductPages.Query(db: context.db, user: context.user), try WebHandler.id(request)) else {
                throw AccessError.notFound
            }
            return WebHandler.page(context, request: request, section: .products, title: model.title, content: ProductPages.View.detail(model))
        }
    }

    @Sendable func products(_ request: Request) async throws -> Response { try await listPage(request, title: "Products") { try await $0.products() } }
    @Sendable func productTypes(_ request: Request) async throws -> Response { try await listPage(request, title: "Product types") { try await $0.productTypes() } }
    @Sendable func productType(_ request: Request) async throws -> Response { try await detailPage(request) { try await $0.productType($1) } }
    @Sendable func product(_ request: Request) async throws -> Response { try await detailPage(request) { try await $0.product($1) } }
    @Sendable func engagement(_ request: Request) async throws -> Response { try await detailPage(request) { try await $0.engagement($1) } }
    @Sendable func test(_ request: Request) async throws -> Response { try await detailPage(request) { try await $0.test($1) } }
}
