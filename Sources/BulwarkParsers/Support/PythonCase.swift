/// Python's case-changing string methods, which several DefectDojo parsers apply to severities
/// (`"MEDIUM".title()` → `Medium`, `"moderate".capitalize()` → `Moderate`).
enum PythonCase {
    /// `str.title()`: a letter after a letter is lower-cased, any other letter upper-cased, so
    /// `"HIGH"` → `High` and `"very high"` → `Very High`.
    static func title(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        var previousIsLetter = false
        for character in text {
            if character.isLetter {
                result += previousIsLetter ? character.lowercased() : character.uppercased()
                previousIsLetter = true
            } else {
                result.append(character)
                previousIsLetter = false
            }
        }
        return result
    }

    /// `str.capitalize()`: the first character upper-cased, all others lower-cased.
    static func capitalize(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst().lowercased()
    }
}
