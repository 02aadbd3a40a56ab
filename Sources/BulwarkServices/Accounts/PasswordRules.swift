/// Django's default password validators as DefectDojo configures them: length, all-numeric and
/// too-common checks (the last with Bulwark's own rules, ``CommonPasswords``).
public enum PasswordRules {
    public static let minimumLength = 9

    /// Problems with a new password, in Django's words; empty when acceptable.
    public static func problems(_ password: String) -> [String] {
        var out: [String] = []
        if password.count < minimumLength {
            out.append("This password is too short. It must contain at least \(minimumLength) characters.")
        }
        if !password.isEmpty && password.allSatisfy(\.isNumber) { out.append("This password is entirely numeric.") }
        if !password.isEmpty && CommonPasswords.isCommon(password) { out.append("This password is too common.") }
        return out
    }
}
