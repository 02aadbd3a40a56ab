import BulwarkCore

/// Text extraction from the HTML of a Burp Suite DAST issue, as DefectDojo's parser does it with
/// lxml (`_get_content`, `_format_bulleted_lists`).
enum BurpSuiteDASTContent {
    /// The text of the `<div>` after an `<h3>` heading.
    ///
    /// A `div` with text of its own gives all its text, trimmed, with `Snip` markers spelled out,
    /// tabs removed and runs of spaces collapsed. Otherwise each child contributes: `a` →
    /// `[text](href)`, `p` → its text on one line, `b` → `**text**`, `li` → `- text`, `div`/`span` →
    /// its text on one line; children with no text of their own are read the same way, other
    /// elements with text are skipped. Every contribution has its whitespace runs collapsed.
    static func text(of container: HTMLElement) -> String {
        if container.name == "div", let own = container.text, !own.isEmpty, !isBlank(own) {
            let joined = PythonLiteral.stripped(container.textContent)
            let marked = PythonString.replace(joined, "Snip", "\n<-------------- Snip -------------->")
            return collapsingSpacesAndTabs(PythonString.replace(marked, "\t", ""))
        }
        var result = ""
        for child in container.children {
            guard let own = child.text, !isBlank(own) else {
                result += text(of: child)
                continue
            }
            let stripped = PythonLiteral.stripped(own)
            let value: String
            switch child.name {
            case "a": value = "[" + stripped + "](" + (child.attribute("href") ?? "") + ")\n"
            case "p": value = PythonString.replace(PythonLiteral.stripped(child.textContent), "\n", "")
            case "b": value = "**" + stripped + "**"
            case "li": value = "- " + stripped + "\n"
            case "div", "span": value = PythonString.replace(PythonLiteral.stripped(child.textContent), "\n", "") + "\n"
            default: continue
            }
            result += collapsingWhitespace(value)
        }
        return result
    }

    /// The links of `ul/li/a` as `- [text](href)` lines, and the link texts.
    static func bulletedLinks(of container: HTMLElement) -> (formatted: String, texts: [String]) {
        var formatted = ""
        var texts: [String] = []
        for list in container.children(named: "ul") {
            for item in list.children(named: "li") {
                for link in item.children(named: "a") {
                    let content = collapsingWhitespace(PythonLiteral.stripped(link.text ?? ""))
                    formatted += "- [\(content)](\(link.attribute("href") ?? ""))\n"
                    texts.append(content)
                }
            }
        }
        return (formatted, texts)
    }

    /// Python's `str.strip() == ""` for a non-empty text (`isspace`).
    static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy(PythonText.isWhitespace)
    }

    /// `re.sub(r"\s+", " ", text)` (Unicode whitespace).
    static func collapsingWhitespace(_ text: String) -> String {
        collapsing(text, where: PythonText.isWhitespace)
    }

    /// `re.sub(r"[ \t]+", " ", text)`.
    static func collapsingSpacesAndTabs(_ text: String) -> String {
        collapsing(text) { $0 == " " || $0 == "\t" }
    }

    private static func collapsing(_ text: String, where isSpace: (Unicode.Scalar) -> Bool) -> String {
        var result = String.UnicodeScalarView()
        var inRun = false
        for scalar in text.unicodeScalars {
            if isSpace(scalar) {
                if !inRun { result.append(" ") }
                inRun = true
            } else {
                result.append(scalar)
                inRun = false
            }
        }
        return String(result)
    }

    /// The number of the first `CWE-<digits>` (any case) in the text; `nil` when there is none,
    /// the digits are missing or they do not fit an `Int`.
    static func cwe(in text: String) -> Int? {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index + 4 <= scalars.count {
            if String(String.UnicodeScalarView(scalars[index..<(index + 4)])).uppercased() == "CWE-" {
                var end = index + 4
                while end < scalars.count, ("0"..."9").contains(scalars[end]) { end += 1 }
                return Int(String(String.UnicodeScalarView(scalars[(index + 4)..<end])))
            }
            index += 1
        }
        return nil
    }
}
