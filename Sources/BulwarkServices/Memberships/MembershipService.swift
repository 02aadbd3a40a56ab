import BulwarkStorage
import SQLKit

/// Every rule for adding, changing and removing grants (DefectDojo 2.x): only Maintainers and
/// Owners of the object manage its members, nobody grants or changes a role above their own, only
/// Owners add Owners, a principal holds one grant per object, and the last owner stays.
public struct MembershipService: Sendable {
    public let user: UserAccount
    public let db: any SQLDatabase

    public init(user: UserAccount, db: any SQLDatabase) {
        self.user = user
        self.db = db
    }

    /// A grant as stored.
    public struct Grant: Sendable, Equatable {
        public var object: Int
        public var principal: Int
        public var role: Role

        public init(object: Int, principal: Int, role: Role) {
            self.object = object
            self.principal = principal
            self.role = role
        }
    }

    /// The actor's role on an object of `table`'s kind.
    public func actorRole(on object: GrantTable.Object, id: Int) async throws -> Role? {
        switch object {
        case .productType: return try await Membership.role(of: user, productType: id, db: db)
        case .product: return try await Membership.role(of: user, product: id, db: db)
        case .group: return try await Membership.role(of: user, group: id, db: db)
        }
    }

    /// The stored grant `id`, nil when absent.
    public func grant(_ table: GrantTable, id: Int) async throws -> Grant? {
        guard let row = try await db.rows("""
            SELECT \(ident: table.objectColumn) AS \(ident: "object"), \(ident: table.principalColumn) AS \(ident: "principal"), \(ident: "role_id")
            FROM \(ident: table.table) WHERE \(ident: "id") = \(bind: id)
            """).first,
              let object = try row.int("object"), let principal = try row.int("principal"),
              let role = try row.int("role_id").flatMap(Role.init(rawValue:)) else { return nil }
        return Grant(object: object, principal: principal, role: role)
    }

    /// Whether the actor may manage grants on the object (Maintainer and up).
    public func canManage(_ table: GrantTable, object: Int) async throws -> Bool {
        try await actorRole(on: table.object, id: object)?.canManageMembers ?? false
    }

    /// Checks a new grant (`existing` nil) or a change to grant `existing`.
    public func authorize(_ table: GrantTable, proposed: Grant, existing: Int?) async throws {
        var current: Grant?
        if let existing { current = try await grant(table, id: existing) }
        if let current {
            try await requireManage(table, object: current.object, touching: current.role)
        }
        try await requireManage(table, object: proposed.object, touching: nil)
        guard let actor = try await actorRole(on: table.object, id: proposed.object) else { throw AccessError.forbidden }
        if proposed.role == .owner, actor != .owner {
            let noun = table.grantsGroup ? "group" : (table.object == .group ? "user" : "member")
            let verb = table.object == .group ? "to this group" : "to this \(table.object.rawValue)"
            throw MembershipError.forbidden("You are not permitted to add a \(noun) as Owner \(verb)")
        }
        if proposed.role.rank > actor.rank { throw MembershipError.forbidden("You are not permitted to grant a role above your own") }
        if current == nil || current?.object != proposed.object || current?.principal != proposed.principal {
            let duplicate = try await db.rows("""
                SELECT 1 AS \(ident: "one") FROM \(ident: table.table) WHERE \(ident: table.objectColumn) = \(bind: proposed.object)
                AND \(ident: table.principalColumn) = \(bind: proposed.principal)
                """).first
            if duplicate != nil { throw MembershipError.invalid("\(table.model) already exists") }
        }
        if let current, let existing, current.role == .owner, proposed.role != .owner || current.object != proposed.object,
           try await otherOwners(table, object: current.object, excluding: existing) == 0 {
            throw MembershipError.invalid(MembershipError.lastOwner.message)
        }
    }

    /// Checks removing grant `id`: managers remove others (not above their own role), anyone leaves, the last owner stays.
    public func authorizeRemoval(_ table: GrantTable, id: Int) async throws {
        guard let current = try await grant(table, id: id) else { throw AccessError.notFound }
        let leaving = !table.grantsGroup && current.principal == user.id
        if !leaving { try await requireManage(table, object: current.object, touching: current.role) }
        if current.role == .owner, try await otherOwners(table, object: current.object, excluding: id) == 0 {
            throw MembershipError.lastOwner
        }
    }

    /// Makes sure a group or user the actor names is one they may see (else it "does not exist").
    public func isPrincipalVisible(_ table: GrantTable, id: Int) async throws -> Bool {
        guard table.grantsGroup, !user.isSuperuser else { return true }
        let conditions = AccessPolicy.groupVisibility(user, column: "\(ident: "dojo_groups").\(ident: "id")")
        var query: SQLQueryString = "SELECT 1 AS \(ident: "one") FROM \(ident: "dojo_groups") WHERE \(ident: "id") = \(bind: id)"
        for condition in conditions { query = query + " AND " + condition }
        return try await db.rows(query).first != nil
    }

    private func requireManage(_ table: GrantTable, object: Int, touching role: Role?) async throws {
        guard let actor = try await actorRole(on: table.object, id: object), actor.canManageMembers else { throw AccessError.forbidden }
        if let role, role.rank > actor.rank { throw MembershipError.forbidden("You are not permitted to change a role above your own") }
    }

    /// Owner grants on the object, user and group ones, other than grant `id` of this table.
    private func otherOwners(_ table: GrantTable, object: Int, excluding id: Int) async throws -> Int {
        var total = 0
        for owners in table.ownerTables {
            let rows = try await db.rows("""
                SELECT COUNT(*) AS \(ident: "n") FROM \(ident: owners.table) WHERE \(ident: owners.objectColumn) = \(bind: object)
                AND \(ident: "role_id") = \(bind: Role.owner.rawValue) AND NOT (\(ident: "id") = \(bind: owners == table ? id : -1))
                """)
            total += try rows.first?.int("n") ?? 0
        }
        return total
    }
}
