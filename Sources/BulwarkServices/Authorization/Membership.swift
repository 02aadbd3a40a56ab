import BulwarkStorage
import SQLKit

/// Product-type and product memberships with DefectDojo's roles; superusers have every right.
public enum Membership {
    /// The user's effective role on a product type: the strongest of their direct, group and global
    /// grants (superusers: owner).
    public static func role(of user: UserAccount, productType id: Int, db: any SQLDatabase) async throws -> Role? {
        if user.isSuperuser { return .owner }
        let query = Grants.roleIDs("product_type_id", id: id, userTable: "product_type_members", groupTable: "product_type_groups", user: user)
            + " UNION ALL " + Grants.globalRoleIDs(user)
        return try await Grants.strongest(query, db: db)
    }

    /// The user's effective role on a product: the strongest of the product's grants, its type's
    /// grants (direct or through a group) and a global role.
    public static func role(of user: UserAccount, product id: Int, db: any SQLDatabase) async throws -> Role? {
        if user.isSuperuser { return .owner }
        let typeRow = try await db.rows("SELECT \(ident: "prod_type_id") FROM \(ident: "products") WHERE \(ident: "id") = \(bind: id)").first
        var query = Grants.roleIDs("product_id", id: id, userTable: "product_members", groupTable: "product_groups", user: user)
        if let typeID = try typeRow?.int("prod_type_id") {
            query = query + " UNION ALL " + Grants.roleIDs("product_type_id", id: typeID, userTable: "product_type_members", groupTable: "product_type_groups", user: user)
        }
        return try await Grants.strongest(query + " UNION ALL " + Grants.globalRoleIDs(user), db: db)
    }

    /// The user's role in a group: their membership role, or a stronger global role (superusers: owner).
    public static func role(of user: UserAccount, group id: Int, db: any SQLDatabase) async throws -> Role? {
        if user.isSuperuser { return .owner }
        let query: SQLQueryString = "SELECT \(ident: "role_id") FROM \(ident: "dojo_group_members") WHERE \(ident: "group_id") = \(bind: id) AND \(ident: "user_id") = \(bind: user.id) UNION ALL "
            + Grants.globalRoleIDs(user)
        return try await Grants.strongest(query, db: db)
    }

    static func rank(_ role: Role) -> Int { role.rank }

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

    /// Makes `user` a member of a group (no-op when already one).
    public static func add(user: Int, group: Int, role: Role, db: any SQLDatabase) async throws {
        let exists = try await db.raw("""
            SELECT 1 AS \(ident: "one") FROM \(ident: "dojo_group_members") WHERE \(ident: "group_id") = \(bind: group) AND \(ident: "user_id") = \(bind: user)
            """).first()
        guard exists == nil else { return }
        try await db.raw("""
            INSERT INTO \(ident: "dojo_group_members") (\(ident: "group_id"), \(ident: "user_id"), \(ident: "role_id")) VALUES (\(bind: group), \(bind: user), \(bind: role.rawValue))
            """).run()
    }
}
