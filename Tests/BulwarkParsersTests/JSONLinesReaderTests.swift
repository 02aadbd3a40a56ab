import BulwarkCore
@testable import BulwarkParsers
import Foundation
import Testing

@Suite("JSON Lines reader")
struct JSONLinesReaderTests {
    private func read(_ text: String, maximumLineLength: Int = JSONLinesReader.defaultMaximumLineLength) throws(ParseError) -> [(JSONValue, Int)] {
        var records: [(JSONValue, Int)] = []
        try JSONLinesReader.forEach(in: Data(text.utf8), maximumLineLength: maximumLineLength) { (value, line) throws(ParseError) in
            records.append((value, line))
        }
        return records
    }

    @Test("JSON Lines: one value per line, blank lines and CRLF allowed, with starting lines")
    func jsonLines() throws {
        // Given three records with a blank line and CRLF endings
        let text = "{\"a\": 1}\r\n\r\n[2, 3]\r\n\"four\"\r\n"

        // When reading them
        let records = try read(text)

        // Then each value comes with the line it starts on
        #expect(records.map(\.1) == [1, 3, 4])
        #expect(records.map(\.0) == [.object(JSONObject([("a", .integer(1))])), .array([.integer(2), .integer(3)]), .string("four")])
    }

    @Test("pretty-printed values one after another, as govulncheck writes them")
    func concatenatedValues() throws {
        // Given two indented objects
        let text = "{\n  \"config\": {\n    \"scanner_name\": \"govulncheck\"\n  }\n}\n{\n  \"progress\": {}\n}\n"

        // When reading them
        let records = try read(text)

        // Then both are read, starting on lines 1 and 6
        #expect(records.map(\.1) == [1, 6])
        #expect(records[0].0["config"]?["scanner_name"] == .string("govulncheck"))
    }

    @Test("errors carry the line and column")
    func errorPositions() throws {
        // Given a stream whose third record is broken
        let broken = "{\"a\": 1}\n{\"b\": 2}\n{\"c\": tru}\n"
        // and one with two values on a line, and one truncated
        let twoOnALine = "{\"a\": 1}\n{\"b\": 2} {\"c\": 3}\n"
        let truncated = "{\"a\": 1}\n{\"b\": [1, 2"

        // When reading them, Then the positions name the lines
        let syntax = try #require(parseError { _ = try read(broken); return ParseResult(findings: []) })
        #expect(syntax.code == .malformedInput)
        #expect(syntax.position == .text(line: 3, column: 7))
        let extra = try #require(parseError { _ = try read(twoOnALine); return ParseResult(findings: []) })
        #expect(extra.position == .text(line: 2, column: 10))
        #expect(extra.reason.contains("line 2"))
        let cut = try #require(parseError { _ = try read(truncated); return ParseResult(findings: []) })
        #expect(cut.position == .text(line: 2, column: 12))
    }

    @Test("a line over the limit is refused before any value is built")
    func lineLimit() throws {
        // Given a short first line and a 40-byte second line, with a limit of 32 bytes
        let text = "{\"a\": 1}\n" + "[" + String(repeating: "1,", count: 19) + "1]\n"

        // When reading it
        let error = try #require(parseError { _ = try read(text, maximumLineLength: 32); return ParseResult(findings: []) })

        // Then line 2 is named
        #expect(error.code == .invalidValue)
        #expect(error.position == .text(line: 2, column: 33))
    }

    @Test("blank input is empty")
    func blank() throws {
        let error = try #require(parseError { _ = try read(" \n\r\n"); return ParseResult(findings: []) })
        #expect(error.code == .empty)
    }
}
