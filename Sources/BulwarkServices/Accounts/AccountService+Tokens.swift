import BulwarkStorage
import Foundation
import SQLKit

/// API tokens: stored as SHA-256 hashes, several per user, each with a name, an optional expiry
/// and scope, and the time and address of its last use. A key is returned only when created.
extension AccountService {
    private static let tokenColumns: SQLQueryString = """
        \(ident: "id"), \(ident: "user_id"), \(ident: "name"), \(ident: "key_prefix"), \(ident: "created"), \(ident: "expires"), \(ident: "scope"),
        \(ident: "scope_products"), \(ident: "last_used"), \(ident: "last_used_address")
        """

    private static func token(_ row: any SQLRow) throws -> APIToken {
        APIToken(
            id: try row.decode(column: "id", as: Int.self), userID: try row.decode(column: "user_id", as: Int.self),
            name: try row.decode(column: "name", as: String.self), prefix: try row.decode(column: "key_prefix", as: String.self),
            created: try row.decode(column: "created", as: Date.self), expires: try row.decode(column: "expires", as: Date?.self),
            scope: TokenScope.stored(try row.decode(column: "scope", as: String.self), products: try row.decode(column: "scope_products", as: String?.self)),
            lastUsed: try row.decode(column: "last_used", as: Date?.self), lastUsedAddress: try row.decode(column: "last_used_address", as: String?.self))
    }

    /// Creates a token for a user and returns it with its key (the only time the key is available).
    public func issueToken(for userID: Int, _ request: TokenRequest, actor: UserAccount? = nil) async throws -> (token: APIToken, key: String) {
        let name = request.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw TokenRequestError.field("name", "This field may not be blank.") }
        guard name.unicodeScalars.count <= 100 else { throw TokenRequestError.field("name", "Ensure this field has no more than 100 characters.") }
        if case .importOnly(let products) = request.scope, products.isEmpty {
            throw TokenRequestError.field("products", "An import-only token needs at least one product.")
        }
        let key = Self.newTokenKey()
        let created = now()
        let products: String? = request.scope.products.isEmpty ? nil : TokenScope.encodeProducts(request.scope.products)
        let row = try await db.raw("""
            INSERT INTO \(ident: "api_tokens") (\(ident: "user_id"), \(ident: "name"), \(ident: "key_hash"), \(ident: "key_prefix"), \(ident: "created"),
              \(ident: "expires"), \(ident: "scope"), \(ident: "scope_products"))
            VALUES (\(bind: userID), \(bind: name), \(bind: APITokenHash.of(key)), \(bind: String(key.prefix(8))), \(bind: created), \(bind: request.expires),
                    \(bind: request.scope.storedName), \(bind: products))
            RETURNING \(ident: "id")
            """).first()
        guard let row else { throw StorageError(.insertFailed, "token for user \(userID) was not created") }
        let token = APIToken(id: try row.decode(column: "id", as: Int.self), userID: userID, name: name, prefix: String(key.prefix(8)), created: created,
                             expires: request.expires, scope: request.scope, lastUsed: nil, lastUsedAddress: nil)
        try await AuditLog.record(db: db, actor: actor, action: "create", objectType: "token", objectID: token.id, objectName: name,
                                  changes: AuditLog.changes(before: nil, after: Self.auditFields(token)), now: created)
        return (token, key)
    }

    /// The user and scope of a key, or nil for an unknown, revoked or expired key.
    public func user(forToken key: String) async throws -> UserAccount? {
        try await authenticateToken(key)?.user
    }

    /// The user and scope of a key with its last use, or nil for an unknown, revoked or expired key.
    public func authenticateToken(_ key: String) async throws -> TokenAuthentication? {
        // Keys are 40 hex characters; anything else cannot match and is not worth a query.
        guard key.utf8.count == 40, key.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) else { return nil }
        let query: SQLQueryString = """
            SELECT \(ident: "users").\(ident: "id"), \(ident: "username"), \(ident: "email"), \(ident: "first_name"), \(ident: "last_name"),
            \(ident: "is_active"), \(ident: "is_superuser"), \(ident: "api_tokens").\(ident: "expires"), \(ident: "scope"), \(ident: "scope_products"),
            \(ident: "last_used"), \(ident: "last_used_address")
            FROM \(ident: "api_tokens") JOIN \(ident: "users") ON \(ident: "users").\(ident: "id") = \(ident: "api_tokens").\(ident: "user_id")
            WHERE \(ident: "api_tokens").\(ident: "key_hash") = \(bind: APITokenHash.of(key))
            """
        // The fast row path: this runs for every token-authenticated request.
        guard let row = try await db.rows(query).first else { return nil }
        if let expires = try row.date(at: 7), expires <= now() { return nil }
        var user = UserAccount(
            id: try row.int(at: 0) ?? 0, username: try row.string(at: 1) ?? "", email: try row.string(at: 2) ?? "",
            firstName: try row.string(at: 3) ?? "", lastName: try row.string(at: 4) ?? "", isActive: try row.bool(at: 5) ?? false,
            isSuperuser: try row.bool(at: 6) ?? false)
        user.tokenScope = TokenScope.stored(try row.string(at: 8) ?? "read", products: try row.string(at: 9))
        return TokenAuthentication(user: user, lastUsed: try row.date(at: 10), lastUsedAddress: try row.string(at: 11))
    }

    /// Records a key's use (time and client address). Callers record only when
    /// ``TokenAuthentication/useIsWorthRecording(address:now:)`` says so, so reads do not each become a write.
    public func recordTokenUse(key: String, address: String?) async throws {
        try await db.raw("""
            UPDATE \(ident: "api_tokens") SET \(ident: "last_used") = \(bind: now()), \(ident: "last_used_address") = \(bind: address)
            WHERE \(ident: "key_hash") = \(bind: APITokenHash.of(key))
            """).run()
    }

    /// The tokens of one user (or of every user, for `nil`), newest first.
    public func tokens(ofUser userID: Int?) async throws -> [APIToken] {
        var query: SQLQueryString = "SELECT \(Self.tokenColumns) FROM \(ident: "api_tokens")"
        if let userID { query = query + " WHERE \(ident: "user_id") = \(bind: userID)" }
        return try await db.raw(query + " ORDER BY \(ident: "id") DESC").all().map(Self.token)
    }

    /// One token by id, or nil.
    public func token(id: Int) async throws -> APIToken? {
        try await db.raw("SELECT \(Self.tokenColumns) FROM \(ident: "api_tokens") WHERE \(ident: "id") = \(bind: id)").first().map(Self.token)
    }

    /// Revokes a token by id when `actor` owns it or is a superuser; false when there is no such token in reach.
    @discardableResult
    public func revokeToken(id: Int, by actor: UserAccount) async throws -> Bool {
        guard let token = try await token(id: id), actor.isSuperuser || token.userID == actor.id else { return false }
        try await db.raw("DELETE FROM \(ident: "api_tokens") WHERE \(ident: "id") = \(bind: id)").run()
        try await AuditLog.record(db: db, actor: actor, action: "delete", objectType: "token", objectID: id, objectName: token.name,
                                  changes: AuditLog.changes(before: Self.auditFields(token), after: nil), now: now())
        return true
    }

    /// Revokes the token with this key when `actor` owns it or is a superuser (`api-tokens/revoke/`).
    @discardableResult
    public func revokeToken(key: String, by actor: UserAccount) async throws -> Bool {
        let row = try await db.raw("SELECT \(ident: "id") FROM \(ident: "api_tokens") WHERE \(ident: "key_hash") = \(bind: APITokenHash.of(key))").first()
        guard let id = try row?.decode(column: "id", as: Int.self) else { return false }
        return try await revokeToken(id: id, by: actor)
    }

    /// What the audit log shows of a token (never its key).
    static func auditFields(_ token: APIToken) -> JSONValue {
        .object([
            ("user", .int(token.userID)), ("name", .string(token.name)), ("prefix", .string(token.prefix)), ("scope", .string(token.scope.storedName)),
            ("products", .array(token.scope.products.map(JSONValue.string))),
            ("expires", token.expires.map { .string(DateFormatting.instant($0)) } ?? .null),
        ])
    }

    /// Revokes every token of a user and issues one new full token named "default" (DefectDojo's reset).
    @discardableResult
    public func resetToken(for userID: Int, expires: Date? = nil, actor: UserAccount? = nil) async throws -> String {
        try await db.raw("DELETE FROM \(ident: "api_tokens") WHERE \(ident: "user_id") = \(bind: userID)").run()
        try await db.raw("UPDATE \(ident: "users") SET \(ident: "token_last_reset") = \(bind: now()) WHERE \(ident: "id") = \(bind: userID)").run()
        try await AuditLog.record(db: db, actor: actor, action: "reset", objectType: "token", objectID: nil, objectName: "tokens of user \(userID)",
                                  changes: .object([("user", .object([("after", .int(userID))]))]), now: now())
        return try await issueToken(for: userID, TokenRequest(name: "default", expires: expires), actor: actor).key
    }

    /// A new full token for `api-token-auth/`: each call issues one (a stored key cannot be shown
    /// again), and only the newest `keep` tokens of that name are kept.
    public func issueLoginToken(for userID: Int, expires: Date?, keep: Int = 20, actor: UserAccount? = nil) async throws -> String {
        let issued = try await issueToken(for: userID, TokenRequest(name: "api-token-auth", expires: expires), actor: actor)
        // One statement: everything of that name but the newest `keep`.
        try await db.raw("""
            DELETE FROM \(ident: "api_tokens") WHERE \(ident: "user_id") = \(bind: userID) AND \(ident: "name") = \(bind: "api-token-auth")
              AND \(ident: "id") NOT IN (SELECT \(ident: "id") FROM \(ident: "api_tokens") WHERE \(ident: "user_id") = \(bind: userID)
                AND \(ident: "name") = \(bind: "api-token-auth") ORDER BY \(ident: "id") DESC LIMIT \(bind: keep))
            """).run()
        return issued.key
    }

    /// Deletes tokens that expired more than `graceDays` ago (the periodic maintenance job runs it;
    /// expired keys are refused anyway, the rows are kept a while so their owners see what expired).
    public static func deleteExpiredTokens(db: any SQLDatabase, now: Date, graceDays: Int = 30) async throws {
        let cutoff = now.addingTimeInterval(-Double(graceDays) * 86_400)
        try await db.raw("DELETE FROM \(ident: "api_tokens") WHERE \(ident: "expires") IS NOT NULL AND \(ident: "expires") < \(bind: cutoff)").run()
    }
}
