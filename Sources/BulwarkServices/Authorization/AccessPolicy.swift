import BulwarkStorage
import SQLKit

/// Why an access check refused: the row is invisible to the user (404) or visible but not theirs to change (403).
public enum AccessError: Error, Sendable, Equatable {
    case notFound
    case forbidden
}

/// The product-scope rules every adapter applies: a non-superuser sees what hangs off the products
/// they hold a role on (on the product or its type, directly or through a group, or by a global
/// role; see ``Grants``), and changes it when their strongest role allows.
///
/// The API's resource policies and the web pages both ask this type, so a page never shows or
/// changes what the API would refuse.
public struct AccessPolicy: Sendable {
    public let user: UserAccount
    public let db: any SQLDatabase

    public init(user: UserAccount, db: any SQLDatabase) {
        self.user = user
        self.db = db
    }

    /// `SELECT id FROM products WHERE <visible to user>`, for `product_id IN (…)` conditions: products
    /// granted to the user or their groups, products of product types granted so, or all with a global role.
    public static func visibleProductIDs(_ user: UserAccount) -> SQLQueryString {
        "SELECT \(ident: "id") FROM \(ident: "products") WHERE " + Grants.hasGlobalRole(user)
            + " OR \(ident: "id") IN (" + Grants.productIDs(user) + ") OR \(ident: "prod_type_id") IN (" + Grants.productTypeIDs(user) + ")"
    }

    /// `SELECT id FROM product_types WHERE <visible to user>`, for `product_type_id IN (…)` conditions.
    public static func visibleProductTypeIDs(_ user: UserAccount) -> SQLQueryString {
        "SELECT \(ident: "id") FROM \(ident: "product_types") WHERE " + productTypeCondition(user, reference: "\(ident: "id")")
    }

    /// Whether row `id` of `path`'s table exists and is visible to the user.
    public func isVisible(_ path: ProductPath, id: Int) async throws -> Bool {
        var query: SQLQueryString = "SELECT 1 AS \(ident: "one") FROM \(ident: path.table) WHERE \(ident: path.table).\(ident: "id") = \(bind: id)"
        for condition in path.visibility(user) { query = query + " AND " + condition }
        return try await db.raw(query).first() != nil
    }

    /// Checks that row `id` is visible (else ``AccessError/notFound``) and, for `write`, that the
    /// user's role may change it (else ``AccessError/forbidden``).
    public func require(_ path: ProductPath, id: Int, write: Bool) async throws {
        guard try await isVisible(path, id: id) else { throw AccessError.notFound }
        if write, try await path.role(of: user, id: id, db: db)?.canWrite != true { throw AccessError.forbidden }
    }

    /// Whether the user may change row `id` (Writer and up on its product).
    public func canWrite(_ path: ProductPath, id: Int) async throws -> Bool {
        try await path.role(of: user, id: id, db: db)?.canWrite ?? false
    }

    /// Whether the user may edit a product (Maintainer and up), or create under a product type.
    public func canEditProduct(_ product: Int) async throws -> Bool {
        try await Membership.role(of: user, product: product, db: db)?.canEdit ?? false
    }

    /// Whether the user may edit a product type (Maintainer and up on it).
    public func canEditProductType(_ productType: Int) async throws -> Bool {
        try await Membership.role(of: user, productType: productType, db: db)?.canEdit ?? false
    }

    /// Whether product `id` exists and is visible to the user.
    public func isProductVisible(_ id: Int) async throws -> Bool {
        var query: SQLQueryString = "SELECT 1 AS \(ident: "one") FROM \(ident: "products") WHERE \(ident: "products").\(ident: "id") = \(bind: id)"
        for condition in Self.productVisibility(user) { query = query + " AND " + condition }
        return try await db.raw(query).first() != nil
    }

    /// Whether product type `id` exists and is visible to the user.
    public func isProductTypeVisible(_ id: Int) async throws -> Bool {
        var query: SQLQueryString = "SELECT 1 AS \(ident: "one") FROM \(ident: "product_types") WHERE \(ident: "product_types").\(ident: "id") = \(bind: id)"
        for condition in Self.productTypeVisibility(user) { query = query + " AND " + condition }
        return try await db.raw(query).first() != nil
    }

    /// Whether group `id` exists and is visible to the user.
    public func isGroupVisible(_ id: Int) async throws -> Bool {
        var query: SQLQueryString = "SELECT 1 AS \(ident: "one") FROM \(ident: "dojo_groups") WHERE \(ident: "dojo_groups").\(ident: "id") = \(bind: id)"
        for condition in Self.groupVisibility(user, column: "\(ident: "dojo_groups").\(ident: "id")") { query = query + " AND " + condition }
        return try await db.raw(query).first() != nil
    }

    /// Whether the user may add products to a product type.
    public func canAddProduct(toType productType: Int) async throws -> Bool {
        try await Membership.role(of: user, productType: productType, db: db)?.canAddChildren ?? false
    }

    /// Products a non-superuser may see: those granted to them or their groups, all products of
    /// product types granted so, and every product with a global role.
    public static func productVisibility(_ user: UserAccount) -> [SQLQueryString] {
        guard !user.isSuperuser else { return [] }
        return ["(" + Grants.hasGlobalRole(user)
            + " OR \(ident: "products").\(ident: "id") IN (" + Grants.productIDs(user)
            + ") OR \(ident: "products").\(ident: "prod_type_id") IN (" + Grants.productTypeIDs(user) + "))"]
    }

    /// Product types a non-superuser may see: those granted to them or their groups, those holding a
    /// product they may see, and every product type with a global role.
    public static func productTypeVisibility(_ user: UserAccount) -> [SQLQueryString] {
        guard !user.isSuperuser else { return [] }
        return [productTypeCondition(user, reference: "\(ident: "product_types").\(ident: "id")")]
    }

    /// Groups a non-superuser may see: those they belong to, and every group with a global role.
    public static func groupVisibility(_ user: UserAccount, column: SQLQueryString) -> [SQLQueryString] {
        guard !user.isSuperuser else { return [] }
        return ["(" + Grants.hasGlobalRole(user) + " OR " + column + " IN (" + Grants.groupIDs(of: user) + "))"]
    }

    /// `reference` (a product type id column) is granted, holds a visible product, or the user has a global role.
    static func productTypeCondition(_ user: UserAccount, reference: SQLQueryString) -> SQLQueryString {
        return "(" + Grants.hasGlobalRole(user) + " OR " + reference + " IN (" + Grants.productTypeIDs(user) + ") OR " + reference
            + " IN (SELECT \(ident: "prod_type_id") FROM \(ident: "products") WHERE \(ident: "id") IN (" + Grants.productIDs(user) + ")))"
    }
}
