import BulwarkServices
import Fluent
import Foundation
import SQLKit
import Vapor

/// Settings the pages read at request time; built once by the app.
public struct PageSettings: Sendable {
    public var apiTokensEnabled: Bool
    public var hasher: any PasswordHashing
    public var maxUploadBytes: Int
    /// Default and longest API token lifetime (`BULWARK_TOKEN_MAX_AGE_DAYS`).
    public var tokenLifetime: TokenLifetime
    public var now: @Sendable () -> Date

    public init(apiTokensEnabled: Bool, hasher: any PasswordHashing, maxUploadBytes: Int = 100 * 1_048_576,
                tokenLifetime: TokenLifetime = TokenLifetime(maxAgeDays: nil), now: @escaping @Sendable () -> Date = { Date() }) {
        self.tokenLifetime = tokenLifetime
        self.apiTokensEnabled = apiTokensEnabled
        self.hasher = hasher
        self.maxUploadBytes = maxUploadBytes
        self.now = now
    }
}

/// What a page handler knows about its request: the signed-in user, the database and the clock.
struct WebContext: Sendable {
    var user: UserAccount
    var db: any SQLDatabase
    var now: Date
    var settings: PageSettings
    var csrfToken: String

    /// The access rules for this user.
    var access: AccessPolicy { AccessPolicy(user: user, db: db) }

    /// What the layout needs.
    func chrome(_ section: PageSection, title: String, flash: Flash? = nil) -> PageChrome {
        PageChrome(title: title, section: section, username: user.username, apiTokensEnabled: settings.apiTokensEnabled,
                   csrfToken: csrfToken, flash: flash)
    }
}

/// Raised by a handler when the visitor is not signed in: the response is a redirect to the login page.
struct LoginRequired: Error {
    var next: String
}

extension Request {
    /// The page context of a signed-in, active user; throws ``LoginRequired`` otherwise.
    func webContext(_ settings: PageSettings) async throws -> WebContext {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let next = url.query.map { "\(url.path)?\($0)" } ?? url.path
        guard hasSession, let raw = session.data[SessionKeys.userID], let id = Int(raw),
              let user = try await AccountService(db: sql, hasher: settings.hasher).user(id: id), user.isActive
        else { throw LoginRequired(next: next) }
        return WebContext(user: user, db: sql, now: settings.now(), settings: settings, csrfToken: FormCSRF.token(for: self))
    }

    /// The body of a form post, parsed.
    func formData() -> FormData {
        guard let buffer = body.data else { return FormData() }
        return FormData(urlEncoded: String(buffer: buffer))
    }

    /// The query string, parsed.
    func queryData() -> FormData {
        FormData(urlEncoded: url.query ?? "")
    }
}
