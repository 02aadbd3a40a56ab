import BulwarkCore

/// A tokenizer following Python's `html.parser.HTMLParser` with `convert_charrefs=False`:
/// text runs are split at `<` and `&`, entity and character references are reported
/// separately, tag and attribute names are lower-cased, and `script`/`style` content is raw.
enum HTMLTokenizer {
    static func tokenize(_ html: String) -> [HTMLEvent] {
        var tokenizer = Cursor(text: Array(html.unicodeScalars))
        let remainder = tokenizer.run(from: 0, atEnd: false)
        _ = tokenizer.run(from: remainder, atEnd: true)
        return tokenizer.events
    }

    private struct Cursor {
        let text: [Unicode.Scalar]
        var events: [HTMLEvent] = []
        var rawTextElement: String?

        init(text: [Unicode.Scalar]) {
            self.text = text
        }

        mutating func handle(_ event: HTMLEvent) {
            events.append(event)
        }

        func string(_ range: Range<Int>) -> String {
            String(String.UnicodeScalarView(text[range]))
        }

        func isLetter(_ index: Int) -> Bool {
            guard index < text.count, text[index].isASCII else { return false }
            let value = text[index].value
            return (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
        }

        func isAlphanumeric(_ index: Int) -> Bool {
            guard index < text.count, text[index].isASCII else { return false }
            return isLetter(index) || (0x30...0x39).contains(text[index].value)
        }

        func starts(with prefix: String, at index: Int) -> Bool {
            let scalars = Array(prefix.unicodeScalars)
            guard index + scalars.count <= text.count else { return false }
            return Array(text[index..<index + scalars.count]) == scalars
        }

        func find(_ needle: String, from index: Int) -> Int? {
            let scalars = Array(needle.unicodeScalars)
            guard !scalars.isEmpty, scalars.count <= text.count else { return nil }
            var position = index
            while position + scalars.count <= text.count {
                if text[position] == scalars[0], Array(text[position..<position + scalars.count]) == scalars { return position }
                position += 1
            }
            return nil
        }

        /// `goahead(end)`: returns where unprocessed text starts.
        mutating func run(from startIndex: Int, atEnd: Bool) -> Int {
            var index = startIndex
            let count = text.count
            while index < count {
                // Find the next interesting character.
                var next = count
                if let element = rawTextElement {
                    next = findRawTextEnd(element, from: index) ?? count
                    if next == count, !atEnd { break }
                } else {
                    next = text[index...].firstIndex(where: { $0 == "<" || $0 == "&" }) ?? count
                }
                if index < next { handle(.text(string(index..<next))) }
                index = next
                if index == count { break }
                if text[index] == "<" {
                    var end: Int
                    if isLetter(index + 1) {
                        end = parseStartTag(at: index)
                    } else if starts(with: "</", at: index) {
                        end = parseEndTag(at: index)
                    } else if starts(with: "<!--", at: index) {
                        end = parseComment(at: index)
                    } else if starts(with: "<?", at: index) || starts(with: "<!", at: index) {
                        end = find(">", from: index + 2).map { $0 + 1 } ?? -1
                    } else if index + 1 < count {
                        handle(.text("<"))
                        end = index + 1
                    } else {
                        break
                    }
                    if end < 0 {
                        guard atEnd else { break }
                        if let close = find(">", from: index + 1) {
                            end = close + 1
                        } else if let open = find("<", from: index + 1) {
                            end = open
                        } else {
                            end = index + 1
                        }
                        handle(.text(string(index..<end)))
                    }
                    index = end
                } else if starts(with: "&#", at: index) {
                    // &#(?:[0-9]+|[xX][0-9a-fA-F]+)[^0-9a-fA-F]
                    var cursor = index + 2
                    var isHex = false
                    if cursor < count, text[cursor] == "x" || text[cursor] == "X" {
                        isHex = true
                        cursor += 1
                    }
                    let digitsStart = cursor
                    while cursor < count, isHex ? text[cursor].properties.isASCIIHexDigit : (0x30...0x39).contains(text[cursor].value) {
                        cursor += 1
                    }
                    if cursor > digitsStart, cursor < count, !text[cursor].properties.isASCIIHexDigit {
                        handle(.characterReference(string(index + 2..<cursor)))
                        index = text[cursor] == ";" ? cursor + 1 : cursor
                        continue
                    }
                    if text[index...].contains(";") {
                        handle(.text("&#"))
                        index += 2
                    }
                    break
                } else {
                    // &([a-zA-Z][-.a-zA-Z0-9]*)[^a-zA-Z0-9]
                    if isLetter(index + 1) {
                        var cursor = index + 2
                        while cursor < count, isAlphanumeric(cursor) || text[cursor] == "-" || text[cursor] == "." { cursor += 1 }
                        if cursor < count {
                            handle(.entity(string(index + 1..<cursor)))
                            index = text[cursor] == ";" ? cursor + 1 : cursor
                            continue
                        }
                        // Incomplete at the end of the buffer.
                        if atEnd { index += 1 }
                        break
                    } else if index + 1 < count, text[index + 1] == "#" {
                        break
                    } else if index + 1 < count {
                        handle(.text("&"))
                        index += 1
                    } else {
                        break
                    }
                }
            }
            if atEnd, index < count, rawTextElement == nil {
                handle(.text(string(index..<count)))
                return count
            }
            return index
        }

        /// `</\s*script\s*>` (case-insensitive) from `index`.
        func findRawTextEnd(_ element: String, from index: Int) -> Int? {
            var position = index
            while let open = find("</", from: position) {
                var cursor = open + 2
                while cursor < text.count, PythonRegexSpace.isSpace(text[cursor]) { cursor += 1 }
                let name = Array(element.unicodeScalars)
                if cursor + name.count <= text.count,
                   String(String.UnicodeScalarView(text[cursor..<cursor + name.count])).lowercased() == element {
                    var after = cursor + name.count
                    while after < text.count, PythonRegexSpace.isSpace(text[after]) { after += 1 }
                    if after < text.count, text[after] == ">" { return open }
                }
                position = open + 1
            }
            return nil
        }

        mutating func parseComment(at index: Int) -> Int {
            // <!-- ... --\s*>
            var position = index + 4
            while let dashes = find("--", from: position) {
                var cursor = dashes + 2
                while cursor < text.count, PythonRegexSpace.isSpace(text[cursor]) { cursor += 1 }
                if cursor < text.count, text[cursor] == ">" { return cursor + 1 }
                position = dashes + 1
            }
            return -1
        }

        mutating func parseStartTag(at index: Int) -> Int {
            let count = text.count
            var cursor = index + 1
            let nameStart = cursor
            while cursor < count, !"\t\n\r\u{0C} />\u{00}".unicodeScalars.contains(text[cursor]) { cursor += 1 }
            let name = string(nameStart..<cursor).lowercased()
            var attributes: [(String, String?)] = []
            while true {
                while cursor < count, PythonRegexSpace.isSpace(text[cursor]) || (text[cursor] == "/" && !(cursor + 1 < count && text[cursor + 1] == ">")) {
                    cursor += 1
                }
                guard cursor < count else { return -1 }
                if text[cursor] == ">" {
                    emitStartTag(name, attributes, selfClosing: false)
                    return cursor + 1
                }
                if text[cursor] == "/", cursor + 1 < count, text[cursor + 1] == ">" {
                    emitStartTag(name, attributes, selfClosing: true)
                    return cursor + 2
                }
                // Attribute name: [^\s/>][^\s/=>]*
                let attributeStart = cursor
                cursor += 1
                while cursor < count, !PythonRegexSpace.isSpace(text[cursor]), !"/=>".unicodeScalars.contains(text[cursor]) { cursor += 1 }
                let attributeName = string(attributeStart..<cursor).lowercased()
                var lookahead = cursor
                while lookahead < count, PythonRegexSpace.isSpace(text[lookahead]) { lookahead += 1 }
                guard lookahead < count, text[lookahead] == "=" else {
                    attributes.append((attributeName, nil))
                    continue
                }
                while lookahead < count, text[lookahead] == "=" { lookahead += 1 }
                while lookahead < count, PythonRegexSpace.isSpace(text[lookahead]) { lookahead += 1 }
                guard lookahead < count else { return -1 }
                var value: String
                if text[lookahead] == "\"" || text[lookahead] == "'" {
                    let quote = text[lookahead]
                    guard let close = text[(lookahead + 1)...].firstIndex(of: quote) else { return -1 }
                    value = string(lookahead + 1..<close)
                    cursor = close + 1
                } else {
                    var end = lookahead
                    while end < count, text[end] != ">", !PythonRegexSpace.isSpace(text[end]) { end += 1 }
                    value = string(lookahead..<end)
                    cursor = end
                }
                if !value.isEmpty { value = HTMLEntities.unescape(value) }
                attributes.append((attributeName, value))
            }
        }

        mutating func emitStartTag(_ name: String, _ attributes: [(String, String?)], selfClosing: Bool) {
            handle(.startTag(name, attributes, selfClosing: selfClosing))
            if !selfClosing, name == "script" || name == "style" { rawTextElement = name }
        }

        mutating func parseEndTag(at index: Int) -> Int {
            guard let greaterThan = find(">", from: index + 1) else { return -1 }
            var cursor = index + 2
            while cursor < greaterThan, PythonRegexSpace.isSpace(text[cursor]) { cursor += 1 }
            let nameStart = cursor
            while cursor < greaterThan, !"\t\n\r\u{0C} />\u{00}".unicodeScalars.contains(text[cursor]) { cursor += 1 }
            let name = string(nameStart..<cursor).lowercased()
            if let element = rawTextElement {
                guard name == element else {
                    handle(.text(string(index..<greaterThan + 1)))
                    return greaterThan + 1
                }
                rawTextElement = nil
            }
            if name.isEmpty || !isLetter(nameStart) {
                // "</>" is dropped; anything else is a bogus comment.
                return greaterThan + 1
            }
            handle(.endTag(name))
            return greaterThan + 1
        }
    }
}

/// Python `re` `\s` for `str` patterns.
enum PythonRegexSpace {
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        PythonText.isWhitespace(scalar)
    }
}
