import BulwarkCore
import Foundation

/// Splits a JSON Lines report into its lines and parses the ones a parser keeps, with errors
/// pointing at the report's own line numbers.
///
/// Used by the Trufflehog and Yarn Audit parsers (a shared JSON Lines reader may replace it).
enum JSONLineRecords {
    /// One line of the report.
    struct Line {
        /// 1-based line number in the report.
        let number: Int
        /// The line's bytes, without its terminator.
        let bytes: Data

        /// Whether the line holds only ASCII whitespace.
        var isBlank: Bool { bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0B || $0 == 0x0C } }

        /// Whether the line contains `byte`.
        func contains(_ byte: UInt8) -> Bool { bytes.contains(byte) }

        /// Parses the line as one JSON document, keeping member order.
        /// - Throws: ``ParseError`` positioned at this line of the report.
        func json() throws(ParseError) -> JSONValue {
            do throws(ParseError) {
                return try OrderedJSONParser.parse(bytes)
            } catch {
                var moved = error
                if case .text(_, let column) = error.position {
                    moved.position = .text(line: number, column: column)
                } else {
                    moved.position = .text(line: number, column: 1)
                }
                if error.code == .empty {
                    moved = ParseError(.malformedInput, "Line \(number) is not a JSON document.", position: moved.position)
                }
                throw moved
            }
        }
    }

    /// The lines of `data` (a leading UTF-8 byte order mark is skipped).
    ///
    /// - Parameter carriageReturnEndsLine: `true` to split like Python's `bytes.splitlines()`
    ///   (`\n`, `\r\n` and a lone `\r`); `false` to split at `\n` only, like `str.split("\n")`.
    static func lines(of data: Data, carriageReturnEndsLine: Bool) -> [Line] {
        var lines: [Line] = []
        var start = data.startIndex
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { start += 3 }
        var index = start
        var number = 1
        while index < data.endIndex {
            let byte = data[index]
            if byte == 0x0A || (carriageReturnEndsLine && byte == 0x0D) {
                lines.append(Line(number: number, bytes: Data(data[start..<index])))
                number += 1
                if byte == 0x0D, index + 1 < data.endIndex, data[index + 1] == 0x0A { index += 1 }
                start = index + 1
            }
            index += 1
        }
        if start < data.endIndex || !carriageReturnEndsLine {
            lines.append(Line(number: number, bytes: Data(data[min(start, data.endIndex)..<data.endIndex])))
        }
        return lines
    }
}
