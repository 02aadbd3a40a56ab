import Foundation

/// Supplies the authentication headers of tools whose API wants a short-lived access token obtained
/// from a token endpoint (Checkmarx ONE, Wiz). The ``ConnectorClient`` asks for the headers before
/// every request and asks once more with `refresh: true` after the API answered 401.
public protocol AccessTokenSource: Sendable {
    /// The headers carrying a current access token; `refresh` discards a cached token first.
    func authorization(refresh: Bool) async throws(ConnectorError) -> [HTTPHeader]
}
