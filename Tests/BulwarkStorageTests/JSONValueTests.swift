import BulwarkStorage
import Foundation
import Testing

@Suite("JSONValue serialisation")
struct JSONValueTests {
    @Test("Objects keep insertion order")
    func order() {
        #expect(JSONValue.object([("b", .int(1)), ("a", .null)]).serializedString() == #"{"b":1,"a":null}"#)
    }

    @Test("Strings are escaped so the output parses back to the same text")
    func escaping() throws {
        let nasty = "quote\" backslash\\ newline\n tab\t nul\u{0} bell\u{7} emoji🛡 é"
        let text = JSONValue.object([("s", .string(nasty))]).serializedString()
        let decoded = try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
        #expect(decoded["s"] == nasty)
    }

    @Test("Doubles render like Python's repr; non-finite values become null")
    func doubles() {
        #expect(JSONValue.double(7.5).serializedString() == "7.5")
        #expect(JSONValue.double(10).serializedString() == "10.0")
        #expect(JSONValue.double(.nan).serializedString() == "null")
    }

    @Test("Integers are written without intermediate strings, every magnitude and sign")
    func integers() {
        for value in [0, 7, 9, 10, -1, -10, 1_234_567, Int.max, Int.min] {
            #expect(JSONValue.int(value).serializedString() == String(value))
        }
    }

    @Test("parse accepts JSON and rejects garbage")
    func parse() {
        #expect(JSONValue.parseOrdered(#"{"a":[1,true,null,"x",1.5]}"#)?["a"] == .array([.int(1), .bool(true), .null, .string("x"), .double(1.5)]))
        #expect(JSONValue.parseOrdered("{") == nil)
        #expect(JSONValue.parseOrdered(String(decoding: [0xFF, 0xFE], as: UTF8.self)) == nil)
    }
}

@Suite("DateFormatting")
struct DateFormattingTests {
    @Test("Instants render as DRF does: UTC, Z, microseconds only when present")
    func instants() throws {
        let whole = try #require(DateFormatting.parseInstant("2024-05-01T10:00:00Z"))
        #expect(DateFormatting.instant(whole) == "2024-05-01T10:00:00Z")
        let fraction = try #require(DateFormatting.parseInstant("2024-05-01T12:00:00.250+02:00"))
        #expect(DateFormatting.instant(fraction) == "2024-05-01T10:00:00.250000Z")
        #expect(DateFormatting.parseInstant("2024-05-01 10:00") != nil)
    }

    @Test("Malformed dates are rejected", arguments: ["2024-02-30", "2024-13-01", "24-01-01", "2024-1-1x", "", "yesterday", "2024-05-01T25:00"])
    func rejects(text: String) {
        #expect(DateFormatting.parseInstant(text) == nil)
        if !text.contains("T") && text != "24-01-01" { #expect(DateFormatting.parseDay(text) == nil) }
    }

    @Test("Days round-trip")
    func days() throws {
        let day = try #require(DateFormatting.parseDay("2024-02-29"))
        #expect(DateFormatting.day(day) == "2024-02-29")
        // The fixed-width fast path and the general path agree.
        #expect(DateFormatting.parseDay("2024-1-5") == DateFormatting.parseDay("2024-01-05"))
        #expect(DateFormatting.parseDay("2023-02-29") == nil)
        #expect(DateFormatting.parseDay("2024-00-10") == nil)
        #expect(DateFormatting.parseDay("2024-01-3x") == nil)
        #expect(DateFormatting.day(try #require(DateFormatting.parseDay("0999-12-31"))) == "0999-12-31")
    }
}

@Suite("FieldConversion follows DRF's leniency")
struct FieldConversionTests {
    @Test("Booleans accept DRF's spellings", arguments: [("true", true), ("True", true), ("1", true), ("yes", true), ("off", false), ("False", false), ("0", false)])
    func booleans(text: String, expected: Bool) {
        #expect(FieldConversion.boolean(.string(text)) == expected)
    }

    @Test("Tags accept lists, JSON-encoded lists and comma-separated text, lower-cased and de-duplicated")
    func tags() throws {
        for raw in [JSONValue.array([.string("A"), .string("b"), .string("a")]), .string(#"["A","b"]"#), .string("A, b,,a")] {
            guard case .success(let value) = FieldConversion.convert(raw, kind: .tags, allowBlank: true, nullable: false) else {
                Issue.record("\(raw) rejected")
                continue
            }
            #expect(value.tags == ["a", "b"])
        }
    }

    @Test("Limits give DRF's messages")
    func limits() {
        guard case .failure(let long) = FieldConversion.convert(.string("abcdef"), kind: .string(maxLength: 3), allowBlank: true, nullable: false) else {
            Issue.record("too long accepted")
            return
        }
        #expect(long.message == "Ensure this field has no more than 3 characters.")
        guard case .failure(let score) = FieldConversion.convert(.double(11), kind: .float(minimum: 0, maximum: 10), allowBlank: true, nullable: true) else {
            Issue.record("11 accepted")
            return
        }
        #expect(score.message == "Ensure this value is less than or equal to 10.")
    }

    @Test("Lengths count code points as Python does, not grapheme clusters")
    func lengthInCodePoints() {
        // "é" written as e + combining acute is one character to Swift but two code points to Python and DRF.
        let combining = String(repeating: "e\u{301}", count: 3)
        guard case .failure = FieldConversion.convert(.string(combining), kind: .string(maxLength: 5), allowBlank: true, nullable: false) else {
            Issue.record("six code points accepted for a maximum of 5")
            return
        }
        guard case .failure = FieldConversion.convert(.string("a\r\nb\r\nc"), kind: .string(maxLength: 6), allowBlank: true, nullable: false) else {
            Issue.record("CR LF counted as one")
            return
        }
        if case .failure = FieldConversion.convert(.string(combining), kind: .string(maxLength: 6), allowBlank: true, nullable: false) {
            Issue.record("six code points refused for a maximum of 6")
        }
    }
}
