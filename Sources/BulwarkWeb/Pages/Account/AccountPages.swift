import BulwarkServices
import BulwarkStorage
import Foundation
import Plot

/// The account pages: profile, change password and the API key.
enum AccountPages {
    struct ProfileModel: Sendable, Equatable {
        var username: String
        var firstName: String
        var lastName: String
        var email: String
        var isSuperuser: Bool
        var errors: [String: [String]]
        var csrfToken: String
    }

    struct PasswordModel: Sendable, Equatable {
        var errors: [String: [String]]
        var csrfToken: String
    }

    struct KeyModel: Sendable, Equatable {
        var username: String
        var userID: Int
        /// A key just created: shown this once.
        var newKey: String?
        var tokens: [APIToken]
        var maxAgeDays: Int?
        var errors: [String: [String]] = [:]
        var csrfToken: String
    }

    enum View {
        static func profile(_ m: ProfileModel) -> Node<Body> {
            .group(
                Components.heading("Profile"),
                .box("card", Components.facts([("Username", m.username), ("Superuser", m.isSuperuser ? "Yes" : "No")])),
                .when(!m.errors.isEmpty, .p(.attr("class", "flash error"), .attr("role", "alert"), .txt("Please correct the errors below."))),
                Components.postForm(Links.profile, csrf: m.csrfToken, className: "card", [
                    Components.textField("first_name", label: "First name", value: m.firstName, errors: m.errors["first_name"] ?? [], autocomplete: "given-name"),
                    Components.textField("last_name", label: "Last name", value: m.lastName, errors: m.errors["last_name"] ?? [], autocomplete: "family-name"),
                    Components.textField("email", label: "Email address", value: m.email, errors: m.errors["email"] ?? [], type: "email", autocomplete: "email"),
                    Components.submit("Save profile"),
                ]),
                .p(Components.link("Change password", Links.changePassword)))
        }

        static func password(_ m: PasswordModel) -> Node<Body> {
            .group(
                Components.heading("Change password"),
                .when(!m.errors.isEmpty, .p(.attr("class", "flash error"), .attr("role", "alert"), .txt("Please correct the errors below."))),
                Components.postForm(Links.changePassword, csrf: m.csrfToken, className: "card", [
                    Components.textField("old_password", label: "Current password", value: "", errors: m.errors["old_password"] ?? [], type: "password",
                                         required: true, autocomplete: "current-password"),
                    Components.textField("new_password1", label: "New password", value: "", errors: m.errors["new_password1"] ?? [], type: "password",
                                         required: true, hint: "At least 9 characters, not entirely numeric.", autocomplete: "new-password"),
                    Components.textField("new_password2", label: "New password again", value: "", errors: m.errors["new_password2"] ?? [], type: "password",
                                         required: true, autocomplete: "new-password"),
                    Components.submit("Change password"),
                ]))
        }

        static func key(_ m: KeyModel) -> Node<Body> {
            .group(
                Components.heading("API v2 key"),
                m.newKey.map { key -> Node<Body> in
                    .box("card",
                         .p(.txt("Your new key, for \(m.username). Copy it now: it is stored hashed and cannot be shown again.")),
                         .p(.el("code", .attr("id", "api-key"), .txt("Token \(key)"))),
                         .el("button", .attr("type", "button"), .attr("class", "secondary"), .attr("data-copy", "api-key"), .txt("Copy")),
                         .p(.txt("Example: "), .el("code", .txt("curl -H \"Authorization: Token \(key)\" /api/v2/findings/"))))
                } ?? .p(.txt("Keys are shown only when they are created. Send one as the header Authorization: Token <key>.")),
                .when(!m.errors.isEmpty, .p(.attr("class", "flash error"), .attr("role", "alert"), .txt("Please correct the errors below."))),
                Components.postForm(Links.apiKey, csrf: m.csrfToken, className: "card", [
                    .input(.attr("type", "hidden"), .attr("name", "id"), .attr("value", String(m.userID))),
                    Components.textField("name", label: "Name", value: "Web key", errors: m.errors["name"] ?? [], required: true),
                    Components.textField("expires_days", label: "Expires after (days)", value: "", errors: m.errors["expires"] ?? [], type: "number",
                                         hint: m.maxAgeDays.map { "At most \($0) days; empty for the longest." } ?? "Empty: never expires."),
                    Components.select("scope", label: "Scope", options: [("full", "Everything you may do"), ("read", "Read only")], selected: ["full"]),
                    Components.submit("Generate New Key"),
                ]),
                Components.table(caption: "Your keys", headers: ["Name", "Key starts", "Scope", "Created", "Expires", "Last used", "Revoke"],
                                 rows: m.tokens.map { token in tokenRow(token, csrf: m.csrfToken) }, empty: "No keys yet."),
                .p(Components.link("API v2 Docs", Links.apiDocs)))
        }

        static func tokenRow(_ token: APIToken, csrf: String) -> [Node<Body>] {
            let scope: String
            switch token.scope {
            case .full: scope = "Full"
            case .readOnly: scope = "Read only"
            case .importOnly(let products): scope = "Import into " + products.joined(separator: ", ")
            }
            return [
                .txt(token.name), .el("code", .txt(token.prefix + "…")), .txt(scope), .txt(DateFormatting.day(token.created)),
                .txt(token.expires.map(DateFormatting.day) ?? "Never"),
                .txt(token.lastUsed.map { DateFormatting.day($0) + (token.lastUsedAddress.map { " from \($0)" } ?? "") } ?? "Never"),
                Components.postForm(Links.apiKey + "/revoke", csrf: csrf, [
                    .input(.attr("type", "hidden"), .attr("name", "token"), .attr("value", String(token.id))),
                    .el("button", .attr("type", "submit"), .attr("class", "danger"), .attr("aria-label", "Revoke \(token.name)"), .txt("Revoke")),
                ]),
            ]
        }
    }
}
