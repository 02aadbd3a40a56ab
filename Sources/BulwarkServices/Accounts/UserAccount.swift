/// The authenticated user as the API and pages need it.
public struct UserAccount: Sendable, Equatable {
    public var id: Int
    public var username: String
    public var email: String
    public var firstName: String
    public var lastName: String
    public var isActive: Bool
    public var isSuperuser: Bool
    /// What the credential of this request allows: a token's scope, `.full` for passwords and sessions.
    public var tokenScope: TokenScope = .full

    public init(id: Int, username: String, email: String, firstName: String = "", lastName: String = "", isActive: Bool, isSuperuser: Bool) {
        self.id = id
        self.username = username
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.isActive = isActive
        self.isSuperuser = isSuperuser
    }
}

/// Why a credential check failed, mapped to DefectDojo's messages by the API.
public enum CredentialFailure: Error, Sendable, Equatable {
    case invalidCredentials
    case inactive
    /// Too many recent failures for this address or username: try again after the given seconds.
    case throttled(retryAfter: Int)
    /// Too many password checks in progress on this server.
    case busy
}
