import BulwarkStorage
import SQLKit

/// How rows of a table reach the product that owns them: directly (`product_id`) or through
/// parent tables (`endpoint_status.finding_id → findings.product_id`). Visibility conditions and
/// role lookups for every product-owned resource come from this one description.
public struct ProductPath: Sendable {
    public var table: String
    /// Hops from `table` to a table with a `product_id` column: the column holding the parent's id, and the parent table.
    public var via: [(column: String, parent: String)]

    public init(_ table: String, via: [(column: String, parent: String)] = []) {
        self.table = table
        self.via = via
    }

    public static let findings = ProductPath("findings")
    public static let endpoints = ProductPath("endpoints")
    public static let engagements = ProductPath("engagements")
    public static let tests = ProductPath("tests", via: [("engagement_id", "engagements")])
    public static let riskAcceptances = ProductPath("risk_acceptances", via: [("engagement_id", "engagements")])
    public static let endpointStatus = ProductPath("endpoint_status", via: [("finding_id", "findings")])
    public static let testImports = ProductPath("test_imports", via: [("test_id", "tests"), ("engagement_id", "engagements")])

    /// `table.column IN (…)` conditions limiting rows to the user's products (none for superusers).
    public func visibility(_ user: UserAccount) -> [SQLQueryString] {
        guard !user.isSuperuser else { return [] }
        // Innermost: ids of the last parent whose product is visible; then walk back towards `table`.
        var inner: SQLQueryString = AccessPolicy.visibleProductIDs(user)
        var column = "product_id"
        for hop in via.reversed() {
            inner = "SELECT \(ident: "id") FROM \(ident: hop.parent) WHERE \(ident: column) IN (" + inner + ")"
            column = hop.column
        }
        return ["\(ident: table).\(ident: column) IN (" + inner + ")"]
    }

    /// The product owning row `id`, nil when the row does not exist.
    public func product(of id: Int, db: any SQLDatabase) async throws -> Int? {
        var query: SQLQueryString = "SELECT t\(unsafeRaw: String(via.count)).\(ident: "product_id") AS \(ident: "product") FROM \(ident: table) t0"
        for (index, hop) in via.enumerated() {
            query = query + " JOIN \(ident: hop.parent) t\(unsafeRaw: String(index + 1)) ON t\(unsafeRaw: String(index + 1)).\(ident: "id") = t\(unsafeRaw: String(index)).\(ident: hop.column)"
        }
        return try await db.rows(query + " WHERE t0.\(ident: "id") = \(bind: id)").first?.int("product")
    }

    /// The user's role on the product owning row `id` (owner for superusers).
    public func role(of user: UserAccount, id: Int, db: any SQLDatabase) async throws -> Role? {
        if user.isSuperuser { return .owner }
        guard let product = try await product(of: id, db: db) else { return nil }
        return try await Membership.role(of: user, product: product, db: db)
    }
}
