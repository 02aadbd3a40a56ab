/// A streaming multipart/form-data parser (RFC 7578 / RFC 2046 §5.1).
///
/// Feed it the body chunk by chunk with ``feed(_:)`` and call ``finish()`` at the end. It reports
/// each part's headers, its body in pieces (a part's body is never held whole, so large uploads
/// stream to disk) and the part's end. Every malformed input is a thrown
/// ``MultipartStreamParser/Malformed``, never a trap: the body comes from untrusted clients.
final class MultipartStreamParser {
    /// Why a body is not valid multipart; the text is shown to the client.
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    private enum Stage {
        case preamble, afterDelimiter, headers, body, epilogue
    }

    /// The longest header block accepted for one part.
    static let maxHeaderBytes = 16 * 1024

    /// `CRLF--boundary`: what ends a part's body.
    private let delimiter: [UInt8]
    private var stage = Stage.preamble
    /// Bytes received, from `consumed` on not yet parsed. Starts with CRLF so that a body opening
    /// with the first `--boundary` matches the same delimiter as every later one.
    private var pending: [UInt8] = [13, 10]
    /// How many leading bytes of `pending` are parsed. Parsing only moves this index; the bytes go
    /// once per ``feed(_:)``, so a body of many tiny parts costs linear time, not quadratic.
    private var consumed = 0

    var onHeaders: ([(name: String, value: String)]) -> Void = { _ in }
    var onBody: (ArraySlice<UInt8>) -> Void = { _ in }
    var onPartComplete: () -> Void = {}

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    /// Parses as much of the body as the bytes so far allow.
    func feed<Bytes: Sequence>(_ bytes: Bytes) throws where Bytes.Element == UInt8 {
        pending.append(contentsOf: bytes)
        defer {
            pending.removeFirst(consumed)
            consumed = 0
        }
        while try step() {}
    }

    /// Checks that the body ended with the closing delimiter.
    func finish() throws {
        while try step() {}
        guard stage == .epilogue else { throw Malformed(description: "the body ends before the closing boundary") }
    }

    /// Advances one stage; false when more bytes are needed.
    private func step() throws -> Bool {
        switch stage {
        case .preamble:
            guard let index = find(delimiter) else {
                consumed = max(consumed, pending.count - (delimiter.count - 1))
                return false
            }
            consumed = index + delimiter.count
            stage = .afterDelimiter
            return true
        case .afterDelimiter:
            // `--` closes the body; otherwise optional spaces or tabs, then CRLF, then headers.
            while consumed < pending.count, pending[consumed] == 32 || pending[consumed] == 9 { consumed += 1 }
            guard pending.count - consumed >= 2 else { return false }
            if pending[consumed] == 45, pending[consumed + 1] == 45 {
                stage = .epilogue
            } else if pending[consumed] == 13, pending[consumed + 1] == 10 {
                consumed += 2
                stage = .headers
            } else {
                throw Malformed(description: "unexpected bytes after a boundary")
            }
            return true
        case .headers:
            let end: Int
            let block: ArraySlice<UInt8>
            if pending[consumed...].starts(with: [13, 10]) {
                end = consumed + 2
                block = []
            } else if let index = find([13, 10, 13, 10]) {
                end = index + 4
                block = pending[consumed..<index]
            } else {
                if pending.count - consumed > Self.maxHeaderBytes { throw Malformed(description: "part headers are too long") }
                return false
            }
            guard block.count <= Self.maxHeaderBytes else { throw Malformed(description: "part headers are too long") }
            let headers = try Self.headers(block)
            consumed = end
            stage = .body
            onHeaders(headers)
            return true
        case .body:
            if let index = find(delimiter) {
                if index > consumed { onBody(pending[consumed..<index]) }
                consumed = index + delimiter.count
                onPartComplete()
                stage = .afterDelimiter
                return true
            }
            // Keep only a tail that could still be the start of the delimiter.
            let safe = pending.count - (delimiter.count - 1)
            if safe > consumed {
                onBody(pending[consumed..<safe])
                consumed = safe
            }
            return false
        case .epilogue:
            consumed = pending.count
            return false
        }
    }

    /// The first index of `needle` in the unparsed bytes of `pending`.
    private func find(_ needle: [UInt8]) -> Int? {
        guard let first = needle.first, pending.count - consumed >= needle.count else { return nil }
        var start = consumed
        let last = pending.count - needle.count
        while start <= last {
            guard let candidate = pending[start...last].firstIndex(of: first) else { return nil }
            if pending[candidate..<(candidate + needle.count)].elementsEqual(needle) { return candidate }
            start = candidate + 1
        }
        return nil
    }

    /// `Name: value` lines; names must be HTTP tokens.
    private static func headers(_ block: ArraySlice<UInt8>) throws -> [(name: String, value: String)] {
        var out: [(name: String, value: String)] = []
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = block.startIndex
        var index = block.startIndex
        while index < block.endIndex {
            if block[index] == 13, index + 1 < block.endIndex, block[index + 1] == 10 {
                lines.append(block[lineStart..<index])
                index += 2
                lineStart = index
            } else {
                index += 1
            }
        }
        lines.append(block[lineStart..<block.endIndex])
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: 58), colon > line.startIndex else { throw Malformed(description: "a part header has no name") }
            let name = line[line.startIndex..<colon]
            guard name.allSatisfy(isTokenByte) else { throw Malformed(description: "a part header name has invalid characters") }
            let value = line[(colon + 1)...].drop { $0 == 32 || $0 == 9 }
            out.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
        }
        return out
    }

    /// RFC 7230 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        default: return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
