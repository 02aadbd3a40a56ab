import BulwarkAPI
import BulwarkServices
import Fluent
import SQLKit
import Vapor

/// `bulwark createsuperuser --username NAME --email MAIL [--password PASS]`: asks for missing values.
struct CreateSuperuserCommand: AsyncCommand {
    let hasher: any PasswordHashing

    struct Signature: CommandSignature {
        @Option(name: "username", help: "Username of the new superuser") var username: String?
        @Option(name: "email", help: "E-mail address") var email: String?
        @Option(name: "password", help: "Password (asked for when omitted)") var password: String?
    }

    var help: String { "Creates a superuser account." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let console = context.console
        let username = signature.username ?? console.ask("Username:")
        let email = signature.email ?? console.ask("Email address:")
        let password = signature.password ?? console.ask("Password:", isSecure: true)
        guard UsersResource.isValidUsername(username) else { throw CommandFailure("\(UsersResource.usernameRule)") }
        let problems = PasswordRules.problems(password)
        guard problems.isEmpty else { throw CommandFailure(problems.joined(separator: " ")) }
        guard let sql = context.application.db as? any SQLDatabase else { throw CommandFailure("database is not SQL") }
        let accounts = AccountService(db: sql, hasher: hasher)
        guard try await accounts.user(username: username) == nil else { throw CommandFailure("A user named \(username) already exists.") }
        let id = try await accounts.createUser(username: username, email: email, password: password, isSuperuser: true)
        console.print("Superuser \(username) created (id \(id)).")
    }
}

/// `bulwark changepassword USERNAME [--password PASS]`.
struct ChangePasswordCommand: AsyncCommand {
    let hasher: any PasswordHashing

    struct Signature: CommandSignature {
        @Argument(name: "username", help: "The user whose password changes") var username: String
        @Option(name: "password", help: "New password (asked for when omitted)") var password: String?
    }

    var help: String { "Sets a user's password." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let password = signature.password ?? context.console.ask("New password:", isSecure: true)
        let problems = PasswordRules.problems(password)
        guard problems.isEmpty else { throw CommandFailure(problems.joined(separator: " ")) }
        guard let sql = context.application.db as? any SQLDatabase else { throw CommandFailure("database is not SQL") }
        let accounts = AccountService(db: sql, hasher: hasher)
        guard let user = try await accounts.user(username: signature.username) else { throw CommandFailure("No user named \(signature.username).") }
        try await accounts.setPassword(userID: user.id, password: password)
        context.console.print("Password changed for \(user.username).")
    }
}

/// A command failure shown to the operator as one line.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
