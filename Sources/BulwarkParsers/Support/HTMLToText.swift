import BulwarkCore
import Foundation

/// A port of the `html2text` library (2025.4.15, default settings) as DefectDojo's ZAP parser
/// calls it: HTML fragments become Markdown-flavoured text wrapped at 78 columns.
///
/// The port follows the library's event handlers and its `optwrap` step closely because the
/// output becomes finding descriptions, which feed DefectDojo's legacy hash code. Google-Docs
/// styling and options DefectDojo does not use are left out; named entities cover the common
/// HTML set (an unknown one is kept as written).
struct HTMLToText {
    /// Converts an HTML fragment (`html2text.html2text(html)`).
    static func convert(_ html: String) -> String {
        var converter = HTMLToTextConverter()
        for event in HTMLTokenizer.tokenize(html) { converter.handle(event) }
        return converter.finish()
    }
}

/// One event of Python's `html.parser.HTMLParser` (with `convert_charrefs=False`).
enum HTMLEvent {
    case startTag(String, [(String, String?)], selfClosing: Bool)
    case endTag(String)
    case text(String)
    case entity(String)
    case characterReference(String)
}

/// The state machine of `html2text.HTML2Text`.
struct HTMLToTextConverter {
    private struct ListLevel {
        var name: String
        var number: Int
    }

    private var output: [String] = []
    private var lastWasNewline = false
    private var quiet = 0
    private var pendingBreaks = 0
    private var atStart = true
    private var pendingSpace = false
    private var linkStack: [[String: String?]?] = []
    private var maybeAutomaticLink: String?
    private var emptyLink = false
    private var lists: [ListLevel] = []
    private var blockquote = 0
    private var inPre = false
    private var startingPre = false
    private var preIndent = ""
    private var listCodeIndent = ""
    private var inCode = false
    private var inQuote = false
    private var breakToggle = ""
    private var lastWasList = false
    private var inStyle = 0
    private var abbreviationTitle: String?
    private var abbreviationData: String?
    private var abbreviations: [(String, String)] = []
    private var stressed = false
    private var precedingStressed = false
    private var precedingData = ""
    private var currentTag = ""
    private var splitNextCell = false
    private var cellCount = 0
    private var tableStart = false

    private static let nbspPlaceholder = "&nbsp_place_holder;"

    mutating func handle(_ event: HTMLEvent) {
        switch event {
        case .startTag(let name, let attributes, let selfClosing):
            var table: [String: String?] = [:]
            for (key, value) in attributes { table[key] = value }
            handleTag(name, table, start: true)
            if selfClosing { handleTag(name, [:], start: false) }
        case .endTag(let name):
            handleTag(name, [:], start: false)
        case .text(let text):
            handleData(text)
        case .entity(let name):
            let text = HTMLEntities.html2textEntity(name, nbsp: HTMLToTextConverter.nbspPlaceholder)
            if !text.isEmpty { handleData(text, entityCharacter: true) }
        case .characterReference(let reference):
            handleData(HTMLEntities.html2textCharacterReference(reference), entityCharacter: true)
        }
    }

    mutating func finish() -> String {
        setLineBreak()
        emit("", force: .end)
        var text = output.joined()
        if text.utf8.contains(0x26), text.contains(HTMLToTextConverter.nbspPlaceholder) {
            text = text.replacingOccurrences(of: HTMLToTextConverter.nbspPlaceholder, with: " ")
        }
        return HTMLToTextConverter.optwrap(text)
    }

    // MARK: Output

    private enum Force { case none, yes, end }

    private mutating func out(_ text: String) {
        output.append(text)
        if let last = text.unicodeScalars.last { lastWasNewline = last == "\n" }
    }

    private mutating func setLineBreak() {
        if pendingBreaks == 0 { pendingBreaks = 1 }
    }

    private mutating func setParagraph() {
        pendingBreaks = 2
    }

    private mutating func softBreak() {
        setLineBreak()
        breakToggle = "  "
    }

    /// `HTML2Text.o`.
    private mutating func emit(_ text: String, pureData: Bool = false, force: Force = .none) {
        var data = text
        if abbreviationData != nil { abbreviationData! += data }
        guard quiet == 0 else { return }
        if pureData, !inPre {
            data = HTMLToTextConverter.collapseWhitespace(data)
            if data.hasPrefix(" ") {
                pendingSpace = true
                data.removeFirst()
            }
        }
        if data.isEmpty, force == .none { return }
        if startingPre, !data.hasPrefix("\n"), !data.hasPrefix("\r\n") {
            data = "\n" + data
        }
        var prefix = String(repeating: ">", count: blockquote)
        if !(force != .none && data.hasPrefix(">")), blockquote > 0 { prefix += " " }
        if inPre {
            if !lists.isEmpty { prefix += listCodeIndent }
            prefix += "    "
            data = data.replacingOccurrences(of: "\n", with: "\n" + prefix)
            preIndent = prefix
        }
        if startingPre {
            startingPre = false
            if !lists.isEmpty {
                let strip = Set(("\n" + preIndent).unicodeScalars)
                data = String(String.UnicodeScalarView(data.unicodeScalars.drop(while: strip.contains)))
            }
        }
        if atStart {
            pendingSpace = false
            pendingBreaks = 0
            atStart = false
        }
        if force == .end {
            pendingBreaks = 0
            out("\n")
            pendingSpace = false
        }
        if pendingBreaks > 0 {
            out(String(repeating: breakToggle + "\n" + prefix, count: pendingBreaks))
            pendingSpace = false
            breakToggle = ""
        }
        if pendingSpace {
            if !lastWasNewline { out(" ") }
            pendingSpace = false
        }
        if !abbreviations.isEmpty, force == .end {
            for (abbreviation, definition) in abbreviations {
                out("  *[\(abbreviation)]: \(definition)\n")
            }
        }
        pendingBreaks = 0
        out(data)
    }

    /// `re.sub(r"\s+", " ", data)` with Unicode whitespace.
    static func collapseWhitespace(_ text: String) -> String {
        // Fast path: ASCII without tabs, newlines or double spaces is already collapsed.
        var previousWasSpace = false
        var needsWork = false
        for byte in text.utf8 {
            if byte >= 0x80 || (0x09...0x0D).contains(byte) || (0x1C...0x1F).contains(byte) || (byte == 0x20 && previousWasSpace) {
                needsWork = true
                break
            }
            previousWasSpace = byte == 0x20
        }
        if !needsWork { return text }
        var result = String.UnicodeScalarView()
        var inSpace = false
        for scalar in text.unicodeScalars {
            if PythonText.isWhitespace(scalar) {
                if !inSpace { result.append(" ") }
                inSpace = true
            } else {
                result.append(scalar)
                inSpace = false
            }
        }
        return String(result)
    }

    // MARK: Data

    private mutating func handleData(_ text: String, entityCharacter: Bool = false) {
        guard !text.isEmpty else { return }
        var data = text
        if stressed {
            data = PythonText.strip(data)
            stressed = false
            precedingStressed = true
        } else if precedingStressed {
            if let first = data.unicodeScalars.first, !"][(){}.!?".unicodeScalars.contains(first),
               !PythonText.isWhitespace(first), HTMLToTextConverter.headingLevel(currentTag) == 0,
               !["a", "code", "pre"].contains(currentTag) {
                data = " " + data
            }
            precedingStressed = false
        }
        if let href = maybeAutomaticLink {
            if href == data, HTMLToTextConverter.isAbsoluteURL(href) {
                emit("<" + data + ">")
                emptyLink = false
                return
            }
            emit("[")
            maybeAutomaticLink = nil
            emptyLink = false
        }
        if !inCode, !inPre, !entityCharacter {
            data = MarkdownEscaping.escapeSection(data)
        }
        precedingData = data
        emit(data, pureData: true)
    }

    private static func isAbsoluteURL(_ text: String) -> Bool {
        // ^[a-zA-Z+]+://
        var sawScheme = false
        var rest = Substring(text)
        while let first = rest.unicodeScalars.first, first.isASCII,
              (0x41...0x5A).contains(first.value) || (0x61...0x7A).contains(first.value) || first == "+" {
            sawScheme = true
            rest = rest.dropFirst()
        }
        return sawScheme && rest.hasPrefix("://")
    }

    static func headingLevel(_ tag: String) -> Int {
        let scalars = Array(tag.unicodeScalars)
        guard scalars.count == 2, scalars[0] == "h", ("1"..."9").contains(scalars[1]) else { return 0 }
        return Int(scalars[1].value - 0x30)
    }

    // MARK: Tags

    private mutating func handleTag(_ tag: String, _ attributes: [String: String?], start: Bool) {
        currentTag = tag
        if start, maybeAutomaticLink != nil, !["p", "div", "style", "dl", "dt"].contains(tag), tag != "img" {
            emit("[")
            maybeAutomaticLink = nil
            emptyLink = false
        }
        let level = HTMLToTextConverter.headingLevel(tag)
        if level > 0 {
            if !linkStack.isEmpty {
                if start {
                    if output.last == "[" {
                        output.removeLast()
                        pendingSpace = false
                        emit(String(repeating: "#", count: level) + " ")
                        emit("[")
                    }
                } else {
                    pendingBreaks = 0
                    return
                }
            } else {
                setParagraph()
                if start {
                    emit(String(repeating: "#", count: level) + " ")
                } else {
                    return
                }
            }
        }
        if tag == "p" || tag == "div" {
            if linkStack.isEmpty, !splitNextCell { setParagraph() }
        }
        if tag == "br", start {
            emit(blockquote > 0 ? "  \n> " : "  \n")
        }
        if tag == "hr", start {
            setParagraph()
            emit("* * *")
            setParagraph()
        }
        if ["head", "style", "script"].contains(tag) {
            quiet += start ? 1 : -1
        }
        if tag == "style" { inStyle += start ? 1 : -1 }
        if tag == "body" { quiet = 0 }
        if tag == "blockquote" {
            if start {
                setParagraph()
                emit("> ", force: .yes)
                atStart = true
                blockquote += 1
            } else {
                blockquote -= 1
                setParagraph()
            }
        }
        if ["em", "i", "u"].contains(tag) {
            var mark = "_"
            if start, let last = precedingData.unicodeScalars.last,
               !" \t\n\r\u{0B}\u{0C}".unicodeScalars.contains(last), !HTMLToTextConverter.isASCIIPunctuation(last) {
                mark = " _"
                precedingData += " "
            }
            emit(mark)
            if start { stressed = true }
        }
        if tag == "strong" || tag == "b" {
            var mark = "**"
            if start, precedingData.hasSuffix("*") {
                mark = " **"
                precedingData += " "
            }
            emit(mark)
            if start { stressed = true }
        }
        if ["del", "strike", "s"].contains(tag) {
            var mark = "~~"
            if start, precedingData.hasSuffix("~") {
                mark = " ~~"
                precedingData += " "
            }
            emit(mark)
            if start { stressed = true }
        }
        if ["kbd", "code", "tt"].contains(tag), !inPre {
            emit("`")
            inCode.toggle()
        }
        if tag == "abbr" {
            if start {
                abbreviationTitle = nil
                abbreviationData = ""
                if let title = attributes["title"] { abbreviationTitle = title }
            } else {
                if let title = abbreviationTitle, let data = abbreviationData {
                    if let index = abbreviations.firstIndex(where: { $0.0 == data }) {
                        abbreviations[index].1 = title
                    } else {
                        abbreviations.append((data, title))
                    }
                    abbreviationTitle = nil
                }
                abbreviationData = nil
            }
        }
        if tag == "q" {
            emit("\"")
            inQuote.toggle()
        }
        if tag == "a" {
            handleAnchor(attributes, start: start)
        }
        if tag == "img", start {
            handleImage(attributes)
        }
        if tag == "dl", start { setParagraph() }
        if tag == "dt", !start { setLineBreak() }
        if tag == "dd", start { emit("    ") }
        if tag == "dd", !start { setLineBreak() }
        if tag == "ol" || tag == "ul" {
            if lists.isEmpty, !lastWasList { setParagraph() }
            if start {
                var number = 0
                if let startText = attributes["start"] ?? nil, let value = Int(startText.trimmingCharacters(in: .whitespaces)) {
                    number = value - 1
                }
                lists.append(ListLevel(name: tag, number: number))
            } else if !lists.isEmpty {
                lists.removeLast()
                if lists.isEmpty { emit("\n") }
            }
            lastWasList = true
        } else {
            lastWasList = false
        }
        if tag == "li" {
            listCodeIndent = ""
            setLineBreak()
            if start {
                var item = lists.last ?? ListLevel(name: "ul", number: 0)
                var parent: String?
                for list in lists {
                    listCodeIndent += parent == "ol" ? "   " : "  "
                    parent = list.name
                }
                emit(listCodeIndent)
                if item.name == "ul" {
                    listCodeIndent += "  "
                    emit("* ")
                } else if item.name == "ol" {
                    item.number += 1
                    if !lists.isEmpty { lists[lists.count - 1].number = item.number }
                    listCodeIndent += "   "
                    emit("\(item.number). ")
                }
                atStart = true
            }
        }
        if ["table", "tr", "td", "th"].contains(tag) {
            if tag == "td" || tag == "th", start {
                if splitNextCell { emit("| ") }
                splitNextCell = true
            }
            if tag == "tr", start { cellCount = 0 }
            if tag == "tr", !start {
                splitNextCell = false
                softBreak()
            }
            if tag == "tr", !start, tableStart {
                emit(Array(repeating: "---", count: cellCount).joined(separator: "|"))
                softBreak()
                tableStart = false
            }
            if tag == "td" || tag == "th", start { cellCount += 1 }
            if tag == "table", start { tableStart = true }
        }
        if tag == "pre" {
            if start {
                startingPre = true
                inPre = true
                preIndent = ""
            } else {
                inPre = false
            }
            setParagraph()
        }
    }

    private mutating func handleAnchor(_ attributes: [String: String?], start: Bool) {
        if start {
            if let href = attributes["href"] ?? nil, !href.hasPrefix("#") {
                linkStack.append(attributes)
                maybeAutomaticLink = href
                emptyLink = true
            } else {
                linkStack.append(nil)
            }
            return
        }
        guard !linkStack.isEmpty else { return }
        let anchor = linkStack.removeLast()
        if maybeAutomaticLink != nil, !emptyLink {
            maybeAutomaticLink = nil
        } else if let anchor, let href = anchor["href"] ?? nil {
            if emptyLink {
                emit("[")
                emptyLink = false
                maybeAutomaticLink = nil
            }
            pendingBreaks = 0
            let title = MarkdownEscaping.escapeInline((anchor["title"] ?? nil) ?? "")
            let titlePart = PythonText.strip(title).isEmpty ? "" : " \"\(title)\""
            emit("](\(MarkdownEscaping.escapeInline(href))\(titlePart))")
        }
    }

    private mutating func handleImage(_ attributes: [String: String?]) {
        guard let source = attributes["src"] ?? nil else { return }
        let alt = (attributes["alt"] ?? nil).flatMap { $0.isEmpty ? nil : $0 } ?? ""
        if maybeAutomaticLink != nil {
            emit("[")
            maybeAutomaticLink = nil
            emptyLink = false
        }
        emit("![" + MarkdownEscaping.escapeInline(alt) + "]")
        emit("(" + MarkdownEscaping.escapeInline(source) + ")")
    }

    private static func isASCIIPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars.contains(scalar)
    }

    // MARK: Wrapping

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
    private static func containsTableSeparator(_ text: String) -> Bool {
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in text.utf8 {
            if previous == (0x20, 0x7C), byte == 0x20 { return true }
            previous = (previous.1, byte)
        }
        return false
    }

    /// `RE_SPACE.match(para)`: whitespace followed by a literal `+`.
    private static func startsWithSpacePlus(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars.prefix(2))
        return scalars.count == 2 && PythonText.isWhitespace(scalars[0]) && scalars[1] == "+"
    }

    /// `html2text.utils.skipwrap` with wrap_links on and list items and tables unwrapped.
    private static func skipsWrapping(_ paragraph: String) -> Bool {
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
