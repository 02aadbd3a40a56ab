import Foundation

/// Refuses XML reports whose document type declaration declares entities, before any XML parser
/// sees them — the rule of Python's defusedxml, which DefectDojo's XML parsers use.
///
/// FoundationXML on Linux neither reports entity declarations to its delegate nor lets a caller
/// turn entity substitution off, so the prolog (everything before the root element) is scanned
/// here: an `<!ENTITY` inside `<!DOCTYPE … [ … ]>` (general or parameter entity, internal or
/// external) is a ``ParseError``. A DOCTYPE without entities is accepted; its external DTD is
/// never fetched (`shouldResolveExternalEntities` stays off).
enum XMLEntityGuard {
    /// How much of the report's start is scanned; a prolog longer than this is refused.
    static let prologLimit = 1 << 20

    /// Throws when the prolog declares an entity or is longer than ``prologLimit``.
    static func check(_ input: ScanInput) throws(ParseError) {
        // Most prologs are a few hundred bytes: scan a small head first, widening it only while
        // the prolog goes on.
        var window = 512
        while true {
            let head = try input.prefix(window)
            var scanner = Scanner(bytes: bytes(of: head))
            switch scanner.scanProlog() {
            case .clean:
                return
            case .entity(let offset):
                throw ParseError(
                    .unsupportedFormat,
                    "The report declares an XML entity (<!ENTITY …>); entity declarations are refused because they can read local files or expand without bound.",
                    position: .text(line: scanner.line(at: offset), column: scanner.column(at: offset)))
            case .unfinished where head.count < window:
                // The document ends inside its prolog: the XML parser reports that as malformed.
                return
            case .unfinished where window >= prologLimit:
                throw ParseError(
                    .unsupportedFormat,
                    "The report's XML prolog (declarations before the root element) is longer than \(prologLimit) bytes.")
            case .unfinished:
                window = min(window * 8, prologLimit)
            }
        }
    }

    /// The bytes to scan. NUL is not allowed in XML text, and dropping it turns UTF-16/32 markup
    /// into ASCII; it is only searched for when the head suggests such an encoding.
    private static func bytes(of head: Data) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: head.count)
        head.copyBytes(to: &bytes, count: head.count)
        if bytes.prefix(4).contains(0) || bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) {
            bytes.removeAll { $0 == 0 }
        }
        return bytes
    }

    private enum Outcome {
        case clean
        case entity(offset: Int)
        case unfinished
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) {
            self.bytes = bytes
            // Byte-order marks: UTF-8, and UTF-16/32 ones once their NULs are dropped.
            while index < bytes.count, [0xEF, 0xBB, 0xBF, 0xFE, 0xFF].contains(bytes[index]) { index += 1 }
        }

        mutating func scanProlog() -> Outcome {
            while true {
                skipWhitespace()
                guard index < bytes.count else { return .unfinished }
                if starts(with: "<?") {
                    guard skip(past: "?>") else { return .unfinished }
                } else if starts(with: "<!--") {
                    guard skip(past: "-->") else { return .unfinished }
                } else if starts(with: "<!DOCTYPE") {
                    index += 9
                    if let outcome = scanDoctype() { return outcome }
                } else {
                    // The root element (or content the XML parser will reject).
                    return .clean
                }
            }
        }

        /// Scans to the end of the DOCTYPE; returns an outcome only when it is not clean.
        private mutating func scanDoctype() -> Outcome? {
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    guard skipQuoted() else { return .unfinished }
                case UInt8(ascii: "["):
                    index += 1
                    if let outcome = scanInternalSubset() { return outcome }
                case UInt8(ascii: ">"):
                    index += 1
                    return nil
                default:
                    index += 1
                }
            }
            return .unfinished
        }

        private mutating func scanInternalSubset() -> Outcome? {
            while index < bytes.count {
                if starts(with: "<!--") {
                    guard skip(past: "-->") else { return .unfinished }
                    continue
                }
                if starts(with: "<!ENTITY") { return .entity(offset: index) }
                switch bytes[index] {
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    guard skipQuoted() else { return .unfinished }
                case UInt8(ascii: "]"):
                    index += 1
                    return nil
                default:
                    index += 1
                }
            }
            return .unfinished
        }

        private mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        private func starts(with text: String) -> Bool {
            let pattern = text.utf8
            guard bytes.count - index >= pattern.count else { return false }
            return zip(bytes[index...], pattern).allSatisfy { $0 == $1 }
        }

        /// Moves past the next occurrence of `text`; `false` when it does not occur.
        private mutating func skip(past text: String) -> Bool {
            while index < bytes.count {
                if starts(with: text) {
                    index += text.utf8.count
                    return true
                }
                index += 1
            }
            return false
        }

        private mutating func skipQuoted() -> Bool {
            let quote = bytes[index]
            index += 1
            while index < bytes.count {
                if bytes[index] == quote {
                    index += 1
                    return true
                }
                index += 1
            }
            return false
        }

        func line(at offset: Int) -> Int {
            1 + bytes[..<min(offset, bytes.count)].lazy.filter { $0 == 0x0A }.count
        }

        func column(at offset: Int) -> Int {
            let end = min(offset, bytes.count)
            let lineStart = bytes[..<end].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            return end - lineStart + 1
        }
    }
}
