import BulwarkServices
import Fluent
import BulwarkStorage
import SQLKit
import Vapor

/// Create and edit forms for product types, products and engagements, through ``ProductCatalogService``.
struct CatalogFormsController: Sendable {
    let settings: PageSettings

    func register(on app: Application) {
        app.get("product", "type", "add") { try await show($0, .productType, id: nil) }
        app.post("product", "type", "add") { try await save($0, .productType, id: nil) }
        app.get("product", "type", ":id", "edit") { try await show($0, .productType, id: try WebHandler.id($0)) }
        app.post("product", "type", ":id", "edit") { try await save($0, .productType, id: try WebHandler.id($0)) }
        app.get("product", "add") { try await show($0, .product, id: nil) }
        app.post("product", "add") { try await save($0, .product, id: nil) }
        app.get("product", ":id", "edit") { try await show($0, .product, id: try WebHandler.id($0)) }
        app.post("product", ":id", "edit") { try await save($0, .product, id: try WebHandler.id($0)) }
        app.get("product", ":id", "new_engagement") { try await show($0, .newEngagement, id: try WebHandler.id($0)) }
        app.post("product", ":id", "new_engagement") { try await save($0, .newEngagement, id: try WebHandler.id($0)) }
        app.get("engagement", ":id", "edit") { try await show($0, .engagement, id: try WebHandler.id($0)) }
        app.post("engagement", ":id", "edit") { try await save($0, .engagement, id: try WebHandler.id($0)) }
    }

    /// Which form: for `.newEngagement` the id is the product's.
    enum Form { case productType, product, newEngagement, engagement }

    func fields(_ form: Form, db: any SQLDatabase, user: UserAccount) async throws -> [CatalogForm.Field] {
        switch form {
        case .productType:
            return [.init(name: "name", label: "Name", kind: .text, required: true), .init(name: "description", label: "Description", kind: .textarea, required: false)]
        case .product:
            let types = try await db.raw("SELECT id, name FROM product_types WHERE " + AccessPolicy.productTypeVisibility(user).joinedAsConditions() + " ORDER BY name").all()
            let slas = try await db.raw("SELECT id, name FROM sla_configurations ORDER BY id").all()
            func options(_ rows: [any SQLRow]) throws -> [CatalogForm.Option] {
                try rows.map { .init(value: String(try $0.decode(column: "id", as: Int.self)), label: try $0.decode(column: "name", as: String.self)) }
            }
            return [.init(name: "name", label: "Name", kind: .text, required: true), .init(name: "description", label: "Description", kind: .textarea, required: true),
                    .init(name: "prod_type", label: "Product type", kind: .select([.init(value: "", label: "Choose a product type")] + (try options(types))), required: true),
                    .init(name: "sla_configuration", label: "SLA configuration", kind: .select(try options(slas)), required: true)]
        case .newEngagement, .engagement:
            return [.init(name: "name", label: "Name", kind: .text, required: false), .init(name: "description", label: "Description", kind: .textarea, required: false),
                    .init(name: "target_start", label: "Start date", kind: .date, required: true), .init(name: "target_end", label: "End date", kind: .date, required: true),
                    .init(name: "status", label: "Status", kind: .select(EngagementInput.statuses.map { .init(value: $0, label: $0) }), required: true),
                    .init(name: "engagement_type", label: "Type", kind: .select(EngagementInput.types.map { .init(value: $0, label: $0) }), required: true)]
        }
    }

    /// The stored values of the edited object (empty for new ones, with a few defaults).
    func current(_ form: Form, id: Int?, context: WebContext, query: FormData) async throws -> FormData {
        guard let id, form != .newEngagement else {
            switch form {
            case .product: return FormData(pairs: [("prod_type", query["prod_type"] ?? ""), ("sla_configuration", "1")])
            case .newEngagement:
                let today = DateFormatting.day(context.now)
                return FormData(pairs: [("target_start", today), ("target_end", today), ("status", "In Progress"), ("engagement_type", "Interactive")])
            default: return FormData()
            }
        }
        let (table, columns): (String, [String]) = switch form {
        case .productType: ("product_types", ["name", "description"])
        case .product: ("products", ["name", "description", "prod_type_id", "sla_configuration_id"])
        default: ("engagements", ["name", "description", "target_start", "target_end", "status", "engagement_type"])
        }
        guard let row = try await context.db.raw("SELECT \(idents: columns, joinedBy: ", ") FROM \(ident: table) WHERE id = \(bind: id)").first() else {
            throw AccessError.notFound
        }
        return FormData(pairs: try columns.map { column -> (String, String) in
            let name = column == "prod_type_id" ? "prod_type" : column == "sla_configuration_id" ? "sla_configuration" : column
            if column.hasSuffix("_id") { return (name, String(try row.decode(column: column, as: Int.self))) }
            return (name, try row.decode(column: column, as: String?.self) ?? "")
        })
    }

    func titleAndLinks(_ form: Form, id: Int?) -> (title: String, action: String, cancel: String) {
        switch (form, id) {
        case (.productType, nil): return ("Add product type", Links.newProductType, Links.productTypes)
        case (.productType, let id?): return ("Edit product type", Links.editProductType(id), Links.productType(id))
        case (.product, nil): return ("Add product", Links.newProduct, Links.products)
        case (.product, let id?): return ("Edit product", Links.editProduct(id), Links.product(id))
        case (.newEngagement, let id?): return ("Add engagement", Links.newEngagement(product: id), Links.product(id))
        case (.engagement, let id?): return ("Edit engagement", Links.editEngagement(id), Links.engagement(id))
        default: return ("", Links.products, Links.products)
        }
    }

    func render(_ form: Form, id: Int?, context: WebContext, request: Request, values: FormData, errors: [String: [String]]) async throws -> Response {
        let links = titleAndLinks(form, id: id)
        let model = CatalogForm.Model(title: links.title, action: links.action, cancel: links.cancel,
                                      fields: try await fields(form, db: context.db, user: context.user), values: values, errors: errors, csrfToken: context.csrfToken)
        return WebHandler.page(context, request: request, section: .products, title: links.title, status: errors.isEmpty ? .ok : .badRequest,
                               content: CatalogForm.View.content(model))
    }

    func show(_ request: Request, _ form: Form, id: Int?) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            if let id, form == .newEngagement, try await !context.access.isProductVisible(id) { throw AccessError.notFound }
            let values = try await current(form, id: id, context: context, query: request.queryData())
            return try await render(form, id: id, context: context, request: request, values: values, errors: [:])
        }
    }

    func save(_ request: Request, _ form: Form, id: Int?) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            let values = try WebHandler.form(request)
            let catalog = ProductCatalogService(db: context.db, user: context.user, now: context.now)
            let text = { (name: String) in values[name] ?? "" }
            do {
                switch (form, id) {
                case (.productType, nil):
                    let created = try await catalog.createProductType(ProductTypeInput(name: text("name"), description: text("description")))
                    return WebHandler.redirect(request, to: Links.productType(created), flash: "Product type added.")
                case (.productType, let id?):
                    try await catalog.updateProductType(id, ProductTypeInput(name: text("name"), description: text("description")))
                    return WebHandler.redirect(request, to: Links.productType(id), flash: "Product type saved.")
                case (.product, let id):
                    let input = ProductInput(name: text("name"), description: text("description"), productType: values.int("prod_type"),
                                             slaConfiguration: values.int("sla_configuration"))
                    if let id {
                        try await catalog.updateProduct(id, input)
                        return WebHandler.redirect(request, to: Links.product(id), flash: "Product saved.")
                    }
                    let created = try await catalog.createProduct(input)
                    return WebHandler.redirect(request, to: Links.product(created), flash: "Product added.")
                case (.newEngagement, let product?):
                    let created = try await catalog.createEngagement(product: product, Self.engagement(values))
                    return WebHandler.redirect(request, to: Links.engagement(created), flash: "Engagement added.")
                case (.engagement, let id?):
                    try await catalog.updateEngagement(id, Self.engagement(values))
                    return WebHandler.redirect(request, to: Links.engagement(id), flash: "Engagement saved.")
                default:
                    throw AccessError.notFound
                }
            } catch let error as CatalogFormError {
                return try await render(form, id: id, context: context, request: request, values: values, errors: error.fields)
            }
        }
    }

    static func engagement(_ values: FormData) -> EngagementInput {
        EngagementInput(name: values["name"] ?? "", description: values["description"] ?? "", targetStart: values["target_start"] ?? "",
                        targetEnd: values["target_end"] ?? "", status: values["status"] ?? "", engagementType: values["engagement_type"] ?? "")
    }
}
