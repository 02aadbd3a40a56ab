/// How an OAuth 2 token endpoint is asked for an access token (form-encoded POST).
public enum OAuthGrant: Sendable, Hashable {
    /// `grant_type=refresh_token`: a long-lived offline token (Checkmarx ONE API key).
    case refreshToken(clientID: String, refreshToken: String)
    /// `grant_type=client_credentials`, with an optional `audience` (Wiz service accounts).
    case clientCredentials(clientID: String, clientSecret: String, audience: String?)

    /// The form fields of the token request, in a stable order.
    var formFields: [(String, String)] {
        switch self {
        case .refreshToken(let clientID, let token):
            return [("grant_type", "refresh_token"), ("client_id", clientID), ("refresh_token", token)]
        case .clientCredentials(let clientID, let secret, let audience):
            var fields = [("grant_type", "client_credentials"), ("client_id", clientID), ("client_secret", secret)]
            if let audience { fields.append(("audience", audience)) }
            return fields
        }
    }

    /// The secret part of the grant, masked in any message.
    var secret: String {
        switch self {
        case .refreshToken(_, let token): return token
        case .clientCredentials(_, let secret, _): return secret
        }
    }
}
