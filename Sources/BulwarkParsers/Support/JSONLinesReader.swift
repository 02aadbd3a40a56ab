import Foundation

/// Reads a stream of JSON values: JSON Lines (one value per line) and concatenated
/// pretty-printed values (one after another, each starting on its own line, as
/// `govulncheck -json` writes them). A single JSON document is a stream of one value.
///
/// Every line is bounded by ``maximumLineLength`` (checked before any value is built), each value
/// must end its line, and errors carry the 1-based line and column. The bytes are read in place
/// (a memory-mapped file is not copied).
///
/// ```swift
/// try JSONLinesReader.forEach(in: data) { value, line in … }
/// ```
enum JSONLinesReader {
    /// The longest line accepted by default, in bytes (16 MiB).
    static let defaultMaximumLineLength = 16 * 1024 * 1024

    /// Calls `body` with each value of the stream and the line it starts on.
    /// - Throws: ``ParseError`` with ``ParseError/Code/empty`` for a blank input,
    ///   ``ParseError/Code/invalidValue`` for an over-long line and
    ///   ``ParseError/Code/malformedInput`` for invalid JSON or two values on one line.
    static func forEach(
        in data: Data, maximumLineLength: Int = defaultMaximumLineLength,
        _ body: (JSONValue, Int) throws(ParseError) -> Void
    ) throws(ParseError) {
        let outcome: Result<Void, ParseError> = data.withUnsafeBytes { raw in
            var bytes = UnsafeBufferPointer(start: raw.bindMemory(to: UInt8.self).baseAddress, count: raw.count)
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
                bytes = UnsafeBufferPointer(rebasing: bytes[3...])
            }
            do throws(ParseError) {
                try checkLineLengths(bytes, limit: maximumLineLength)
                try readValues(bytes, body)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try outcome.get()
    }

    /// Every value of the stream, in order.
    static func values(in data: Data, maximumLineLength: Int = defaultMaximumLineLength) throws(ParseError) -> [JSONValue] {
        var values: [JSONValue] = []
        try forEach(in: data, maximumLineLength: maximumLineLength) { (value, _) throws(ParseError) in values.append(value) }
        return values
    }

    private static func checkLineLengths(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int) throws(ParseError) {
        var line = 1
        var lineStart = 0
        for index in 0..<bytes.count where bytes[index] == 0x0A {
            if index - lineStart > limit { throw tooLong(line: line, limit: limit) }
            line += 1
            lineStart = index + 1
        }
        if bytes.count - lineStart > limit { throw tooLong(line: line, limit: limit) }
    }

    private static func tooLong(line: Int, limit: Int) -> ParseError {
        ParseError(
            .invalidValue, "Line \(line) is longer than \(limit) bytes; a JSON Lines record must stay within that limit.",
            position: .text(line: line, column: limit + 1))
    }

    private static func readValues(
        _ bytes: UnsafeBufferPointer<UInt8>, _ body: (JSONValue, Int) throws(ParseError) -> Void
    ) throws(ParseError) {
        var parser = OrderedJSONParser.Parser(bytes: bytes)
        var line = 1
        var counted = 0
        var sawValue = false
        while true {
            parser.skipSpace()
            guard parser.index < bytes.count else { break }
            // Lines are counted incrementally, so the whole stream is read once.
            for index in counted..<parser.index where bytes[index] == 0x0A { line += 1 }
            counted = parser.index
            let value = try parser.value(depth: 0)
            // Only blanks may follow a value on its line.
            while let byte = parser.peek, byte == 0x20 || byte == 0x09 || byte == 0x0D { parser.index += 1 }
            if let byte = parser.peek, byte != 0x0A {
                throw parser.failure("a record must end its line, found more content after the value that starts on line \(line)")
            }
            sawValue = true
            try body(value, line)
        }
        guard sawValue else { throw ParseError(.empty, "The report is empty.") }
    }
}
