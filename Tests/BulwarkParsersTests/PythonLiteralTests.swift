@testable import BulwarkParsers
import Testing

/// Python's printing and text operations as DefectDojo's descriptions depend on them.
@Suite("Python literals")
struct PythonLiteralTests {
    @Test("repr picks quotes and escapes like Python")
    func repr() {
        #expect(PythonLiteral.quote("plain") == "'plain'")
        #expect(PythonLiteral.quote("it's") == "\"it's\"")
        #expect(PythonLiteral.quote("both ' and \"") == "'both \\' and \"'")
        #expect(PythonLiteral.quote("tab\tnew\nline\\") == "'tab\\tnew\\nline\\\\'")
        #expect(PythonLiteral.quote("bell\u{7} nbsp\u{A0} é") == "'bell\\x07 nbsp\\xa0 é'")
        let list = JSONValue.array([.string("CWE-79"), .null, .bool(true), .integer(3), .number(7.5)])
        #expect(PythonLiteral.str(list) == "['CWE-79', None, True, 3, 7.5]")
        #expect(PythonLiteral.str(.object(JSONObject([("score", .number(5)), ("v", .null)]))) == "{'score': 5.0, 'v': None}")
    }

    @Test("find and in work on code points; the empty string is in every text")
    func search() throws {
        let text = "Überblick — ## Remediation\nUpgrade ## References"
        let range = try #require(PythonLiteral.firstRange(of: "## Remediation", in: text))
        #expect(String(text.unicodeScalars[range]) == "## Remediation")
        #expect(String(text.unicodeScalars[text.startIndex..<range.lowerBound]) == "Überblick — ")
        #expect(PythonLiteral.contains("abc", ""))
        #expect(!PythonLiteral.contains("", "a"))
        #expect(!PythonLiteral.contains("ab", "abc"))
        #expect(PythonLiteral.contains("e\u{301}", "\u{301}"))
    }

    @Test("strip and int")
    func stripAndInt() {
        #expect(PythonLiteral.stripped("  x \n") == "x")
        #expect(PythonLiteral.stripped("x") == "x")
        #expect(PythonLiteral.stripped(" \u{2003}\u{1C}ü é\u{85}") == "ü é")
        #expect(PythonLiteral.stripped(" \t ") == "")
        #expect(PythonLiteral.int("1321") == 1321)
        #expect(PythonLiteral.int(" 79 ") == 79)
        #expect(PythonLiteral.int("1_000") == 1000)
        #expect(PythonLiteral.int("") == nil)
        #expect(PythonLiteral.int("99999999999999999999999") == nil)
    }
}
