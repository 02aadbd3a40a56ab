import BulwarkStorage
import FluentKit
import Foundation
import SQLKit

/// A refused create or edit of the product tree, with field errors in DefectDojo's words.
public struct CatalogFormError: Error, Sendable, Equatable {
    public var fields: [String: [String]]
}

/// What the product type form edits.
public struct ProductTypeInput: Sendable, Equatable {
    public var name: String
    public var description: String
    public init(name: String, description: String) {
        self.name = name
        self.description = description
    }
}

/// What the product form edits.
public struct ProductInput: Sendable, Equatable {
    public var name: String
    public var description: String
    public var productType: Int?
    public var slaConfiguration: Int?
    public init(name: String, description: String, productType: Int?, slaConfiguration: Int?) {
        self.name = name
        self.description = description
        self.productType = productType
        self.slaConfiguration = slaConfiguration
    }
}

/// What the engagement form edits (dates as `YYYY-MM-DD`).
public struct EngagementInput: Sendable, Equatable {
    public var name: String
    public var description: String
    public var targetStart: String
    public var targetEnd: String
    public var status: String
    public var engagementType: String
    public init(name: String, description: String, targetStart: String, targetEnd: String, status: String = "Not Started",
                engagementType: String = "Interactive") {
        self.name = name
        self.description = description
        self.targetStart = targetStart
        self.targetEnd = targetEnd
        self.status = status
        self.engagementType = engagementType
    }

    /// DefectDojo's engagement statuses and types.
    public static let statuses = ["Not Started", "Blocked", "Cancelled", "Completed", "In Progress", "On Hold", "Scheduled", "Waiting for Resource"]
    public static let types = ["Interactive", "CI/CD"]
}

/// Creates and edits product types, products and engagements for the pages, with DefectDojo's
/// permission rules (``AccessPolicy``) and field checks; the creator of a product type or product
/// becomes its owner, as the API does.
public struct ProductCatalogService: Sendable {
    public let db: any SQLDatabase
    public let user: UserAccount
    public let now: Date

    public init(db: any SQLDatabase, user: UserAccount, now: Date = Date()) {
        self.db = db
        self.user = user
        self.now = now
    }

    var access: AccessPolicy { AccessPolicy(user: user, db: db) }

    func exists(_ table: String, _ id: Int) async throws -> Bool {
        try await db.raw("SELECT 1 AS \(ident: "one") FROM \(ident: table) WHERE \(ident: "id") = \(bind: id)").first() != nil
    }

    func nameTaken(_ table: String, _ name: String, except id: Int?) async throws -> Bool {
        try await db.raw("SELECT 1 AS \(ident: "one") FROM \(ident: table) WHERE \(ident: "name") = \(bind: name) AND \(ident: "id") <> \(bind: id ?? -1)").first() != nil
    }

    func insertID(_ query: SQLQueryString) async throws -> Int {
        guard let row = try await db.raw(query + " RETURNING \(ident: "id")").first() else { throw StorageError(.insertFailed, "no id returned") }
        return try row.decode(column: "id", as: Int.self)
    }

    // MARK: Audit

    static let auditedColumns: [String: (type: String, columns: [String])] = [
        "product_types": ("product_type", ["name", "description"]),
        "products": ("product", ["name", "description", "prod_type_id", "sla_configuration_id"]),
        "engagements": ("engagement", ["name", "description", "target_start", "target_end", "status", "engagement_type"]),
    ]

    /// The audited columns of a row, as text.
    func auditSnapshot(_ table: String, _ id: Int) async throws -> JSONValue? {
        guard let columns = Self.auditedColumns[table]?.columns else { return nil }
        let select = SQLQueryString(columns.map { "CAST(\($0) AS TEXT) AS \($0)" }.joined(separator: ", "))
        guard let row = try await db.raw("SELECT " + select + " FROM \(unsafeRaw: table) WHERE id = \(bind: id)").first() else { return nil }
        return .object(try columns.map { ($0, try row.decode(column: $0, as: String?.self).map(JSONValue.string) ?? .null) })
    }

    /// Records a page's create or update in the audit log.
    func audit(_ table: String, _ id: Int, action: String, before: JSONValue?) async throws {
        guard let kind = Self.auditedColumns[table]?.type else { return }
        let after = try await auditSnapshot(table, id)
        try await AuditLog.record(db: db, actor: user, action: action, objectType: kind, objectID: id, objectName: after?["name"]?.stringValue,
                                  changes: AuditLog.changes(before: before, after: after), now: now)
    }

    // MARK: Product types

    func check(_ input: ProductTypeInput, id: Int?) async throws {
        var errors: [String: [String]] = [:]
        if input.name.isEmpty { errors["name"] = ["This field may not be blank."] }
        else if try await nameTaken("product_types", input.name, except: id) { errors["name"] = ["product type with this name already exists."] }
        guard errors.isEmpty else { throw CatalogFormError(fields: errors) }
    }

    /// Creates a product type (superusers only, as in DefectDojo).
    public func createProductType(_ input: ProductTypeInput) async throws -> Int {
        guard user.isSuperuser else { throw AccessError.forbidden }
        try await check(input, id: nil)
        let id = try await insertID("""
            INSERT INTO product_types (name, description, critical_product, key_product, created, updated)
            VALUES (\(bind: input.name), \(bind: input.description), \(bind: false), \(bind: false), \(bind: now), \(bind: now))
            """)
        try await Membership.add(user: user.id, productType: id, role: .owner, db: db)
        try await audit("product_types", id, action: "create", before: nil)
        return id
    }

    public func updateProductType(_ id: Int, _ input: ProductTypeInput) async throws {
        guard try await access.canEditProductType(id) else { throw AccessError.forbidden }
        try await check(input, id: id)
        let before = try await auditSnapshot("product_types", id)
        try await db.raw("UPDATE product_types SET name = \(bind: input.name), description = \(bind: input.description), updated = \(bind: now) WHERE id = \(bind: id)").run()
        try await audit("product_types", id, action: "update", before: before)
    }

    // MARK: Products

    func check(_ input: ProductInput, id: Int?) async throws {
        var errors: [String: [String]] = [:]
        if input.name.isEmpty { errors["name"] = ["This field may not be blank."] }
        else if try await nameTaken("products", input.name, except: id) { errors["name"] = ["product with this name already exists."] }
        if input.description.isEmpty { errors["description"] = ["This field may not be blank."] }
        if let type = input.productType {
            if try await !exists("product_types", type) { errors["prod_type"] = ["Invalid pk \"\(type)\" - object does not exist."] }
        } else { errors["prod_type"] = ["This field is required."] }
        if let sla = input.slaConfiguration, try await !exists("sla_configurations", sla) {
            errors["sla_configuration"] = ["Invalid pk \"\(sla)\" - object does not exist."]
        }
        guard errors.isEmpty else { throw CatalogFormError(fields: errors) }
    }

    /// Creates a product in a product type the user may add to.
    public func createProduct(_ input: ProductInput) async throws -> Int {
        try await check(input, id: nil)
        guard let type = input.productType, try await access.canAddProduct(toType: type) else { throw AccessError.forbidden }
        let id = try await insertID("""
            INSERT INTO products (name, description, created, updated, external_audience, internet_accessible, enable_product_tag_inheritance,
              enable_simple_risk_acceptance, enable_full_risk_acceptance, disable_sla_breach_notifications, prod_type_id, sla_configuration_id, tid)
            VALUES (\(bind: input.name), \(bind: input.description), \(bind: now), \(bind: now), \(bind: false), \(bind: false), \(bind: false),
              \(bind: false), \(bind: true), \(bind: false), \(bind: type), \(bind: input.slaConfiguration ?? 1), 0)
            """)
        try await Membership.add(user: user.id, product: id, role: .owner, db: db)
        try await audit("products", id, action: "create", before: nil)
        return id
    }

    public func updateProduct(_ id: Int, _ input: ProductInput) async throws {
        guard try await access.canEditProduct(id) else { throw AccessError.forbidden }
        try await check(input, id: id)
        let before = try await auditSnapshot("products", id)
        try await db.raw("""
            UPDATE products SET name = \(bind: input.name), description = \(bind: input.description), prod_type_id = \(bind: input.productType ?? 0),
              sla_configuration_id = \(bind: input.slaConfiguration ?? 1), updated = \(bind: now) WHERE id = \(bind: id)
            """).run()
        try await audit("products", id, action: "update", before: before)
    }

    // MARK: Engagements

    func check(_ input: EngagementInput) throws {
        var errors: [String: [String]] = [:]
        let start = DateFormatting.parseDay(input.targetStart), end = DateFormatting.parseDay(input.targetEnd)
        if start == nil { errors["target_start"] = ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."] }
        if end == nil { errors["target_end"] = ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."] }
        if let start, let end, end < start { errors["target_end"] = ["Your target start date exceeds your target end date"] }
        if !EngagementInput.statuses.contains(input.status) { errors["status"] = ["\"\(input.status)\" is not a valid choice."] }
        if !EngagementInput.types.contains(input.engagementType) { errors["engagement_type"] = ["\"\(input.engagementType)\" is not a valid choice."] }
        guard errors.isEmpty else { throw CatalogFormError(fields: errors) }
    }

    /// Creates an engagement on a product the user may write to.
    public func createEngagement(product: Int, _ input: EngagementInput) async throws -> Int {
        guard try await access.isProductVisible(product) else { throw AccessError.notFound }
        guard try await Membership.role(of: user, product: product, db: db)?.canWrite == true else { throw AccessError.forbidden }
        try check(input)
        let id = try await insertID("""
            INSERT INTO engagements (name, description, target_start, target_end, threat_model, api_test, pen_test, check_list, status, engagement_type,
              deduplication_on_engagement, product_id, active, progress, tmodel_path, done_testing, created, updated)
            VALUES (\(bind: input.name), \(bind: input.description), \(bind: input.targetStart), \(bind: input.targetEnd), \(bind: true), \(bind: true),
              \(bind: true), \(bind: true), \(bind: input.status), \(bind: input.engagementType), \(bind: false), \(bind: product), \(bind: true),
              'threat_model', 'none', \(bind: false), \(bind: now), \(bind: now))
            """)
        try await audit("engagements", id, action: "create", before: nil)
        return id
    }

    public func updateEngagement(_ id: Int, _ input: EngagementInput) async throws {
        try await access.require(.engagements, id: id, write: true)
        try check(input)
        let before = try await auditSnapshot("engagements", id)
        try await db.raw("""
            UPDATE engagements SET name = \(bind: input.name), description = \(bind: input.description), target_start = \(bind: input.targetStart),
              target_end = \(bind: input.targetEnd), status = \(bind: input.status), engagement_type = \(bind: input.engagementType), updated = \(bind: now)
            WHERE id = \(bind: id)
            """).run()
        try await audit("engagements", id, action: "update", before: before)
    }
}
