import Foundation

/// Percent-encoding rules of the `hyperlink` URL library that DefectDojo's `Endpoint` relies on,
/// reproduced so endpoint strings (and therefore hash codes) match byte for byte.
enum PercentCoding {
    // RFC 3986 character classes, as byte sets.
    static let unreserved = Set("~-._0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
    static let subDelimiters = Set("!$&'()*+,;=".utf8)
    static let userinfoSafe = unreserved.union(subDelimiters).union("%".utf8)
    static let pathSafe = userinfoSafe.union(":@".utf8)
    static let fragmentSafe = unreserved.union(pathSafe).union("/?".utf8)
    static let queryValueSafe = unreserved.union(fragmentSafe.subtracting("&".utf8))
    static let queryKeySafe = unreserved.union(queryValueSafe.subtracting("=".utf8))

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Encodes every byte of the NFC-normalised UTF-8 text that is not in `safe` as `%XX`.
    static func encode(_ text: String, keeping safe: Set<UInt8>) -> String {
        let normalized = text.precomposedStringWithCanonicalMapping
        var output: [UInt8] = []
        output.reserveCapacity(normalized.utf8.count)
        for byte in normalized.utf8 {
            if safe.contains(byte) {
                output.append(byte)
            } else {
                output.append(0x25)
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes every `%XX` escape; returns `nil` when the result is not valid UTF-8.
    static func decodeAll(_ text: String) -> String? {
        guard text.utf8.contains(0x25) else { return text }
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x25, index + 2 < bytes.count,
               let value = hexValue(bytes[index + 1], bytes[index + 2]) {
                output.append(value)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return String(validating: output, as: UTF8.self)
    }

    /// `hyperlink`'s `_decode_unreserved(normalize_case=True, encode_stray_percents=True)`:
    /// decodes escapes of unreserved characters, upper-cases other escapes and turns a stray `%`
    /// into `%25`.
    static func decodeUnreservedNormalizingCase(_ text: String) -> String {
        guard text.utf8.contains(0x25) else { return text }
        let bytes = Array(text.utf8)
        // Mirror Python's bytes.split(b"%"): the first chunk is copied, each later chunk starts
        // right after a "%".
        var chunks: [ArraySlice<UInt8>] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 0x25 {
            chunks.append(bytes[start..<index])
            start = index + 1
        }
        chunks.append(bytes[start..<bytes.count])
        var output = Array(chunks[0])
        for chunk in chunks.dropFirst() {
            let pair = chunk.prefix(2)
            let rest = chunk.dropFirst(2)
            if pair.count == 2, let value = hexValue(pair[pair.startIndex], pair[pair.startIndex + 1]),
               unreserved.contains(value) {
                output.append(value)
                output.append(contentsOf: rest)
                continue
            }
            let pairIsHex = pair.count == 2 && pair.allSatisfy(\.isASCIIHexDigit)
            if pairIsHex {
                output.append(0x25)
                output.append(contentsOf: pair.map { ($0 >= 0x61 && $0 <= 0x66) ? $0 - 0x20 : $0 })
                output.append(contentsOf: rest)
            } else {
                output.append(contentsOf: "%25".utf8)
                output.append(contentsOf: chunk)
            }
        }
        return String(validating: output, as: UTF8.self) ?? text
    }

    private static func hexValue(_ high: UInt8, _ low: UInt8) -> UInt8? {
        guard let high = nibble(high), let low = nibble(low) else { return nil }
        return high << 4 | low
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
