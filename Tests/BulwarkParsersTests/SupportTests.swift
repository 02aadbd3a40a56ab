import BulwarkCore
@testable import BulwarkParsers
import Foundation
import Testing

/// Expected texts for html2text and textwrap were produced by the Python libraries DefectDojo
/// pins (html2text 2025.4.15, CPython 3.11 textwrap).
@Suite("Parser support")
struct SupportTests {
    // MARK: CSV

    @Test("CSV quoting follows Python's csv module")
    func csvQuoting() throws {
        // Given quoted commas, doubled quotes, a line break in quotes, a stray quote and a blank line
        let text = "a,b,c\r\n\"1,5\",\"say \"\"hi\"\"\",\"two\nlines\"\n\nx\"y,\"q\"z,\n"

        // When reading
        let table = try CSVTable(data: Data(text.utf8))

        // Then fields match Python's reader and blank lines are skipped
        #expect(table.header == ["a", "b", "c"])
        #expect(table.records.map(\.values) == [["1,5", "say \"hi\"", "two\nlines"], ["x\"y", "qz", ""]])
        #expect(table.records.map(\.line) == [2, 5])
        #expect(table.records[0]["b"] == "say \"hi\"")
        #expect(table.records[0]["missing"] == nil)
    }

    @Test("an unterminated quote is reported at its line")
    func csvUnterminated() {
        #expect(throws: ParseError.self) { try CSVTable(data: Data("a,b\n1,\"open\n2,3\n".utf8)) }
        do {
            _ = try CSVTable(data: Data("a,b\n1,\"open\n2,3\n".utf8))
        } catch {
            #expect(error.position == .csv(line: 2, column: nil))
        }
    }

    // MARK: JSON

    @Test("the ordered JSON parser keeps member order and Python's duplicate-key rule")
    func orderedJSON() throws {
        let value = try OrderedJSONParser.parse(Data(#"{"z": 1, "a": [true, null, 2.5, "\u00e9\ud83d\ude00"], "z": 3, "n": NaN}"#.utf8))
        let object = try #require(value.objectValue)
        #expect(object.keys == ["z", "a", "n"])
        #expect(object["z"] == .integer(3))
        #expect(object["a"] == .array([.bool(true), .null, .number(2.5), .string("é😀")]))
        #expect(object["n"]?.pythonString == "nan")
    }

    @Test("JSON syntax errors carry line and column", arguments: [
        ("{\"a\": 1,\n  \"b\": }", 2, 8),
        ("[1, 2", 1, 6),
        ("{\"a\": tru}", 1, 7),
        ("{} extra", 1, 4),
    ] as [(String, Int, Int)])
    func jsonSyntax(text: String, line: Int, column: Int) {
        do {
            _ = try OrderedJSONParser.parse(Data(text.utf8))
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.code == .malformedInput)
            #expect(error.position == .text(line: line, column: column))
        }
    }

    @Test("deeply nested JSON is refused instead of overflowing the stack")
    func jsonDepth() {
        let text = String(repeating: "[", count: 100_000)
        #expect(throws: ParseError.self) { try OrderedJSONParser.parse(Data(text.utf8)) }
    }

    private struct Report: Decodable {
        struct Item: Decodable { let title: String }
        let items: [Item]
    }

    @Test("decodeJSON turns DecodingError into ParseError with the JSON path")
    func decodeJSONPaths() {
        // Given a wrong type deep inside, and a missing key
        let wrongType = ScanInput(data: Data(#"{"items": [{"title": "a"}, {"title": 3}]}"#.utf8))
        let missing = ScanInput(data: Data(#"{"items": [{}]}"#.utf8))
        let truncated = ScanInput(data: Data("{\"items\": [".utf8))

        // Then each error names the path (or the line and column for syntax errors)
        #expect(throws: ParseError.self) { try wrongType.decodeJSON(Report.self, scanType: "X") }
        do { _ = try wrongType.decodeJSON(Report.self, scanType: "X") } catch {
            #expect(error.code == .invalidValue)
            #expect(error.position == .jsonPath("$.items[1].title"))
            #expect(error.scanType == "X")
        }
        do { _ = try missing.decodeJSON(Report.self, scanType: "X") } catch {
            #expect(error.code == .missingField)
            #expect(error.reason.contains("\"title\""))
        }
        do { _ = try truncated.decodeJSON(Report.self, scanType: "X") } catch {
            #expect(error.code == .malformedInput)
            #expect(error.position == .text(line: 1, column: 12))
        }
    }

    // MARK: Text

    @Test("html2text conversions match the Python library", arguments: [
        ("<p>Hello <b>world</b></p>", "Hello **world**\n\n"),
        ("<ul><li>one</li><li>two <a href='http://x.com'>link</a></li></ul>", "  * one\n  * two [link](http://x.com)\n\n"),
        ("<a href=\"http://example.com\">http://example.com</a>", "<http://example.com>\n\n"),
        ("1. not a list\n- dash start", "1\\. not a list \\- dash start\n\n"),
        ("&lt;script&gt; &amp; &eacute; &#233; &unknown;", "<script> & e e &unknown;\n\n"),
        ("<pre>line1\n  indented</pre>", "\n    line1\n      indented\n\n"),
        ("", "\n\n"),
    ])
    func htmlToText(html: String, expected: String) {
        #expect(HTMLToText.convert(html) == expected)
    }

    @Test("long paragraphs wrap at 78 columns, breaking after hyphens")
    func htmlWrap() {
        let html = "<p>The following directives either allow wildcard sources (or ancestors), are not defined, or are overly broadly defined: script-src, script-src-elem, script-src-attr</p>"
        #expect(HTMLToText.convert(html) == """
            The following directives either allow wildcard sources (or ancestors), are not
            defined, or are overly broadly defined: script-src, script-src-elem, script-
            src-attr


            """)
    }

    @Test("textwrap.shorten", arguments: [
        ("  several   spaces\tand\nnewlines ", "several spaces and newlines"),
        (String(repeating: "x", count: 200), "[...]"),
        (String(repeating: "word ", count: 50), String(repeating: "word ", count: 28) + "word [...]"),
    ])
    func shorten(text: String, expected: String) {
        #expect(PythonTextWrapper.shorten(text, width: 150) == expected)
    }

    // MARK: Dates

    @Test("dates read like dateutil", arguments: [
        ("2024-01-24T11:02:11Z", "2024-01-24"),
        ("2024-01-24 11:02:11", "2024-01-24"),
        ("20240124", "2024-01-24"),
        ("28/02/2021", "2021-02-28"),
        ("01/02/2024", "2024-01-02"),
        ("2024/03/05", "2024-03-05"),
        ("Jan 24, 2024 10:00 PM", "2024-01-24"),
        ("24 January 2024", "2024-01-24"),
        ("Tue, 12 May 2020 20:57:30", "2020-05-12"),
    ])
    func flexibleDates(text: String, expected: String) throws {
        let parsed = try #require(DateParsing.flexible(text))
        #expect(parsed.calendarDate?.description == expected)
    }

    @Test("ISO times with offsets convert to UTC days; junk is rejected")
    func isoDates() throws {
        let late = try #require(DateParsing.iso8601("2024-02-10T23:30:00-02:00"))
        #expect(late.calendarDate?.description == "2024-02-10")
        #expect(late.utcCalendarDate?.description == "2024-02-11")
        #expect(DateParsing.flexible("not a date") == nil)
        #expect(DateParsing.flexible("2024-02-30") == nil)
    }

    // MARK: Input

    @Test("scan input reads files and bytes and knows the extension")
    func scanInput() throws {
        let file = try Fixture.input("generic/one_vuln.csv")
        #expect(file.fileExtension == "csv")
        #expect(try file.readData() == (try Fixture.data("generic/one_vuln.csv")))
        #expect(try ScanInput(data: Data(" \n".utf8)).isBlank())
        #expect(ScanInput(data: Data(), filename: "Report.JSON").fileExtension == "json")
        let missing = ScanInput(fileURL: URL(fileURLWithPath: "/nonexistent/report.json"))
        #expect(throws: ParseError.self) { try missing.readData() }
    }
}
