/// Text operations that must behave exactly like their Python counterparts, because DefectDojo
/// feeds their results into hash codes.
public enum PythonText {
    /// Python's `str.casefold()`: full Unicode case folding (`"ß"` → `"ss"`, `"ﬁ"` → `"fi"`).
    ///
    /// ASCII takes a fast path. Elsewhere the fold of a code point equals lower(upper(lower(c)))
    /// with three exceptions: dotless `ı` and the Cherokee capitals stay as they are, and the
    /// Cherokee small letters fold to their capitals (verified against CPython for every code
    /// point).
    public static func casefold(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes = Array(text.utf8)
            for index in bytes.indices where bytes[index] >= 0x41 && bytes[index] <= 0x5A {
                bytes[index] += 0x20
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if scalar.isASCII {
                result.append((0x41...0x5A).contains(value) ? Unicode.Scalar(value + 0x20)! : scalar)
            } else if value == 0x131 || (0x13A0...0x13F5).contains(value) {
                result.append(scalar)
            } else if (0xAB70...0xABBF).contains(value) {
                result.append(Unicode.Scalar(value - 0xAB70 + 0x13A0)!)
            } else if (0x13F8...0x13FD).contains(value) {
                result.append(Unicode.Scalar(value - 8)!)
            } else {
                let properties = scalar.properties
                let own = String(scalar)
                if properties.lowercaseMapping == own, properties.uppercaseMapping == own {
                    result.append(scalar)
                } else {
                    result.append(contentsOf: own.lowercased().uppercased().lowercased().unicodeScalars)
                }
            }
        }
        return String(result)
    }

    /// Python's `bytes.strip()`: removes leading and trailing ASCII whitespace bytes
    /// (space, tab, newline, carriage return, vertical tab, form feed).
    public static func stripASCIIWhitespace(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        func isSpace(_ byte: UInt8) -> Bool {
            byte == 0x20 || (0x09...0x0D).contains(byte)
        }
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return bytes[start..<end]
    }

    /// Python's `str.isspace()` for one code point: Unicode White_Space plus the ASCII
    /// information separators U+001C…U+001F, which Python also treats as whitespace.
    public static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return value == 0x20 || (0x09...0x0D).contains(value) || (0x1C...0x1F).contains(value)
        }
        return scalar.properties.isWhitespace
    }

    /// Python's `str.strip()` with no arguments (Unicode whitespace).
    public static func strip(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var start = 0
        var end = scalars.count
        while start < end, isWhitespace(scalars[start]) { start += 1 }
        while end > start, isWhitespace(scalars[end - 1]) { end -= 1 }
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }
}
