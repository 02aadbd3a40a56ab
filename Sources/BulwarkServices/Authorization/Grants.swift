import BulwarkStorage
import SQLKit

/// The SQL pieces that say which grants reach a user: their own rows, the rows of the groups they
/// belong to, and a global role (their own or one of their groups'). Every visibility condition and
/// role lookup is built from these, so a group grant or a global role counts exactly like direct
/// membership wherever ``AccessPolicy`` is consulted.
enum Grants {
    /// `SELECT group_id FROM dojo_group_members WHERE user_id = <user>`.
    static func groupIDs(of user: UserAccount) -> SQLQueryString {
        "SELECT \(ident: "group_id") FROM \(ident: "dojo_group_members") WHERE \(ident: "user_id") = \(bind: user.id)"
    }

    /// `EXISTS (…)`: the user has a global role, directly or through a group.
    static func hasGlobalRole(_ user: UserAccount) -> SQLQueryString {
        "EXISTS (SELECT 1 FROM \(ident: "global_roles") WHERE \(ident: "role_id") IS NOT NULL AND (\(ident: "user_id") = \(bind: user.id) OR \(ident: "group_id") IN ("
            + groupIDs(of: user) + ")))"
    }

    /// Ids of the objects in `userTable`/`groupTable` (keyed by `column`) granted to the user or one of their groups.
    static func grantedIDs(_ column: String, userTable: String, groupTable: String, user: UserAccount) -> SQLQueryString {
        "SELECT \(ident: column) FROM \(ident: userTable) WHERE \(ident: "user_id") = \(bind: user.id) UNION SELECT \(ident: column) FROM \(ident: groupTable) WHERE \(ident: "group_id") IN ("
            + groupIDs(of: user) + ")"
    }

    static func productIDs(_ user: UserAccount) -> SQLQueryString {
        grantedIDs("product_id", userTable: "product_members", groupTable: "product_groups", user: user)
    }

    static func productTypeIDs(_ user: UserAccount) -> SQLQueryString {
        grantedIDs("product_type_id", userTable: "product_type_members", groupTable: "product_type_groups", user: user)
    }

    /// Role ids of every grant on one object: direct and group rows in the two tables.
    static func roleIDs(_ column: String, id: Int, userTable: String, groupTable: String, user: UserAccount) -> SQLQueryString {
        "SELECT \(ident: "role_id") FROM \(ident: userTable) WHERE \(ident: column) = \(bind: id) AND \(ident: "user_id") = \(bind: user.id) UNION ALL SELECT \(ident: "role_id") FROM \(ident: groupTable) WHERE \(ident: column) = \(bind: id) AND \(ident: "group_id") IN ("
            + groupIDs(of: user) + ")"
    }

    /// Role ids of the user's global roles (their own and their groups').
    static func globalRoleIDs(_ user: UserAccount) -> SQLQueryString {
        "SELECT \(ident: "role_id") FROM \(ident: "global_roles") WHERE \(ident: "role_id") IS NOT NULL AND (\(ident: "user_id") = \(bind: user.id) OR \(ident: "group_id") IN ("
            + groupIDs(of: user) + "))"
    }

    /// The strongest role among the `role_id` rows `query` returns.
    static func strongest(_ query: SQLQueryString, db: any SQLDatabase) async throws -> Role? {
        let rows = try await db.raw(query).all()
        let roles = try rows.compactMap { Role(rawValue: try $0.decode(column: "role_id", as: Int.self)) }
        return roles.max { $0.rank < $1.rank }
    }
}
