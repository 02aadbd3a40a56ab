/// A tokenizer following Python's `html.parser.HTMLParser` with `convert_charrefs=False`:
/// text runs are split at `<` and `&`, entity and character references are reported
/// separately, tag and attribute names are lower-cased, and `script`/`style` content is raw.
enum HTMLTokenizer {
    static func tokenize(_ html: String) -> [HTMLEvent] {
        var tokenizer = Cursor(text: Array(html.utf8))
        let remainder = tokenizer.run(from: 0, atEnd: false)
        _ = tokenizer.run(from: remainder, atEnd: true)
        return tokenizer.events
    }

    /// Hands each event to `body` as soon as it is read, without collecting them, so a large
    /// document's events never sit in memory at once.
    static func forEachEvent(in html: String, _ body: (HTMLEvent) -> Void) {
        withoutActuallyEscaping(body) { body in
            var tokenizer = Cursor(text: Array(html.utf8))
            tokenizer.sink = body
            let remainder = tokenizer.run(from: 0, atEnd: false)
            _ = tokenizer.run(from: remainder, atEnd: true)
        }
    }

    private struct Cursor {
        // UTF-8 bytes: every character the tokenizer looks at is ASCII, so text runs can be cut
        // at byte offsets.
        let text: [UInt8]
        var events: [HTMLEvent] = []
        /// Receives events instead of ``events`` when set.
        var sink: ((HTMLEvent) -> Void)?
        var rawTextElement: String?

        init(text: [UInt8]) {
            self.text = text
        }

        mutating func handle(_ event: HTMLEvent) {
            if let sink {
                sink(event)
            } else {
                events.append(event)
            }
        }

        func string(_ range: Range<Int>) -> String {
            String(decoding: text[range], as: UTF8.self)
        }

        func isLetter(_ index: Int) -> Bool {
            guard index < text.count else { return false }
            let value = text[index]
            return (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
        }

        func isAlphanumeric(_ index: Int) -> Bool {
            guard index < text.count else { return false }
            return isLetter(index) || (0x30...0x39).contains(text[index])
        }

        func isHexDigit(_ index: Int) -> Bool {
            guard index < text.count else { return false }
            let value = text[index]
            return (0x30...0x39).contains(value) || (0x41...0x46).contains(value) || (0x61...0x66).contains(value)
        }

        func isSpace(_ index: Int) -> Bool {
            guard index < text.count else { return false }
            let value = text[index]
            return value == 0x20 || (0x09...0x0D).contains(value) || (0x1C...0x1F).contains(value)
        }

        func starts(with prefix: String, at index: Int) -> Bool {
            let bytes = Array(prefix.utf8)
            guard index + bytes.count <= text.count else { return false }
            return text[index..<index + bytes.count].elementsEqual(bytes)
        }

        func find(_ needle: String, from index: Int) -> Int? {
            let bytes = Array(needle.utf8)
            guard !bytes.isEmpty, bytes.count <= text.count else { return nil }
            var position = index
            while position + bytes.count <= text.count {
                if text[position] == bytes[0], text[position..<position + bytes.count].elementsEqual(bytes) { return position }
                position += 1
            }
            return nil
        }

        func byte(_ character: Unicode.Scalar) -> UInt8 { UInt8(character.value) }

        func isAny(_ index: Int, of characters: String) -> Bool {
            index < text.count && characters.utf8.contains(text[index])
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
                    next = text[index...].firstIndex(where: { $0 == 0x3C || $0 == 0x26 }) ?? count
                }
                if index < next { handle(.text(string(index..<next))) }
                index = next
                if index == count { break }
                if text[index] == 0x3C {
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
                    if cursor < count, text[cursor] == 0x78 || text[cursor] == 0x58 {
                        isHex = true
                        cursor += 1
                    }
                    let digitsStart = cursor
                    while cursor < count, isHex ? isHexDigit(cursor) : (0x30...0x39).contains(text[cursor]) {
                        cursor += 1
                    }
                    if cursor > digitsStart, cursor < count, !isHexDigit(cursor) {
                        handle(.characterReference(string(index + 2..<cursor)))
                        index = text[cursor] == 0x3B ? cursor + 1 : cursor
                        continue
                    }
                    if text[index...].contains(0x3B) {
                        handle(.text("&#"))
                        index += 2
                    }
                    break
                } else {
                    // &([a-zA-Z][-.a-zA-Z0-9]*)[^a-zA-Z0-9]
                    if isLetter(index + 1) {
                        var cursor = index + 2
                        while cursor < count, isAlphanumeric(cursor) || text[cursor] == 0x2D || text[cursor] == 0x2E { cursor += 1 }
                        if cursor < count {
                            handle(.entity(string(index + 1..<cursor)))
                            index = text[cursor] == 0x3B ? cursor + 1 : cursor
                            continue
                        }
                        // Incomplete at the end of the buffer.
                        if atEnd { index += 1 }
                        break
                    } else if index + 1 < count, text[index + 1] == 0x23 {
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
                while isSpace(cursor) { cursor += 1 }
                let name = Array(element.utf8)
                if cursor + name.count <= text.count,
                   string(cursor..<cursor + name.count).lowercased() == element {
                    var after = cursor + name.count
                    while isSpace(after) { after += 1 }
                    if after < text.count, text[after] == 0x3E { return open }
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
                while isSpace(cursor) { cursor += 1 }
                if cursor < text.count, text[cursor] == 0x3E { return cursor + 1 }
                position = dashes + 1
            }
            return -1
        }

        mutating func parseStartTag(at index: Int) -> Int {
            let count = text.count
            var cursor = index + 1
            let nameStart = cursor
            while cursor < count, !isAny(cursor, of: "\t\n\r\u{0C} />\u{00}") { cursor += 1 }
            let name = string(nameStart..<cursor).lowercased()
            var attributes: [(String, String?)] = []
            while true {
                while cursor < count, isSpace(cursor) || (text[cursor] == 0x2F && !(cursor + 1 < count && text[cursor + 1] == 0x3E)) {
                    cursor += 1
                }
                guard cursor < count else { return -1 }
                if text[cursor] == 0x3E {
                    emitStartTag(name, attributes, selfClosing: false)
                    return cursor + 1
                }
                if text[cursor] == 0x2F, cursor + 1 < count, text[cursor + 1] == 0x3E {
                    emitStartTag(name, attributes, selfClosing: true)
                    return cursor + 2
                }
                // Attribute name: [^\s/>][^\s/=>]*
                let attributeStart = cursor
                cursor += 1
                while cursor < count, !isSpace(cursor), !isAny(cursor, of: "/=>") { cursor += 1 }
                let attributeName = string(attributeStart..<cursor).lowercased()
                var lookahead = cursor
                while isSpace(lookahead) { lookahead += 1 }
                guard lookahead < count, text[lookahead] == 0x3D else {
                    attributes.append((attributeName, nil))
                    continue
                }
                while lookahead < count, text[lookahead] == 0x3D { lookahead += 1 }
                while isSpace(lookahead) { lookahead += 1 }
                guard lookahead < count else { return -1 }
                var value: String
                if text[lookahead] == 0x22 || text[lookahead] == 0x27 {
                    let quote = text[lookahead]
                    guard let close = text[(lookahead + 1)...].firstIndex(of: quote) else { return -1 }
                    value = string(lookahead + 1..<close)
                    cursor = close + 1
                } else {
                    var end = lookahead
                    while end < count, text[end] != 0x3E, !isSpace(end) { end += 1 }
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
            while cursor < greaterThan, isSpace(cursor) { cursor += 1 }
            let nameStart = cursor
            while cursor < greaterThan, !isAny(cursor, of: "\t\n\r\u{0C} />\u{00}") { cursor += 1 }
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
