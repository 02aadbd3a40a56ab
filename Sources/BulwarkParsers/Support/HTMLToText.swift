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

    /// Converts an HTML fragment without wrapping lines (`HTML2Text()` with `body_width = 0`,
    /// as DefectDojo's Burp parser configures it).
    static func convertUnwrapped(_ html: String) -> String {
        var converter = HTMLToTextConverter()
        converter.wrapsLines = false
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
    struct ListLevel {
        var name: String
        var number: Int
    }

    var output: [String] = []
    var lastWasNewline = false
    var quiet = 0
    var pendingBreaks = 0
    var atStart = true
    var pendingSpace = false
    var linkStack: [[String: String?]?] = []
    var maybeAutomaticLink: String?
    var emptyLink = false
    var lists: [ListLevel] = []
    var blockquote = 0
    var inPre = false
    var startingPre = false
    var preIndent = ""
    var listCodeIndent = ""
    var inCode = false
    var inQuote = false
    var breakToggle = ""
    var lastWasList = false
    var abbreviationTitle: String?
    var abbreviationData: String?
    var abbreviations: [(String, String)] = []
    var stressed = false
    var precedingStressed = false
    var precedingData = ""
    /// `body_width != 0`: paragraphs are wrapped at 78 columns by ``optwrap(_:)``.
    var wrapsLines = true
    var currentTag = ""
    var splitNextCell = false
    var cellCount = 0
    var tableStart = false

    static let nbspPlaceholder = "&nbsp_place_holder;"

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
        return wrapsLines ? HTMLToTextConverter.optwrap(text) : text
    }

    // MARK: Output

    enum Force { case none, yes, end }

    mutating func out(_ text: String) {
        output.append(text)
        if let last = text.unicodeScalars.last { lastWasNewline = last == "\n" }
    }

    mutating func setLineBreak() {
        if pendingBreaks == 0 { pendingBreaks = 1 }
    }

    mutating func setParagraph() {
        pendingBreaks = 2
    }

    mutating func softBreak() {
        setLineBreak()
        breakToggle = "  "
    }

    /// `HTML2Text.o`.
    mutating func emit(_ text: String, pureData: Bool = false, force: Force = .none) {
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

    mutating func handleData(_ text: String, entityCharacter: Bool = false) {
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

    static func isAbsoluteURL(_ text: String) -> Bool {
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
}
