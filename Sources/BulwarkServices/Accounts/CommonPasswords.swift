/// Recognises passwords that attackers try first: well-known choices and their usual disguises
/// (capitals, digit-for-letter swaps, digits or symbols appended), keyboard and alphabet runs, and
/// one repeated character. A compact rule set of our own instead of a downloaded word list.
enum CommonPasswords {
    /// Words and phrases found at the top of every leaked-password ranking.
    static let words = Set<String>([
        "password", "passwort", "motdepasse", "contrasena", "senha", "qwerty", "qwertz", "azerty", "letmein", "welcome", "admin",
        "administrator", "root", "toor", "login", "guest", "default", "changeme", "secret", "master", "dragon", "monkey", "football",
        "baseball", "soccer", "hockey", "basketball", "iloveyou", "sunshine", "princess", "shadow", "superman", "batman", "spiderman",
        "starwars", "pokemon", "michael", "jennifer", "jordan", "hunter", "ranger", "buster", "soccer", "harley", "charlie", "thomas",
        "trustno", "trustnoone", "whatever", "freedom", "computer", "internet", "security", "access", "flower", "mustang", "cheese",
        "summer", "winter", "spring", "autumn", "chocolate", "cookie", "pepper", "ginger", "maggie", "tigger", "hello", "helloworld",
        "loveme", "lovely", "killer", "matrix", "ninja", "pass", "passpass", "mypassword", "mypass", "test", "testing", "tester",
        "user", "demo", "sample", "temp", "temporary", "abc", "abcd", "qwe", "asd", "zxc", "defectdojo", "bulwark", "dojo",
        "secure", "letmeinplease", "opensesame", "blink", "google", "facebook", "linkedin", "microsoft", "apple", "samsung",
        "liverpool", "chelsea", "arsenal", "barcelona", "madrid", "london", "newyork", "america", "canada", "germany", "france",
        "family", "friends", "angel", "jesus", "christ", "blessed", "heaven", "money", "banana", "orange", "purple", "yellow",
        "silver", "golden", "diamond", "passw", "administrador", "adminadmin", "rootroot", "zaq", "xsw",
    ])

    /// Keyboard rows and common keyboard walks; a password inside one of these (4+ characters) is a run.
    static let runs = [
        "qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertzuiop", "azertyuiop", "1qaz2wsx3edc4rfv", "qazwsxedcrfv", "zaq12wsx",
        "abcdefghijklmnopqrstuvwxyz", "01234567890", "09876543210", "zyxwvutsrqponmlkjihgfedcba", "poiuytrewq", "lkjhgfdsa", "mnbvcxz",
    ]

    /// Whether `password` is one of the first things an attacker would try.
    static func isCommon(_ password: String) -> Bool {
        let lowered = password.lowercased()
        if let first = lowered.first, lowered.allSatisfy({ $0 == first }) { return true }
        if runs.contains(where: { $0.contains(lowered) }) { return true }
        let core = normalised(lowered)
        if core.isEmpty || words.contains(core) { return true }
        // A common word repeated or followed by a run (password123, qwerty2024, adminadmin).
        if let word = words.first(where: { core.hasPrefix($0) && $0.count >= 4 }) {
            let rest = String(core.dropFirst(word.count))
            if rest.isEmpty || words.contains(rest) || runs.contains(where: { $0.contains(rest) }) { return true }
        }
        return false
    }

    /// Lower-case letters with digit and symbol swaps undone, trailing digits and symbols removed.
    static func normalised(_ lowered: String) -> String {
        var text = Substring(lowered)
        while let last = text.last, last.isNumber || (!last.isLetter && !last.isNumber) { text.removeLast() }
        while let first = text.first, !first.isLetter && !first.isNumber { text.removeFirst() }
        let swaps: [Character: Character] = ["0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"]
        return String(text.map { swaps[$0] ?? $0 })
    }
}
