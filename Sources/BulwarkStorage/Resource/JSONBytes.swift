import Foundation

/// Appends JSON text for scalar values straight to a UTF-8 byte array, without intermediate
/// strings: the primitives behind ``JSONValue/write(into:)`` and the list renderer.
public enum JSONBytes {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `null`.
    @inline(__always)
    public static func appendNull(_ out: inout [UInt8]) {
        out.append(contentsOf: "null".utf8)
    }

    /// `true` or `false`.
    @inline(__always)
    public static func appendBool(_ value: Bool, to out: inout [UInt8]) {
        if value { out.append(contentsOf: "true".utf8) } else { out.append(contentsOf: "false".utf8) }
    }

    /// Decimal digits of an integer (with a leading `-` when negative).
    public static func appendInt(_ value: Int, to out: inout [UInt8]) {
        if value >= 0 && value < 10 { out.append(UInt8(ascii: "0") &+ UInt8(value)); return }
        if value < 0 { out.append(UInt8(ascii: "-")) }
        // Digits of the magnitude, built backwards; UInt holds |Int.min|.
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var count = 0
            repeat {
                digits[19 - count] = UInt8(ascii: "0") &+ UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[(20 - count)...]))
        }
    }

    /// Decimal digits of an integer, left-padded with zeros to `width` characters (as `DateFormatting.pad`).
    public static func appendPadded(_ value: Int, width: Int, to out: inout [UInt8]) {
        var length = value < 0 ? 2 : 1
        var rest = value.magnitude / 10
        while rest > 0 { length += 1; rest /= 10 }
        var zeros = width - length
        while zeros > 0 { out.append(UInt8(ascii: "0")); zeros -= 1 }
        appendInt(value, to: &out)
    }

    /// A double as Python's `repr` writes finite values ("7.5", "10.0"); `null` for NaN and infinities.
    public static func appendDouble(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else { appendNull(&out); return }
        // Swift's shortest round-trip form matches Python's repr for finite doubles.
        out.append(contentsOf: value.description.utf8)
    }

    /// A JSON string literal: quotes, and escapes for `"`, `\` and control characters.
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        var text = s
        text.withUTF8 { appendString(utf8: $0, to: &out) }
    }

    /// A JSON string literal of UTF-8 text given as bytes (see ``appendString(_:to:)``).
    public static func appendString(utf8 bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        appendEscaped(bytes, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Escaped UTF-8 text (without the surrounding quotes).
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        // Most strings need no escaping: copy runs of plain bytes at once.
        var runStart = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if runStart < index { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
            runStart = index + 1
            switch byte {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(byte)
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(byte)
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            default:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0xF)])
            }
        }
        if runStart < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count])) }
    }

    /// The pre-encoded `"key":` prefix of an object member.
    public static func keyPrefix(_ key: String) -> [UInt8] {
        var out: [UInt8] = []
        appendString(key, to: &out)
        out.append(UInt8(ascii: ":"))
        return out
    }
}
