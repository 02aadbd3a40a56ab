import BulwarkCore
import Testing

@Suite("PythonText")
struct PythonTextTests {
    /// Pairs checked against CPython's `str.casefold()`.
    static let folds: [(String, String)] = [
        ("ABC xyz", "abc xyz"),
        ("Straße", "strasse"),
        ("ẞ", "ss"),
        ("MÜNCHEN", "münchen"),
        ("ǅ", "ǆ"),
        ("İ", "i\u{0307}"),
        ("ı", "ı"),
        ("ﬁ", "fi"),
        ("ς", "σ"),
        ("ΐ", "\u{03B9}\u{0308}\u{0301}"),
        ("\u{AB70}", "\u{13A0}"),
        ("\u{13A0}", "\u{13A0}"),
        ("K", "k"),
    ]

    @Test("casefold matches Python", arguments: folds)
    func casefold(input: String, expected: String) {
        #expect(Array(PythonText.casefold(input).unicodeScalars) == Array(expected.unicodeScalars))
    }

    @Test("strip removes Unicode whitespace, stripASCIIWhitespace only ASCII")
    func stripping() {
        #expect(PythonText.strip("\u{00A0} a b \u{2003}\n") == "a b")
        #expect(Array(PythonText.stripASCIIWhitespace(Array(" \t a \u{0B}".utf8))) == Array("a".utf8))
        #expect(PythonText.isWhitespace("\u{1C}"))
        #expect(!PythonText.isWhitespace("x"))
    }
}
