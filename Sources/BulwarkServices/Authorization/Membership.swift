import BulwarkStorage
import SQLKit

/// Product-type and product memberships with DefectDojo's roles; superusers have every right.
public enum Membership {
    /// The user's effective role on a product type (superusers: owner).
    public static func role(of user: UserAccount, productType id: Int, db: any SQLDatabase) async throws -> Role? {
        if user.isSuperuser { return .owner }
        let row = try await db.raw("""
            SELECT \(ident: "role_id") FROM \(ident: "product_type_members") WHERE \(ident: "product_type_id") = \(bind: id) AND \(ident: "user_id") = \(bind: user.id)
            """).first()
        return try row.flatMap { Role(rawValue: try $0.decode(column: "role_id", as: Int.self)) }
    }

    /// The user's effective role on a product: the stronger of the product membership and its type's.
    public static func role(of user: UserAccount, product id: Int, db: any SQLDatabase) async throws -> Role? {
        if user.isSuperuser { return .owner }
        let rows = try await db.raw("""
            SELECT \(ident: "role_id") FROM \(ident: "product_members") WHERE \(ident: "product_id") = \(bind: id) AND \(ident: "user_id") = \(bind: user.id)
            UNION ALL
            SELECT \(ident: "m").\(ident: "role_id") FROM \(ident: "product_type_members") \(ident: "m")
            JOIN \(ident: "products") \(ident: "p") ON \(ident: "p").\(ident: "prod_type_id") = \(ident: "m").\(ident: "product_type_id")
            WHERE \(ident: "p").\(ident: "id") = \(bind: id) AND \(ident: "m").\(ident: "user_id") = \(bind: user.id)
            """).all()
        let roles = try rows.compactMap { Role(rawValue: try $0.decode(column: "role_id", as: Int.self)) }
        return roles.max { rank($0) < rank($1) }
    }

    static func rank(_ role: Role) -> Int {
        switch role {
        case .apiImporter: return 0
        case .reader: return 1
        case .writer: return 2
        case .maintainer: return 3
        case .owner: return 4
        }
    }

    /// Makes `user` a member of a product type (no-op when already one).
    public static func add(user: Int, productType: Int, role: Role, db: any SQLDatabase) async throws {
        let exists = try await db.raw("""
            SELECT 1 AS \(ident: "one") FROM \(ident: "product_type_members") WHERE \(ident: "product_type_id") = \(bind: productType) AND \(ident: "user_id") = \(bind: user)
            """).first()
        guard exists == nil else { return }
        try await db.raw("""
            INSERT INTO \(ident: "product_type_members") (\(ident: "product_type_id"), \(ident: "user_id"), \(ident: "role_id")) VALUES (\(bind: productType), \(bind: user), \(bind: role.rawValue))
            """).run()
    }

    /// Makes `user` a member of a product (no-op when already one).
    public static func add(user: Int, product: Int, role: Role, db: any SQLDatabase) async throws {
        let exists = try await db.raw("""
            SELECT 1 AS \(ident: "one") FROM \(ident: "product_members") WHERE \(ident: "product_id") = \(bind: product) AND \(ident: "user_id") = \(bind: user)
            """).first()
        guard exists == nil else { return }
        try await db.raw("""
            INSERT INTO \(ident: "product_members") (\(ident: "product_id"), \(ident: "user_id"), \(ident: "role_id")) VALUES (\(bind: product), \(bind: user), \(bind: role.rawValue))
            """).run()
    }
}
