import BulwarkStorage
import Foundation

/// What a token may do, on top of its user's own permissions.
public enum TokenScope: Sendable, Equatable {
    /// Everything the user may do.
    case full
    /// Only safe methods (GET, HEAD, OPTIONS).
    case readOnly
    /// Reads, plus `import-scan/` and `reimport-scan/` into the named products (by name) only.
    case importOnly(products: [String])

    /// The stored `scope` column.
    public var storedName: String {
        switch self {
        case .full: return "full"
        case .readOnly: return "read"
        case .importOnly: return "import"
        }
    }

    /// The named products of an import-only scope (empty otherwise).
    public var products: [String] {
        if case .importOnly(let products) = self { return products }
        return []
    }

    /// Rebuilds a scope from its stored columns; an unknown name is read as read-only, the safest reading.
    public static func stored(_ name: String, products: String?) -> TokenScope {
        switch name {
        case "full": return .full
        case "import": return .importOnly(products: decodeProducts(products))
        default: return .readOnly
        }
    }

    /// Product names are stored as a JSON array of strings.
    static func encodeProducts(_ products: [String]) -> String {
        (try? String(decoding: JSONEncoder().encode(products), as: UTF8.self)) ?? "[]"
    }

    static func decodeProducts(_ text: String?) -> [String] {
        guard let text, let data = text.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([String].self, from: data)) ?? []
    }

    /// Whether an import into `product` (by name) is within this scope.
    public func allowsImport(into product: String) -> Bool {
        switch self {
        case .full: return true
        case .readOnly: return false
        case .importOnly(let products): return products.contains(product)
        }
    }
}

/// One API token as its owner sees it: never the key itself, which is shown once at creation.
public struct APIToken: Sendable, Equatable {
    public var id: Int
    public var userID: Int
    public var name: String
    /// The key's first eight characters, to tell keys apart.
    public var prefix: String
    public var created: Date
    public var expires: Date?
    public var scope: TokenScope
    public var lastUsed: Date?
    public var lastUsedAddress: String?

    public init(id: Int, userID: Int, name: String, prefix: String, created: Date, expires: Date?, scope: TokenScope,
                lastUsed: Date?, lastUsedAddress: String?) {
        self.id = id
        self.userID = userID
        self.name = name
        self.prefix = prefix
        self.created = created
        self.expires = expires
        self.scope = scope
        self.lastUsed = lastUsed
        self.lastUsedAddress = lastUsedAddress
    }

    /// Whether the token has expired at `date`.
    public func isExpired(at date: Date) -> Bool { expires.map { $0 <= date } ?? false }
}

/// A new token's settings, as the API and the key page take them.
public struct TokenRequest: Sendable, Equatable {
    public var name: String
    public var expires: Date?
    public var scope: TokenScope

    public init(name: String, expires: Date? = nil, scope: TokenScope = .full) {
        self.name = name
        self.expires = expires
        self.scope = scope
    }
}

/// Why a token could not be created.
public enum TokenRequestError: Error, Sendable, Equatable {
    /// A field and DefectDojo-style message.
    case field(String, String)
}

/// The token lifetime policy: `BULWARK_TOKEN_MAX_AGE_DAYS` is both the default expiry and the longest one allowed.
public struct TokenLifetime: Sendable, Equatable {
    public var maxAgeDays: Int?

    public init(maxAgeDays: Int?) { self.maxAgeDays = maxAgeDays }

    /// The expiry to store for a requested one: the default when none was asked for, refused past the maximum.
    public func expiry(requested: Date?, now: Date) throws(TokenRequestError) -> Date? {
        if let requested, requested <= now { throw .field("expires", "The expiry must be in the future.") }
        guard let maxAgeDays else { return requested }
        let latest = now.addingTimeInterval(Double(maxAgeDays) * 86_400)
        guard let requested else { return latest }
        if requested > latest { throw .field("expires", "Tokens may live at most \(maxAgeDays) days on this server.") }
        return requested
    }
}

/// A key's owner, as authenticated, with the token's last recorded use.
public struct TokenAuthentication: Sendable, Equatable {
    public var user: UserAccount
    public var lastUsed: Date?
    public var lastUsedAddress: String?

    /// Recording the use is worth a write when the last one is over a minute old or came from elsewhere.
    public func useIsWorthRecording(address: String?, now: Date) -> Bool {
        guard let lastUsed else { return true }
        return lastUsed < now.addingTimeInterval(-60) || lastUsedAddress != address
    }
}
