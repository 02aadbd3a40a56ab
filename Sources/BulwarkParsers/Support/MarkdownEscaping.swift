import BulwarkCore

/// `html2text`'s Markdown escaping helpers.
enum MarkdownEscaping {
    /// `escape_md`: backslash before `\ [ ] ( )`.
    static func escapeInline(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if "\\[]()".unicodeScalars.contains(scalar) { result.append("\\") }
            result.append(scalar)
        }
        return String(result)
    }

    /// `escape_md_section` without snob mode: doubles backslashes that precede Markdown
    /// characters and escapes `1.`, `+` and `-` at line starts.
    static func escapeSection(_ text: String) -> String {
        // Fast path: nothing to escape without a backslash, and the line-start patterns need a
        // digit, "+" or "-" after optional whitespace at the start or after a newline.
        if !text.utf8.contains(0x5C) {
            var atLineStart = true
            var candidate = false
            for byte in text.utf8 {
                if atLineStart {
                    if byte == 0x20 || (0x09...0x0D).contains(byte) || (0x1C...0x1F).contains(byte) { continue }
                    if byte >= 0x80 || byte == 0x2B || byte == 0x2D || (0x30...0x39).contains(byte) {
                        candidate = true
                        break
                    }
                    atLineStart = false
                }
                if byte == 0x0A { atLineStart = true }
            }
            if !candidate { return text }
        }
        let special = Set("\\`*_{}[]()#+-.!".unicodeScalars)
        var scalars = Array(text.unicodeScalars)
        var doubled: [Unicode.Scalar] = []
        doubled.reserveCapacity(scalars.count)
        for (index, scalar) in scalars.enumerated() {
            if scalar == "\\", index + 1 < scalars.count, special.contains(scalars[index + 1]) {
                doubled.append("\\")
            }
            doubled.append(scalar)
        }
        scalars = doubled
        scalars = escapeAtLineStarts(scalars) { scalars, start in
            // ^(\s*\d+)(\.)(?=\s)
            var index = start
            while index < scalars.count, PythonText.isWhitespace(scalars[index]) { index += 1 }
            let digits = index
            while index < scalars.count, scalars[index].properties.generalCategory == .decimalNumber { index += 1 }
            guard index > digits, index + 1 < scalars.count, scalars[index] == ".",
                  PythonText.isWhitespace(scalars[index + 1]) else { return nil }
            return index
        }
        scalars = escapeAtLineStarts(scalars) { scalars, start in
            // ^(\s*)(\+)(?=\s)
            var index = start
            while index < scalars.count, PythonText.isWhitespace(scalars[index]) { index += 1 }
            guard index + 1 < scalars.count, scalars[index] == "+", PythonText.isWhitespace(scalars[index + 1]) else { return nil }
            return index
        }
        scalars = escapeAtLineStarts(scalars) { scalars, start in
            // ^(\s*)(-)(?=\s|\-)
            var index = start
            while index < scalars.count, PythonText.isWhitespace(scalars[index]) { index += 1 }
            guard index + 1 < scalars.count, scalars[index] == "-",
                  PythonText.isWhitespace(scalars[index + 1]) || scalars[index + 1] == "-" else { return nil }
            return index
        }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Applies a `^…` MULTILINE pattern left to right: `match` returns the index of the
    /// character to escape, or `nil`; matches do not overlap.
    private static func escapeAtLineStarts(
        _ scalars: [Unicode.Scalar], _ match: ([Unicode.Scalar], Int) -> Int?
    ) -> [Unicode.Scalar] {
        var insertions: [Int] = []
        var resumeAt = 0
        var lineStart = 0
        while lineStart <= scalars.count {
            if lineStart >= resumeAt, let target = match(scalars, lineStart) {
                insertions.append(target)
                resumeAt = target + 1
            }
            guard let next = scalars[min(lineStart, scalars.count)...].firstIndex(of: "\n") else { break }
            lineStart = next + 1
        }
        guard !insertions.isEmpty else { return scalars }
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count + insertions.count)
        var next = 0
        for (index, scalar) in scalars.enumerated() {
            if next < insertions.count, insertions[next] == index {
                result.append("\\")
                next += 1
            }
            result.append(scalar)
        }
        return result
    }
}
