import BulwarkStorage
import SQLKit

/// Why an access check refused: the row is invisible to the user (404) or visible but not theirs to change (403).
public enum AccessError: Error, Sendable, Equatable {
    case notFound
    case forbidden
}

/// The product-scope rules every adapter applies: a non-superuser sees what hangs off the products
/// they are a member of (directly or through the product type), and changes it when their role allows.
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

    /// `SELECT id FROM products WHERE <visible to user>`, for `product_id IN (…)` conditions.
    public static func visibleProductIDs(_ user: UserAccount) -> SQLQueryString {
        """
        SELECT \(ident: "id") FROM \(ident: "products") WHERE \(ident: "id") IN (SELECT \(ident: "product_id") FROM \(ident: "product_members") WHERE \(ident: "user_id") = \(bind: user.id))
        OR \(ident: "prod_type_id") IN (SELECT \(ident: "product_type_id") FROM \(ident: "product_type_members") WHERE \(ident: "user_id") = \(bind: user.id))
        """
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

    /// Whether the user may add products to a product type.
    public func canAddProduct(toType productType: Int) async throws -> Bool {
        try await Membership.role(of: user, productType: productType, db: db)?.canAddChildren ?? false
    }

    /// Products a non-superuser may see: their own, and all products of product types they belong to.
    public static func productVisibility(_ user: UserAccount) -> [SQLQueryString] {
        guard !user.isSuperuser else { return [] }
        return ["""
            (\(ident: "products").\(ident: "id") IN (SELECT \(ident: "product_id") FROM \(ident: "product_members") WHERE \(ident: "user_id") = \(bind: user.id))
            OR \(ident: "products").\(ident: "prod_type_id") IN (SELECT \(ident: "product_type_id") FROM \(ident: "product_type_members") WHERE \(ident: "user_id") = \(bind: user.id)))
            """]
    }

    /// Product types a non-superuser may see: those they are a member of, or that hold a product they are a member of.
    public static func productTypeVisibility(_ user: UserAccount) -> [SQLQueryString] {
        guard !user.isSuperuser else { return [] }
        return ["""
            (\(ident: "product_types").\(ident: "id") IN (SELECT \(ident: "product_type_id") FROM \(ident: "product_type_members") WHERE \(ident: "user_id") = \(bind: user.id))
            OR \(ident: "product_types").\(ident: "id") IN (SELECT \(ident: "prod_type_id") FROM \(ident: "products") WHERE \(ident: "id") IN
              (SELECT \(ident: "product_id") FROM \(ident: "product_members") WHERE \(ident: "user_id") = \(bind: user.id))))
            """]
    }
}
