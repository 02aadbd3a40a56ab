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
            app.post("api", "key-v2", use: regenerateKey)
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

    @Sendable func key(_ request: Request) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            let token = try await accounts(context).token(for: context.user.id)
            let model = AccountPages.KeyModel(username: context.user.username, userID: context.user.id, token: token, csrfToken: context.csrfToken)
            return WebHandler.page(context, request: request, section: .account, title: "API key", content: AccountPages.View.key(model))
        }
    }

    @Sendable func regenerateKey(_ request: Request) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            let form = try WebHandler.form(request)
            // DefectDojo only regenerates the caller's own key from this page.
            guard form["id"] == String(context.user.id) else { throw AccessError.forbidden }
            try await accounts(context).resetToken(for: context.user.id)
            return WebHandler.redirect(request, to: Links.apiKey, flash: "A new key was generated; the old one no longer works.")
        }
    }
}
