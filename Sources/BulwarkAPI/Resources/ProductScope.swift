import BulwarkServices
import BulwarkStorage
import SQLKit

/// Object-level RBAC for everything that hangs off a product (engagements, tests, findings,
/// endpoints): a non-superuser sees rows whose product they are a member of, directly or
/// through its product type; roles decide what they may change.
public enum ProductScope {
    /// `SELECT id FROM products WHERE <visible to user>`; the rule lives in ``AccessPolicy``.
    public static func visibleProductIDs(_ user: UserAccount) -> SQLQueryString { AccessPolicy.visibleProductIDs(user) }

    /// A policy for product-owned rows: readers view, writers and up edit, maintainers and up delete.
    /// `productOfInput` finds the product a new row would belong to (nil: refuse non-superusers).
    public static func policy(
        path: ProductPath, productOfInput: @escaping @Sendable (ResourceContext, ValidatedInput) async throws -> Int?
    ) -> ResourcePolicy {
        ResourcePolicy(
            visibility: { path.visibility($0) },
            canCreate: { context, input in
                guard !context.user.isSuperuser else { return true }
                guard let product = try await productOfInput(context, input) else { return false }
                return try await Membership.role(of: context.user, product: product, db: context.db)?.canWrite ?? false
            },
            canUpdate: { context, id in try await path.role(of: context.user, id: id, db: context.db)?.canWrite ?? false },
            canDelete: { context, id in try await path.role(of: context.user, id: id, db: context.db)?.canEdit ?? false })
    }

    /// The product a new row points at through one of its fields (`finding`, `test`, …) on `parent`'s path.
    public static func product(ofField name: String, on parent: ProductPath) -> @Sendable (ResourceContext, ValidatedInput) async throws -> Int? {
        { context, input in
            guard let id = input.values[name]?.intValue ?? input.values[name]?.items.first?.intValue else { return nil }
            return try await parent.product(of: id, db: context.db)
        }
    }
}
