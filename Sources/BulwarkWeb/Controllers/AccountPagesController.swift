import BulwarkServices
import Vapor

/// Profile, change password and the API key page (`/api/key-v2`, absent when tokens are disabled).
struct AccountPagesController: Sendable {
    let settings: PageSettings

    func register(on app: Application) {
        app.get("profile", use: profile)
        app.post("profile", use: saveProfile)
        app.get("change_password", use: passwordForm)
        app.post("change_password", use: changePassword)
        if settings.apiTokensEnabled {
            app.get("api", "key-v2", use: key)
            app.post("api", "key-v2", use: generateKey)
            app.post("api", "key-v2", "revoke", use: revokeKey)
        }
    }

    func accounts(_ context: WebContext) -> AccountService {
        AccountService(db: context.db, hasher: settings.hasher, now: settings.now)
    }

    func profilePage(_ context: WebContext, _ request: Request, first: String, last: String, email: String, errors: [String: [String]]) -> Response {
        let model = AccountPages.ProfileModel(username: context.user.username, firstName: first, lastName: last, email: email,
                                              isSuperuser: context.user.isSuperuser, errors: errors, csrfToken: context.csrfToken)
        return WebHandler.page(context, request: request, section: .account, title: "Profile", status: errors.isEmpty ? .ok : .badRequest,
                               content: AccountPages.View.profile(model))
    }

    @Sendable func profile(_ request: Request) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            profilePage(context, request, first: context.user.firstName, last: context.user.lastName, email: context.user.email, errors: [:])
        }
    }

    @Sendable func saveProfile(_ request: Request) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            let form = try WebHandler.form(request)
            let first = form["first_name"] ?? "", last = form["last_name"] ?? "", email = form["email"] ?? ""
            do {
                try await accounts(context).updateProfile(userID: context.user.id, firstName: first, lastName: last, email: email)
            } catch let error as AccountFormError {
                return profilePage(context, request, first: first, last: last, email: email, errors: error.fields)
            }
            return WebHandler.redirect(request, to: Links.profile, flash: "Profile saved.")
        }
    }

    @Sendable func passwordForm(_ request: Request) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            WebHandler.page(context, request: request, section: .account, title: "Change password",
                            content: AccountPages.View.password(.init(errors: [:], csrfToken: context.csrfToken)))
        }
    }

    @Sendable func changePassword(_ request: Request) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            let form = try WebHandler.form(request)
            do {
                try await accounts(context).changePassword(userID: context.user.id, username: context.user.username, current: form["old_password"] ?? "",
                                                           new: form["new_password1"] ?? "", confirmation: form["new_password2"] ?? "")
            } catch let error as AccountFormError {
                return WebHandler.page(context, request: request, section: .account, title: "Change password", status: .badRequest,
                                       content: AccountPages.View.password(.init(errors: error.fields, csrfToken: context.csrfToken)))
            }
            return WebHandler.redirect(request, to: Links.profile, flash: "Your password was changed.")
        }
    }

    func keyPage(_ context: WebContext, _ request: Request, newKey: String? = nil, errors: [String: [String]] = [:]) async throws -> Response {
        let tokens = try await accounts(context).tokens(ofUser: context.user.id)
        let model = AccountPages.KeyModel(username: context.user.username, userID: context.user.id, newKey: newKey, tokens: tokens,
                                          maxAgeDays: settings.tokenLifetime.maxAgeDays, errors: errors, csrfToken: context.csrfToken)
        return WebHandler.page(context, request: request, section: .account, title: "API key", status: errors.isEmpty ? .ok : .badRequest,
                               content: AccountPages.View.key(model))
    }

    @Sendable func key(_ request: Request) async throws -> Response {
        try await WebHandler.run(request, settings) { context in try await keyPage(context, request) }
    }

    /// Creates a key for the signed-in user and shows it once.
    @Sendable func generateKey(_ request: Request) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            let form = try WebHandler.form(request)
            // DefectDojo only regenerates the caller's own key from this page.
            if let id = form["id"], id != String(context.user.id) { throw AccessError.forbidden }
            var expires: Date?
            if let days = form["expires_days"]?.trimmingCharacters(in: .whitespaces), !days.isEmpty {
                guard let count = Int(days), count > 0, count <= 36_500 else {
                    return try await keyPage(context, request, errors: ["expires": ["Enter a whole number of days from 1 to 36500."]])
                }
                expires = context.now.addingTimeInterval(Double(count) * 86_400)
            }
            do {
                let scope: TokenScope = form["scope"] == "read" ? .readOnly : .full
                let expiry = try settings.tokenLifetime.expiry(requested: expires, now: context.now)
                let issued = try await accounts(context).issueToken(
                    for: context.user.id, TokenRequest(name: form["name"] ?? "Web key", expires: expiry, scope: scope), actor: context.user)
                return try await keyPage(context, request, newKey: issued.key)
            } catch .field(let name, let message) as TokenRequestError {
                return try await keyPage(context, request, errors: [name: [message]])
            }
        }
    }

    /// Revokes one of the signed-in user's keys.
    @Sendable func revokeKey(_ request: Request) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            let form = try WebHandler.form(request)
            guard let id = form["token"].flatMap(Int.init), try await accounts(context).revokeToken(id: id, by: context.user) else {
                throw AccessError.notFound
            }
            return WebHandler.redirect(request, to: Links.apiKey, flash: "The key was revoked; it no longer works.")
        }
    }
}
