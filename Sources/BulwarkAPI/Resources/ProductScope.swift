import BulwarkServices
import BulwarkStorage
import SQLKit

/// Object-level RBAC for everything that hangs off a product (engagements, tests, findings,
/// endpoints): a non-superuser sees rows whose product they are a member of, directly or
/// through its product type; roles decide what they may change.
public enum ProductScope {
    /// `SELECT id FROM products WHERE <visible to user>`, for `product_id IN (…)` conditions.
    public static func visibleProductIDs(_ user: UserAccount) -> SQLQueryString {
        """
        SELECT \(ident: "id") FROM \(ident: "products") WHERE \(ident: "id") IN (SELECT \(ident: "product_id") FROM \(ident: "product_members") WHERE \(ident: "user_id") = \(bind: user.id))
        OR \(ident: "prod_type_id") IN (SELECT \(ident: "product_type_id") FROM \(ident: "product_type_members") WHERE \(ident: "user_id") = \(bind: user.id))
        """
    }

    /// Visibility conditions for a table whose `column` holds a product id (empty for superusers).
    public static func visibility(_ user: UserAccount, table: String, column: String = "product_id") -> [SQLQueryString] {
        guard !user.isSuperuser else { return [] }
        return ["\(ident: table).\(ident: column) IN (" + visibleProductIDs(user) + ")"]
    }

    /// The user's role on the product owning row `id` of `table` (whose `column` is the product id).
    public static func role(of user: UserAccount, table: String, id: Int, column: String = "product_id", db: any SQLDatabase) async throws -> Role? {
        if user.isSuperuser { return .owner }
        guard let row = try await db.raw("SELECT \(ident: column) AS \(ident: "product") FROM \(ident: table) WHERE \(ident: "id") = \(bind: id)").first(),
              let product = try? row.decode(column: "product", as: Int.self)
        else { return nil }
        return try await Membership.role(of: user, product: product, db: db)
    }

    /// A policy for product-owned rows: readers view, writers and up edit, maintainers and up delete.
    /// `productOfInput` finds the product a new row would belong to (nil: refuse non-superusers).
    public static func policy(
        table: String, column: String = "product_id",
        productOfInput: @escaping @Sendable (ResourceContext, ValidatedInput) async throws -> Int?
    ) -> ResourcePolicy {
        ResourcePolicy(
            visibility: { visibility($0, table: table, column: column) },
            canCreate: { context, input in
                guard !context.user.isSuperuser else { return true }
                guard let product = try await productOfInput(context, input) else { return false }
                return try await Membership.role(of: context.user, product: product, db: context.db)?.canWrite ?? false
            },
            canUpdate: { context, id in try await role(of: context.user, table: table, id: id, column: column, db: context.db)?.canWrite ?? false },
            canDelete: { context, id in try await role(of: context.user, table: table, id: id, column: column, db: context.db)?.canEdit ?? false })
    }
}
