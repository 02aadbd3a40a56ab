import Foundation

/// A JSON parser that keeps object members in document order and reports syntax errors with
/// line and column. It accepts what Python's `json.load` accepts, including `NaN` and
/// `Infinity`, and rejects nesting deeper than 512 levels instead of overflowing the stack.
///
/// It reads the bytes in place (a memory-mapped file is not copied) and can stream the
/// elements of one top-level array member, so a report with 100,000 findings never exists as
/// one big tree.
enum OrderedJSONParser {
    static let maximumDepth = 512

    /// Parses a whole document.
    /// - Throws: ``ParseError`` (``ParseError/Code/empty`` or ``ParseError/Code/malformedInput``).
    static func parse(_ data: Data) throws(ParseError) -> JSONValue {
        try withParser(data) { (parser: inout Parser) throws(ParseError) -> JSONValue in
            let value = try parser.value(depth: 0)
            try parser.expectEnd()
            return value
        }
    }

    /// The outcome of ``parseObject(_:streaming:element:)``.
    enum TopLevel {
        /// The document is an object; the streamed member's elements went to the callback and
        /// the member itself is absent from the returned object.
        case object(JSONObject, sawStreamedMember: Bool)
        /// The document is valid JSON but not an object.
        case notAnObject
    }

    /// Parses a document whose top level should be an object, handing each element of the
    /// array member `member` to `element` as soon as it is read.
    static func parseObject(
        _ data: Data, streaming member: String, element: (JSONValue, Int) throws(ParseError) -> Void
    ) throws(ParseError) -> TopLevel {
        try withParser(data) { (parser: inout Parser) throws(ParseError) -> TopLevel in
            guard parser.peek == 0x7B else {
                _ = try parser.value(depth: 0)
                try parser.expectEnd()
                return .notAnObject
            }
            var saw = false
            let object = try parser.object(depth: 0) { (key, parser) throws(ParseError) -> Bool in
                guard key == member else { return false }
                saw = true
                guard parser.peek == 0x5B else { return false }
                try parser.streamArray(depth: 1, element)
                return true
            }
            try parser.expectEnd()
            return .object(object, sawStreamedMember: saw)
        }
    }

    private static func withParser<Result>(
        _ data: Data, _ body: (inout Parser) throws(ParseError) -> Result
    ) throws(ParseError) -> Result {
        let outcome: Swift.Result<Result, ParseError> = data.withUnsafeBytes { raw in
            var bytes = UnsafeBufferPointer(start: raw.bindMemory(to: UInt8.self).baseAddress, count: raw.count)
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
                bytes = UnsafeBufferPointer(rebasing: bytes[3...])
            }
            var parser = Parser(bytes: bytes)
            parser.skipSpace()
            guard parser.index < bytes.count else { return .failure(ParseError(.empty, "The report is empty.")) }
            do throws(ParseError) {
                return .success(try body(&parser))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        var peek: UInt8? {
            index < bytes.count ? bytes[index] : nil
        }

        func failure(_ problem: String) -> ParseError {
            var line = 1
            var column = 1
            for byte in bytes[..<min(index, bytes.count)] {
                if byte == 0x0A {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
            }
            return ParseError(.malformedInput, "The report is not valid JSON: \(problem).", position: .text(line: line, column: column))
        }

        func unexpected() -> ParseError {
            guard index < bytes.count else { return failure("unexpected end of input (is the file truncated?)") }
            let byte = bytes[index]
            if (0x21...0x7E).contains(byte) { return failure("unexpected '\(Character(Unicode.Scalar(byte)))'") }
            return failure(String(format: "unexpected byte 0x%02X", byte))
        }

        mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func expectEnd() throws(ParseError) {
            skipSpace()
            guard index == bytes.count else { throw failure("unexpected content after the JSON document") }
        }

        mutating func value(depth: Int) throws(ParseError) -> JSONValue {
            guard depth < OrderedJSONParser.maximumDepth else { throw failure("nesting is too deep") }
            skipSpace()
            guard index < bytes.count else { throw unexpected() }
            switch bytes[index] {
            case 0x7B: return .object(try object(depth: depth) { (_, _) throws(ParseError) -> Bool in false })
            case 0x5B: return .array(try array(depth: depth))
            case 0x22: return .string(try string())
            case 0x74: try literal("true"); return .bool(true)
            case 0x66: try literal("false"); return .bool(false)
            case 0x6E: try literal("null"); return .null
            case 0x4E: try literal("NaN"); return .number(.nan)
            case 0x49: try literal("Infinity"); return .number(.infinity)
            case 0x2D, 0x30...0x39: return try number()
            default: throw unexpected()
            }
        }

        mutating func literal(_ word: StaticString) throws(ParseError) {
            let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            guard index + expected.count <= bytes.count, bytes[index..<index + expected.count].elementsEqual(expected) else {
                throw unexpected()
            }
            index += expected.count
        }

        /// Parses an object. `intercept` sees each key with the parser positioned at its value;
        /// returning `true` means it consumed the value itself (which is then left out).
        mutating func object(
            depth: Int, intercept: (String, inout Parser) throws(ParseError) -> Bool
        ) throws(ParseError) -> JSONObject {
            index += 1
            var object = JSONObject()
            skipSpace()
            if index < bytes.count, bytes[index] == 0x7D {
                index += 1
                return object
            }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == 0x22 else { throw unexpected() }
                let key = try string()
                skipSpace()
                guard index < bytes.count, bytes[index] == 0x3A else { throw unexpected() }
                index += 1
                skipSpace()
                if try !intercept(key, &self) {
                    object[key] = try value(depth: depth + 1)
                }
                skipSpace()
                guard index < bytes.count else { throw unexpected() }
                if bytes[index] == 0x2C {
                    index += 1
                } else if bytes[index] == 0x7D {
                    index += 1
                    return object
                } else {
                    throw unexpected()
                }
            }
        }

        mutating func array(depth: Int) throws(ParseError) -> [JSONValue] {
            var values: [JSONValue] = []
            try streamArray(depth: depth) { (value, _) throws(ParseError) in values.append(value) }
            return values
        }

        /// Reads an array, handing each element to `element` with its index.
        mutating func streamArray(depth: Int, _ element: (JSONValue, Int) throws(ParseError) -> Void) throws(ParseError) {
            index += 1
            skipSpace()
            if index < bytes.count, bytes[index] == 0x5D {
                index += 1
                return
            }
            var position = 0
            while true {
                try element(try value(depth: depth + 1), position)
                position += 1
                skipSpace()
                guard index < bytes.count else { throw unexpected() }
                if bytes[index] == 0x2C {
                    index += 1
                } else if bytes[index] == 0x5D {
                    index += 1
                    return
                } else {
                    throw unexpected()
                }
            }
        }

        mutating func number() throws(ParseError) -> JSONValue {
            let start = index
            if bytes[index] == 0x2D {
                index += 1
                if index < bytes.count, bytes[index] == 0x49 {
                    try literal("Infinity")
                    return .number(-.infinity)
                }
            }
            let digitsStart = index
            var integer = 0
            var overflow = false
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                let (times, o1) = integer.multipliedReportingOverflow(by: 10)
                let (plus, o2) = times.addingReportingOverflow(Int(bytes[index] - 0x30))
                integer = plus
                overflow = overflow || o1 || o2
                index += 1
            }
            guard index > digitsStart else { throw unexpected() }
            var isInteger = true
            if index < bytes.count, bytes[index] == 0x2E {
                isInteger = false
                index += 1
                let fraction = index
                while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
                guard index > fraction else { throw unexpected() }
            }
            if index < bytes.count, bytes[index] == 0x65 || bytes[index] == 0x45 {
                isInteger = false
                index += 1
                if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
                let exponent = index
                while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
                guard index > exponent else { throw unexpected() }
            }
            if isInteger, !overflow {
                return .integer(bytes[start] == 0x2D ? -integer : integer)
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            return .number(Double(text) ?? .nan)
        }

        mutating func string() throws(ParseError) -> String {
            let opening = index
            index += 1
            let start = index
            // Fast path: no escapes.
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x22 {
                    let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    guard let text else { index = start; throw failure("the text is not valid UTF-8") }
                    index += 1
                    return text
                }
                if byte == 0x5C { break }
                if byte < 0x20 { throw failure("control character in string") }
                index += 1
            }
            // Slow path: collect UTF-8 bytes (runs copied as they are, escapes encoded) and
            // validate once at the end; much cheaper than growing a scalar view.
            var buffer: [UInt8] = []
            buffer.reserveCapacity(index - start + 32)
            var runStart = start
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x22 || byte == 0x5C {
                    buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                }
                if byte == 0x22 {
                    index += 1
                    guard let text = String(validating: buffer, as: UTF8.self) else {
                        index = start
                        throw failure("the text is not valid UTF-8")
                    }
                    return text
                }
                if byte < 0x20 { throw failure("control character in string") }
                guard byte == 0x5C else {
                    index += 1
                    continue
                }
                index += 1
                guard index < bytes.count else { break }
                switch bytes[index] {
                case 0x22: buffer.append(0x22); index += 1
                case 0x5C: buffer.append(0x5C); index += 1
                case 0x2F: buffer.append(0x2F); index += 1
                case 0x62: buffer.append(0x08); index += 1
                case 0x66: buffer.append(0x0C); index += 1
                case 0x6E: buffer.append(0x0A); index += 1
                case 0x72: buffer.append(0x0D); index += 1
                case 0x74: buffer.append(0x09); index += 1
                case 0x75:
                    index += 1
                    var value = try hex4()
                    if (0xD800..<0xDC00).contains(value), index + 1 < bytes.count, bytes[index] == 0x5C, bytes[index + 1] == 0x75 {
                        let save = index
                        index += 2
                        let low = try hex4()
                        if (0xDC00..<0xE000).contains(low) {
                            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            index = save
                        }
                    }
                    // Python keeps lone surrogates; Swift strings cannot, so they become U+FFFD.
                    UTF8.encode(Unicode.Scalar(value) ?? "\u{FFFD}") { buffer.append($0) }
                default:
                    throw failure("invalid escape in string")
                }
                runStart = index
            }
            index = opening
            throw failure("unterminated string")
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw failure("invalid \\u escape") }
            var value: UInt32 = 0
            for byte in bytes[index..<index + 4] {
                let digit: UInt32
                switch byte {
                case 0x30...0x39: digit = UInt32(byte - 0x30)
                case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
                case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
                default: throw failure("invalid \\u escape")
                }
                value = value << 4 | digit
            }
            index += 4
            return value
        }
    }
}
