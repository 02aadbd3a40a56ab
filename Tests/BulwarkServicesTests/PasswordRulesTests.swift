@testable import BulwarkServices
import Testing

/// Password rules on create, change and `changepassword`: length, all-numeric and too common.
@Suite("Password rules")
struct PasswordRulesTests {
    @Test("Well-known passwords and their usual disguises are too common", arguments: [
        "password", "Password1", "P@ssw0rd2024!", "password123", "qwertyuiop", "Qwerty123!", "letmein!!", "aaaaaaaaaa", "1qaz2wsx3edc",
        "adminadmin", "Welcome2026", "iloveyou", "abcdefghij", "!!dragon99", "zaq12wsx", "Tr0ub4dor", "monkeymonkey",
    ])
    func common(_ password: String) {
        // "Tr0ub4dor" reads as "troubador": not a listed word, so it is the one expected to pass.
        let expectCommon = password != "Tr0ub4dor"
        #expect(PasswordRules.problems(password).contains("This password is too common.") == expectCommon, "\(password)")
    }

    @Test("Passwords of a random or personal make are accepted", arguments: [
        "correct horse battery staple", "Adm1n-Passw0rd!", "vX9#kLq2!mZ", "blue-kettle-47-orbit", "Tr0ub4dor&3",
    ])
    func accepted(_ password: String) {
        #expect(PasswordRules.problems(password).isEmpty, "\(password): \(PasswordRules.problems(password))")
    }

    @Test("Short and all-numeric passwords get Django's messages")
    func lengthAndDigits() {
        #expect(PasswordRules.problems("abc").contains("This password is too short. It must contain at least 9 characters."))
        #expect(PasswordRules.problems("8675309123").contains("This password is entirely numeric."))
    }
}
