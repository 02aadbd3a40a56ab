import BulwarkStorage
import Foundation
import SQLKit

/// A refused profile or password change, with the field errors in Django's words.
public struct AccountFormError: Error, Sendable, Equatable {
    public var fields: [String: [String]]
}

extension AccountService {
    /// Changes the user's own name and e-mail address.
    public func updateProfile(userID: Int, firstName: String, lastName: String, email: String) async throws {
        var errors: [String: [String]] = [:]
        if firstName.count > 150 { errors["first_name"] = ["Ensure this field has no more than 150 characters."] }
        if lastName.count > 150 { errors["last_name"] = ["Ensure this field has no more than 150 characters."] }
        if !email.isEmpty, !Self.looksLikeEmail(email) { errors["email"] = ["Enter a valid email address."] }
        guard errors.isEmpty else { throw AccountFormError(fields: errors) }
        try await db.raw("""
            UPDATE \(ident: "users") SET \(ident: "first_name") = \(bind: firstName), \(ident: "last_name") = \(bind: lastName), \(ident: "email") = \(bind: email)
            WHERE \(ident: "id") = \(bind: userID)
            """).run()
    }

    /// Django's password change form: the current password must match, the two new ones must agree,
    /// and the new one must pass ``PasswordRules`` (the API's rules for new passwords).
    public func changePassword(userID: Int, username: String, current: String, new: String, confirmation: String) async throws {
        var errors: [String: [String]] = [:]
        if case .failure(.invalidCredentials) = try await authenticate(username: username, password: current) {
            errors["old_password"] = ["Your old password was entered incorrectly. Please enter it again."]
        }
        if new != confirmation { errors["new_password2"] = ["The two password fields didn’t match."] }
        let problems = PasswordRules.problems(new)
        if !problems.isEmpty { errors["new_password1"] = problems }
        guard errors.isEmpty else { throw AccountFormError(fields: errors) }
        try await setPassword(userID: userID, password: new)
    }

    /// A light check (one `@`, a dot in the domain, no spaces), as Django's validator refuses obvious mistakes.
    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return !text.contains(where: \.isWhitespace)
    }
}
