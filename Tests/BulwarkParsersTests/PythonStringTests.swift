@testable import BulwarkParsers
import Testing

@Suite("Python string helpers")
struct PythonStringTests {
    @Test("split, suffix and replace work on code points, so CRLF text splits on LF")
    func codePoints() {
        // Given text with CRLF line endings
        let text = "first\r\nsecond\r\n"

        // When splitting and trimming on "\n" as Python does
        let pieces = PythonString.split(text, "\n")
        let trimmed = PythonString.removingSuffix(text, "\n")

        // Then the CR stays with its line
        #expect(pieces == ["first\r", "second\r", ""])
        #expect(trimmed == "first\r\nsecond\r")
        #expect(PythonString.rstrip("a\n\n", ["\n"]) == "a")
        #expect(PythonString.lstrip("vv2.8", ["v"]) == "2.8")
        #expect(PythonString.replace("abc", "", "-") == "-a-b-c-")
        #expect(PythonString.replace("a```b", "```", "``````") == "a``````b")
        #expect(PythonString.contains("x\r\ny", "\n"))
        #expect(!PythonString.contains("xy", "\n"))
    }

    @Test("title and capitalize follow Python")
    func caseChanges() {
        #expect(PythonCase.title("MEDIUM") == "Medium")
        #expect(PythonCase.title("very HIGH") == "Very High")
        #expect(PythonCase.title("o'neil") == "O'Neil")
        #expect(PythonCase.capitalize("hIGH") == "High")
        #expect(PythonCase.capitalize("") == "")
    }
}
