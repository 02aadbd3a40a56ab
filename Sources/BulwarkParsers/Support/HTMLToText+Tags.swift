import BulwarkCore
import Foundation

// Tag handling of `HTML2Text.handle_tag` (default settings, no Google-Docs styles).
extension HTMLToTextConverter {
    mutating func handleTag(_ tag: String, _ attributes: [String: String?], start: Bool) {
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

    mutating func handleAnchor(_ attributes: [String: String?], start: Bool) {
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

    mutating func handleImage(_ attributes: [String: String?]) {
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

    static func isASCIIPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars.contains(scalar)
    }
}
