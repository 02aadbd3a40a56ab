import BulwarkCore
import Foundation

/// Streaming UTF-8 validation, used before XML parsing: FoundationXML traps (crashes the
/// process) on comments that are not valid UTF-8, so such input must be refused first.
enum UTF8Validation {
    /// Checks an XML report that is (or claims to be) UTF-8. Reports in another declared
    /// encoding, or with a UTF-16/32 byte-order mark, are left to the XML parser, which
    /// converts them to valid UTF-8 itself.
    /// - Throws: ``ParseError/Code/malformedInput`` naming the line and column of the first bad byte.
    static func checkXML(_ input: ScanInput) throws(ParseError) {
        let head = try input.prefix(256)
        if head.starts(with: [0xFE, 0xFF]) || head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
            return
        }
        if let declared = declaredEncoding(in: head), !["utf-8", "utf8"].contains(declared.lowercased()) {
            return
        }
        var validator = Validator()
        switch input.source {
        case .data(let data):
            try validator.feed(data)
        case .file(let url):
            guard let handle = try? FileHandle(forReadingFrom: url) else {
                throw ParseError(.unreadableInput, "The report file could not be opened.")
            }
            defer { try? handle.close() }
            while true {
                let chunk: Data
                do {
                    chunk = try handle.read(upToCount: 1 << 20) ?? Data()
                } catch {
                    throw ParseError(.unreadableInput, "The report file could not be read.", cause: error)
                }
                if chunk.isEmpty { break }
                try validator.feed(chunk)
            }
        }
        try validator.finish()
    }

    /// The `encoding` of an `<?xml …?>` declaration at the very start, if any.
    static func declaredEncoding(in head: Data) -> String? {
        let text = String(decoding: head, as: UTF8.self)
        guard text.hasPrefix("<?xml"), let end = text.range(of: "?>") else { return nil }
        let declaration = text[..<end.lowerBound]
        guard let key = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[key.upperBound...].drop { $0 == " " || $0 == "=" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        return String(rest.dropFirst().prefix { $0 != quote })
    }

    /// A UTF-8 validator that can be fed in chunks and knows where it is in the text.
    struct Validator {
        private var pending = 0
        private var lowerBound: UInt8 = 0x80
        private var upperBound: UInt8 = 0xBF
        private var line = 1
        /// Column of the next character (1-based).
        private var column = 1
        /// Column and offset where the current multi-byte character started.
        private var sequenceColumn = 1
        private var sequenceOffset = 0
        private var offset = 0

        mutating func feed(_ data: Data) throws(ParseError) {
            // Over the raw bytes: Data's iterator costs more than the check itself.
            let valid = data.withUnsafeBytes { buffer in
                for byte in buffer where !accept(byte) { return false }
                return true
            }
            if !valid { throw failure() }
        }

        /// Advances over one byte; `false` when it cannot continue valid UTF-8.
        private mutating func accept(_ byte: UInt8) -> Bool {
            if pending > 0 {
                guard byte >= lowerBound, byte <= upperBound else { return false }
                lowerBound = 0x80
                upperBound = 0xBF
                pending -= 1
            } else {
                sequenceColumn = column
                sequenceOffset = offset
                switch byte {
                case 0x00...0x7F: break
                case 0xC2...0xDF: pending = 1
                case 0xE0: pending = 2; lowerBound = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: pending = 2
                case 0xED: pending = 2; upperBound = 0x9F
                case 0xF0: pending = 3; lowerBound = 0x90
                case 0xF1...0xF3: pending = 3
                case 0xF4: pending = 3; upperBound = 0x8F
                default: return false
                }
                if byte == 0x0A {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            }
            offset += 1
            return true
        }

        func finish() throws(ParseError) {
            if pending > 0 { throw failure() }
        }

        /// Points at the character that is broken (the start of an unfinished sequence).
        private func failure() -> ParseError {
            ParseError(
                .malformedInput, "The report is not valid UTF-8 text (byte \(sequenceOffset)).",
                position: .text(line: line, column: pending > 0 ? sequenceColumn : column))
        }
    }
}
