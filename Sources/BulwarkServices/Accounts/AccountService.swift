import BulwarkStorage
import Foundation
import SQLKit

/// Users, passwords and API tokens: the only code that reads or writes credentials.
public struct AccountService: Sendable {
    public let db: any SQLDatabase
    public let hasher: any PasswordHashing
    public let now: @Sendable () -> Date

    public init(db: any SQLDatabase, hasher: any PasswordHashing, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.hasher = hasher
        self.now = now
    }

    private static let columns: SQLQueryString =
        "\(ident: "id"), \(ident: "username"), \(ident: "email"), \(ident: "first_name"), \(ident: "last_name"), \(ident: "is_active"), \(ident: "is_superuser"), \(ident: "password")"

    private static func account(_ row: any SQLRow) throws -> UserAccount {
        UserAccount(
            id: try row.decode(column: "id", as: Int.self), username: try row.decode(column: "username", as: String.self),
            email: try row.decode(column: "email", as: String.self), firstName: try row.decode(column: "first_name", as: String.self),
            lastName: try row.decode(column: "last_name", as: String.self), isActive: try row.decode(column: "is_active", as: Bool.self),
            isSuperuser: try row.decode(column: "is_superuser", as: Bool.self))
    }

    /// The user with `id`, active or not.
    public func user(id: Int) async throws -> UserAccount? {
        guard let row = try await db.raw("SELECT \(Self.columns) FROM \(ident: "users") WHERE \(ident: "id") = \(bind: id)").first() else { return nil }
        return try Self.account(row)
    }

    /// The user named `username` (exact match).
    public func user(username: String) async throws -> UserAccount? {
        guard let row = try await db.raw("SELECT \(Self.columns) FROM \(ident: "users") WHERE \(ident: "username") = \(bind: username)").first() else { return nil }
        return try Self.account(row)
    }

    /// Checks a username and password. Inactive users fail with `.inactive` only after the password matched.
    ///
    /// With a `throttle`, attempts from a throttled address or for a throttled username are refused
    /// before any hashing, and failures and successes are counted. An unknown username is checked
    /// against a dummy hash, so it costs the same time as a known one.
    public func authenticate(
        username: String, password: String, throttle: LoginThrottle? = nil, address: String? = nil
    ) async throws -> Result<UserAccount, CredentialFailure> {
        let keys = LoginThrottle.keys(address: address, username: username)
        if let throttle, let wait = await throttle.retryAfter(keys) { return .failure(.throttled(retryAfter: wait)) }
        let row = try await db.raw("SELECT \(Self.columns) FROM \(ident: "users") WHERE \(ident: "username") = \(bind: username)").first()
        let stored = row.flatMap { try? $0.decode(column: "password", as: String.self) }
        let matches: Bool
        do {
            let checked = try await hasher.verifyOffloaded(password, against: stored ?? hasher.timingDummyHash ?? "!")
            matches = checked && stored != nil
        } catch is PasswordHashingBusy {
            return .failure(.busy)
        }
        guard matches, let row else {
            await throttle?.recordFailure(keys)
            return .failure(.invalidCredentials)
        }
        await throttle?.recordSuccess(keys)
        let account = try Self.account(row)
        return account.isActive ? .success(account) : .failure(.inactive)
    }

    /// 40 lower-case hex characters from the system's secure generator, like DRF's token keys.
    public static func newTokenKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<20).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// A random password of letters and digits for a generated admin account.
    public static func newPassword(length: Int = 22) -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// Creates a user with a hashed password and returns its id.
    public func createUser(username: String, email: String, password: String?, isSuperuser: Bool, firstName: String = "", lastName: String = "") async throws -> Int {
        // An account without a usable password can only log in with a token, as Django's unusable passwords.
        let stored = try password.map { try hasher.hash($0) } ?? "!"
        let row = try await db.raw("""
            INSERT INTO \(ident: "users") (\(ident: "username"), \(ident: "first_name"), \(ident: "last_name"), \(ident: "email"), \(ident: "password"),
              \(ident: "date_joined"), \(ident: "is_active"), \(ident: "is_staff"), \(ident: "is_superuser"))
            VALUES (\(bind: username), \(bind: firstName), \(bind: lastName), \(bind: email), \(bind: stored), \(bind: now()), \(bind: true), \(bind: isSuperuser), \(bind: isSuperuser))
            RETURNING \(ident: "id")
            """).first()
        guard let row else { throw StorageError(.insertFailed, "user \(username) was not created") }
        return try row.decode(column: "id", as: Int.self)
    }

    /// Sets a new password and stamps `password_last_reset`.
    public func setPassword(userID: Int, password: String) async throws {
        try await db.raw("""
            UPDATE \(ident: "users") SET \(ident: "password") = \(bind: try hasher.hash(password)), \(ident: "password_last_reset") = \(bind: now())
            WHERE \(ident: "id") = \(bind: userID)
            """).run()
    }

    /// Stamps `last_login` after a successful interactive or token login.
    public func recordLogin(userID: Int) async throws {
        try await db.raw("UPDATE \(ident: "users") SET \(ident: "last_login") = \(bind: now()) WHERE \(ident: "id") = \(bind: userID)").run()
    }

    /// Number of users; zero on a fresh database.
    public func userCount() async throws -> Int {
        guard let row = try await db.raw("SELECT COUNT(*) AS \(ident: "n") FROM \(ident: "users")").first() else { return 0 }
        return try row.decode(column: "n", as: Int.self)
    }

    /// What happened when the first-start superuser was ensured.
    public enum InitialSuperuser: Sendable, Equatable {
        /// Users already existed; nothing was done.
        case alreadyInitialised
        /// Created with the configured password.
        case created(username: String)
        /// Created with a generated password, which must be shown once.
        case createdWithGeneratedPassword(username: String, password: String)
    }

    /// Creates the superuser on a database with no users, as DefectDojo's initializer does.
    public func ensureInitialSuperuser(username: String, email: String, password: String?) async throws -> InitialSuperuser {
        guard try await userCount() == 0 else { return .alreadyInitialised }
        if let password, !password.isEmpty {
            _ = try await createUser(username: username, email: email, password: password, isSuperuser: true)
            return .created(username: username)
        }
        let generated = Self.newPassword()
        _ = try await createUser(username: username, email: email, password: generated, isSuperuser: true)
        return .createdWithGeneratedPassword(username: username, password: generated)
    }
}
