/// Python `str` operations that work on code points, as Python does.
///
/// Swift compares `Character`s (grapheme clusters), so `"a\r\n".hasSuffix("\n")` is false and
/// `"a\r\nb".split(separator: "\n")` does not split. DefectDojo's parsers split and trim on
/// `"\n"` alone; these helpers give the same results for reports with CRLF line endings.
enum PythonString {
    /// `text.split(separator)` for a non-empty separator: every piece, empty ones included.
    static func split(_ text: String, _ separator: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        let needle = Array(separator.unicodeScalars)
        guard !needle.isEmpty, scalars.count >= needle.count else { return [text] }
        var pieces: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if scalars[index] == needle[0], index + needle.count <= scalars.count,
               scalars[index..<(index + needle.count)].elementsEqual(needle) {
                pieces.append(String(current))
                current = String.UnicodeScalarView()
                index += needle.count
            } else {
                current.append(scalars[index])
                index += 1
            }
        }
        pieces.append(String(current))
        return pieces
    }

    /// `text.endswith(suffix)` by code points.
    static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        text.unicodeScalars.reversed().starts(with: suffix.unicodeScalars.reversed())
    }

    /// `text.removesuffix(suffix)`.
    static func removingSuffix(_ text: String, _ suffix: String) -> String {
        guard !suffix.isEmpty, hasSuffix(text, suffix) else { return text }
        var scalars = text.unicodeScalars
        scalars.removeLast(suffix.unicodeScalars.count)
        return String(scalars)
    }

    /// `text.rstrip(characters)`: drops trailing code points found in `characters`.
    static func rstrip(_ text: String, _ characters: Set<Unicode.Scalar>) -> String {
        var scalars = text.unicodeScalars
        while let last = scalars.last, characters.contains(last) { scalars.removeLast() }
        return String(scalars)
    }

    /// `text.lstrip(characters)`: drops leading code points found in `characters`.
    static func lstrip(_ text: String, _ characters: Set<Unicode.Scalar>) -> String {
        String(text.unicodeScalars.drop { characters.contains($0) })
    }

    /// `separator in text` by code points.
    static func contains(_ text: String, _ separator: String) -> Bool {
        split(text, separator).count > 1
    }

    /// `text.replace(target, replacement)`; an empty target inserts the replacement around
    /// every code point, as Python does.
    static func replace(_ text: String, _ target: String, _ replacement: String) -> String {
        guard !target.isEmpty else {
            var result = replacement
            for scalar in text.unicodeScalars {
                result.unicodeScalars.append(scalar)
                result += replacement
            }
            return result
        }
        return split(text, target).joined(separator: replacement)
    }
}
