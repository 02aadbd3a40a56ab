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
        var token: String
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
                .box("card",
                     .p(.txt("Send this header with every API request as \(m.username):")),
                     .p(.el("code", .attr("id", "api-key"), .txt("Token \(m.token)"))),
                     .el("button", .attr("type", "button"), .attr("class", "secondary"), .attr("data-copy", "api-key"), .txt("Copy")),
                     .p(.txt("Example: "), .el("code", .txt("curl -H \"Authorization: Token \(m.token)\" /api/v2/findings/")))),
                Components.postForm(Links.apiKey, csrf: m.csrfToken, [
                    .input(.attr("type", "hidden"), .attr("name", "id"), .attr("value", String(m.userID))),
                    Components.submit("Generate New Key", className: "danger"),
                ]),
                .p(Components.link("API v2 Docs", Links.apiDocs)))
        }
    }
}
