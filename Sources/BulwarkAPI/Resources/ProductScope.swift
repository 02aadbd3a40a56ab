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
    /// `referenceField` names the input field that leads to the product: a product the user cannot see
    /// is then answered as that field's "does not exist" (400), not as a refusal that confirms it exists.
    public static func policy(
        path: ProductPath, referenceField: String? = nil, productOfInput: @escaping @Sendable (ResourceContext, ValidatedInput) async throws -> Int?
    ) -> ResourcePolicy {
        ResourcePolicy(
            visibility: { path.visibility($0) },
            canCreate: { context, input in
                guard !context.user.isSuperuser else { return true }
                guard let product = try await productOfInput(context, input) else { return false }
                let role = try await Membership.role(of: context.user, product: product, db: context.db)
                if role == nil, let referenceField { throw unseen(referenceField, input) }
                return role?.canWrite ?? false
            },
            canUpdate: { context, id in try await path.role(of: context.user, id: id, db: context.db)?.canWrite ?? false },
            canDelete: { context, id in try await path.role(of: context.user, id: id, db: context.db)?.canEdit ?? false })
    }

    /// The 400 a reference to an object outside the user's reach gets: the same as for a missing id.
    static func unseen(_ field: String, _ input: ValidatedInput) -> APIError {
        let id = input.values[field]?.intValue ?? input.values[field]?.items.first?.intValue ?? 0
        return APIError.field(field, "Invalid pk \"\(id)\" - object does not exist.")
    }

    /// The product a new row points at through one of its fields (`finding`, `test`, …) on `parent`'s path.
    /// A parent in a product the user cannot see answers as if it did not exist (400 naming the field),
    /// so a write cannot tell another product's ids from missing ones.
    public static func product(ofField name: String, on parent: ProductPath) -> @Sendable (ResourceContext, ValidatedInput) async throws -> Int? {
        { context, input in
            guard let id = input.values[name]?.intValue ?? input.values[name]?.items.first?.intValue else { return nil }
            guard let product = try await parent.product(of: id, db: context.db) else { return nil }
            if !context.user.isSuperuser, try await Membership.role(of: context.user, product: product, db: context.db) == nil {
                throw APIError.field(name, "Invalid pk \"\(id)\" - object does not exist.")
            }
            return product
        }
    }
}
