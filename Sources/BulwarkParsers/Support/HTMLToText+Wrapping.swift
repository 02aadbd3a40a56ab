import BulwarkCore

// `HTML2Text.optwrap` and `html2text.utils.skipwrap`.
extension HTMLToTextConverter {
    /// `HTML2Text.optwrap` with `body_width=78`.
    static func optwrap(_ text: String) -> String {
        var result = ""
        var newlines = 0
        for paragraph in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map({ String(Substring($0)) }) {
            if !paragraph.isEmpty {
                if !skipsWrapping(paragraph) {
                    var indent = ""
                    if paragraph.hasPrefix("  *") {
                        indent = "    "
                    } else if paragraph.hasPrefix("> ") {
                        indent = "> "
                    }
                    var wrapper = PythonTextWrapper(width: 78)
                    wrapper.breakLongWords = false
                    wrapper.subsequentIndent = indent
                    result += wrapper.wrap(paragraph).joined(separator: "\n")
                    if paragraph.hasSuffix("  ") {
                        result += "  \n"
                        newlines = 1
                    } else if !indent.isEmpty {
                        result += "\n"
                        newlines = 1
                    } else {
                        result += "\n\n"
                        newlines = 2
                    }
                } else if !startsWithSpacePlus(paragraph) {
                    result += paragraph + "\n"
                    newlines = 1
                }
            } else if newlines < 2 {
                result += "\n"
                newlines += 1
            }
        }
        return result
    }

    /// `RE_TABLE.search(para)`: `" | "` anywhere.
    static func containsTableSeparator(_ text: String) -> Bool {
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in text.utf8 {
            if previous == (0x20, 0x7C), byte == 0x20 { return true }
            previous = (previous.1, byte)
        }
        return false
    }

    /// `RE_SPACE.match(para)`: whitespace followed by a literal `+`.
    static func startsWithSpacePlus(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars.prefix(2))
        return scalars.count == 2 && PythonText.isWhitespace(scalars[0]) && scalars[1] == "+"
    }

    /// `html2text.utils.skipwrap` with wrap_links on and list items and tables unwrapped.
    static func skipsWrapping(_ paragraph: String) -> Bool {
        if paragraph.hasPrefix("    ") || paragraph.hasPrefix("\t") { return true }
        let stripped = Array(paragraph.unicodeScalars.drop(while: PythonText.isWhitespace))
        if stripped.count > 2, stripped[0] == "-", stripped[1] == "-", stripped[2] != "-" { return false }
        if let first = stripped.first, first == "-" || first == "*", !(stripped.count >= 2 && stripped[0] == "*" && stripped[1] == "*") {
            return true
        }
        if containsTableSeparator(paragraph) { return true }
        // RE_ORDERED_LIST_MATCHER (\d+\.\s) or RE_UNORDERED_LIST_MATCHER ([-*+]\s) at the start.
        var index = 0
        while index < stripped.count, stripped[index].properties.generalCategory == .decimalNumber { index += 1 }
        if index > 0, index + 1 < stripped.count, stripped[index] == ".", PythonText.isWhitespace(stripped[index + 1]) {
            return true
        }
        if stripped.count >= 2, "-*+".unicodeScalars.contains(stripped[0]), PythonText.isWhitespace(stripped[1]) {
            return true
        }
        return false
    }
}
