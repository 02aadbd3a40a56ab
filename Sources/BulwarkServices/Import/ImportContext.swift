import BulwarkStorage
import Foundation
import SQLKit

/// Where an import lands: the product type, product and engagement (and, on reimport, the test).
public struct ImportContext: Sendable, Equatable {
    public var productType: Int
    public var product: Int
    public var engagement: Int
    public var test: Int?
    /// CI/CD engagements get their target end pushed to the scan date.
    public var engagementIsCICD: Bool
    public var deduplicationOnEngagement: Bool
}

/// Resolves (and with `auto_create_context`, creates) the import target as DefectDojo does.
/// Runs inside the import's transaction, so anything it creates goes away if the import fails.
struct ImportContextResolver {
    let db: any SQLDatabase
    let user: UserAccount
    let now: Date

    private func one(_ query: SQLQueryString) async throws -> (any SQLRow)? { try await db.raw(query).first() }

    func productType(named name: String) async throws -> Int? {
        try await one("SELECT id FROM product_types WHERE name = \(bind: name)").map { try $0.decode(column: "id", as: Int.self) }
    }

    func product(named name: String) async throws -> (id: Int, type: Int)? {
        try await one("SELECT id, prod_type_id FROM products WHERE name = \(bind: name)")
            .map { (try $0.decode(column: "id", as: Int.self), try $0.decode(column: "prod_type_id", as: Int.self)) }
    }

    func engagementContext(_ id: Int) async throws -> ImportContext? {
        guard let row = try await one("""
            SELECT e.id, e.product_id, e.engagement_type, e.deduplication_on_engagement, p.prod_type_id
            FROM engagements e JOIN products p ON p.id = e.product_id WHERE e.id = \(bind: id)
            """) else { return nil }
        return ImportContext(
            productType: try row.decode(column: "prod_type_id", as: Int.self), product: try row.decode(column: "product_id", as: Int.self),
            engagement: id, test: nil, engagementIsCICD: (try row.decode(column: "engagement_type", as: String?.self)) == "CI/CD",
            deduplicationOnEngagement: try row.decode(column: "deduplication_on_engagement", as: Bool.self))
    }

    /// The product and, when named, the newest engagement of that name in it.
    func namedTarget(_ options: ImportOptions) async throws -> (product: (id: Int, type: Int)?, engagement: Int?) {
        guard let productName = options.productName, let product = try await product(named: productName) else { return (nil, nil) }
        if let typeName = options.productTypeName, let typeID = try await productType(named: typeName), typeID != product.type {
            throw ImportError.message("The fetched product has a conflict with the supplied product type name: existing product type name does not match \(typeName)")
        } else if let typeName = options.productTypeName, try await productType(named: typeName) == nil {
            throw ImportError.message("The fetched product has a conflict with the supplied product type name: \(typeName) does not exist")
        }
        guard let engagementName = options.engagementName else { return (product, nil) }
        let engagement = try await one("""
            SELECT id FROM engagements WHERE product_id = \(bind: product.id) AND name = \(bind: engagementName) ORDER BY id DESC LIMIT 1
            """).map { try $0.decode(column: "id", as: Int.self) }
        return (product, engagement)
    }

    /// import-scan §3.1: engagement by id or by names, creating what is missing when allowed.
    func resolveForImport(_ options: ImportOptions) async throws -> ImportContext {
        let named = try await namedTarget(options)
        if let id = options.engagement {
            guard let context = try await engagementContext(id) else { throw ImportError.field("engagement", "Invalid pk \"\(id)\" - object does not exist.") }
            if let product = named.product, product.id != context.product {
                throw ImportError.message("The provided engagement does not belong to the product named \(options.productName ?? "")")
            }
            try await requireImportRight(product: context.product)
            return context
        }
        if let id = named.engagement, let context = try await engagementContext(id) {
            try await requireImportRight(product: context.product)
            return context
        }
        return try await create(options, existingProduct: named.product)
    }

    /// Creates product type, product and engagement as needed (auto_create_context).
    func create(_ options: ImportOptions, existingProduct: (id: Int, type: Int)?) async throws -> ImportContext {
        guard options.autoCreateContext else {
            if existingProduct == nil && options.productName != nil {
                throw ImportError.message("auto_create_context not True, unable to create non-existing product")
            }
            if options.productName == nil && options.engagementName == nil {
                throw ImportError.message("engagement or product_name and engagement_name must be provided")
            }
            throw ImportError.message("auto_create_context not True, unable to create non-existing engagement")
        }
        guard let productName = options.productName else { throw ImportError.message("Product name must be provided to auto-create the context") }
        guard let engagementName = options.engagementName else { throw ImportError.message("Engagement name must be provided to auto-create the context") }
        // A scoped token imports only into its named products, existing or new.
        guard user.tokenScope.allowsImport(into: productName) else { throw ImportError.forbidden }
        let insert = BulkInsert(db: db)
        var product = existingProduct
        if product == nil {
            guard let typeName = options.productTypeName else {
                throw ImportError.message("Product Type name must be provided to auto-create the product \(productName)")
            }
            var typeID = try await productType(named: typeName)
            if typeID == nil {
                guard user.isSuperuser else { throw ImportError.forbidden }
                let made = try await ImportSerialization.insertOrGet(
                    "product_types", name: typeName, columns: ["critical_product", "key_product", "created", "updated"],
                    values: [.bool(false), .bool(false), .date(now), .date(now)], db: db)
                typeID = made?.id
                if let made, made.created { try await Membership.add(user: user.id, productType: made.id, role: .owner, db: db) }
            } else if let typeID, try await Membership.role(of: user, productType: typeID, db: db)?.canAddChildren != true {
                throw ImportError.forbidden
            }
            guard let typeID else { throw ImportError.message("Product type \(typeName) could not be created") }
            let productID = try await insert.insert(
                into: "products",
                columns: ["name", "description", "created", "updated", "external_audience", "internet_accessible", "enable_product_tag_inheritance",
                          "enable_simple_risk_acceptance", "enable_full_risk_acceptance", "disable_sla_breach_notifications", "prod_type_id",
                          "sla_configuration_id", "tid"],
                rows: [[.string(productName), .string(productName), .date(now), .date(now), .bool(false), .bool(false), .bool(false),
                        .bool(false), .bool(true), .bool(false), .int(typeID), .int(1), .int(0)]])[0]
            try await Membership.add(user: user.id, product: productID, role: .owner, db: db)
            product = (productID, typeID)
        } else if let product, try await Membership.role(of: user, product: product.id, db: db)?.canWrite != true, !user.isSuperuser {
            throw ImportError.forbidden
        }
        guard let product else { throw ImportError.message("Product \(productName) could not be created") }
        let today = DateFormatting.startOfDay(now)
        var end = options.engagementEndDate ?? DateFormatting.adding(days: 365, to: today)
        if end < today { end = DateFormatting.adding(days: 365, to: today) }
        let engagement = try await insert.insert(
            into: "engagements",
            columns: ["name", "target_start", "target_end", "threat_model", "api_test", "pen_test", "check_list", "status", "engagement_type",
                      "deduplication_on_engagement", "lead_id", "source_code_management_uri", "product_id", "active", "progress", "tmodel_path",
                      "done_testing", "created", "updated"],
            rows: [[.string(engagementName), .string(DateFormatting.day(today)), .string(DateFormatting.day(end)), .bool(true), .bool(true), .bool(true),
                    .bool(true), .string("In Progress"), .string("CI/CD"), .bool(options.deduplicationOnEngagement), .int(user.id),
                    options.sourceCodeManagementURI.map(SQLBindValue.string) ?? .null, .int(product.id), .bool(true), .string("threat_model"),
                    .string("none"), .bool(false), .date(now), .date(now)]])[0]
        return ImportContext(productType: product.type, product: product.id, engagement: engagement, test: nil, engagementIsCICD: true,
                             deduplicationOnEngagement: options.deduplicationOnEngagement)
    }

    /// reimport-scan §3.2: the test by id, or the newest test of this scan type (and title) in the named engagement.
    func resolveForReimport(_ options: ImportOptions) async throws -> ImportContext? {
        if let id = options.test {
            guard let row = try await one("SELECT engagement_id FROM tests WHERE id = \(bind: id)"),
                  var context = try await engagementContext(try row.decode(column: "engagement_id", as: Int.self))
            else { throw ImportError.field("test", "Invalid pk \"\(id)\" - object does not exist.") }
            // Names given beside the id must describe the same test (§3.2.1).
            if let productName = options.productName, try await product(named: productName)?.id != context.product {
                throw ImportError.message("The provided test does not belong to the product named \(productName)")
            }
            if let engagementName = options.engagementName {
                let name = try await one("SELECT name FROM engagements WHERE id = \(bind: context.engagement)")?.decode(column: "name", as: String?.self)
                if name != engagementName { throw ImportError.message("The provided test does not belong to the engagement named \(engagementName)") }
            }
            try await requireImportRight(product: context.product)
            context.test = id
            return context
        }
        let named = try await namedTarget(options)
        guard let engagementID = named.engagement, var context = try await engagementContext(engagementID) else { return nil }
        var query: SQLQueryString = "SELECT id FROM tests WHERE engagement_id = \(bind: engagementID) AND scan_type = \(bind: options.scanType)"
        if let title = options.testTitle { query = query + " AND title = \(bind: title)" }
        guard let row = try await one(query + " ORDER BY id DESC LIMIT 1") else { return nil }
        try await requireImportRight(product: context.product)
        context.test = try row.decode(column: "id", as: Int.self)
        return context
    }

    /// Any role on the product but Reader may import (API_Importer exists for exactly that).
    func requireImportRight(product: Int) async throws {
        if user.tokenScope != .full {
            let name = try await one("SELECT name FROM products WHERE id = \(bind: product)")?.decode(column: "name", as: String.self)
            guard let name, user.tokenScope.allowsImport(into: name) else { throw ImportError.forbidden }
        }
        guard !user.isSuperuser else { return }
        guard let role = try await Membership.role(of: user, product: product, db: db), role != .reader else { throw ImportError.forbidden }
    }

    /// The test type named `name`, created on first use.
    func testType(named name: String, scanType: String, staticTool: Bool, dynamicTool: Bool) async throws -> Int {
        let id = try await ImportSerialization.insertOrGet(
            "test_types", name: name, columns: ["static_tool", "dynamic_tool", "active", "dynamically_generated"],
            values: [.bool(staticTool), .bool(dynamicTool), .bool(true), .bool(name != scanType)], db: db)?.id
        guard let id else { throw ImportError.message("Test type \(name) could not be created") }
        return id
    }

    /// The development environment named `name`; created only with auto_create_context.
    func environment(named name: String, create: Bool) async throws -> Int {
        if let row = try await one("SELECT id FROM development_environments WHERE name = \(bind: name)") { return try row.decode(column: "id", as: Int.self) }
        guard create else { throw ImportError.message("Environment named \(name) does not exist.") }
        let id = try await ImportSerialization.insertOrGet("development_environments", name: name, columns: [], values: [], db: db)?.id
        guard let id else { throw ImportError.message("Environment \(name) could not be created") }
        return id
    }
}
