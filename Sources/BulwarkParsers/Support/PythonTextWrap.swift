import BulwarkCore

/// A port of Python's `textwrap.TextWrapper` (wrap and shorten), which DefectDojo's parsers use
/// for SARIF titles and, through `html2text`, for ZAP descriptions. Lengths count code points,
/// as Python does, so wrapped text (and therefore hash codes) match.
struct PythonTextWrapper {
    var width: Int
    var initialIndent = ""
    var subsequentIndent = ""
    var breakLongWords = true
    var breakOnHyphens = true
    var maxLines: Int?
    var placeholder = " [...]"

    typealias Chunk = [Unicode.Scalar]

    /// `textwrap.shorten(text, width)`: collapse whitespace, then cut at a word boundary and
    /// append `" [...]"` when the text is longer than `width`.
    static func shorten(_ text: String, width: Int) -> String {
        let collapsed = text.unicodeScalars
            .split(whereSeparator: PythonText.isWhitespace)
            .map { String(String.UnicodeScalarView($0)) }
            .joined(separator: " ")
        var wrapper = PythonTextWrapper(width: width)
        wrapper.maxLines = 1
        return wrapper.wrap(collapsed).joined(separator: "\n")
    }

    /// `TextWrapper.wrap(text)`: the wrapped lines, without trailing newlines.
    func wrap(_ text: String) -> [String] {
        wrapChunks(splitChunks(mungeWhitespace(Array(text.unicodeScalars)))).map { String(String.UnicodeScalarView($0)) }
    }

    // MARK: Whitespace and chunks

    /// The whitespace `textwrap` knows about: ASCII only.
    static func isWrapWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20: true
        default: false
        }
    }

    /// `expandtabs()` then every whitespace character becomes a space.
    private func mungeWhitespace(_ text: Chunk) -> Chunk {
        var output: Chunk = []
        output.reserveCapacity(text.count)
        var column = 0
        for scalar in text {
            if scalar == "\t" {
                let spaces = 8 - column % 8
                output.append(contentsOf: repeatElement(" ", count: spaces))
                column += spaces
            } else {
                if scalar == "\n" || scalar == "\r" { column = 0 } else { column += 1 }
                output.append(PythonTextWrapper.isWrapWhitespace(scalar) ? " " : scalar)
            }
        }
        return output
    }

    /// `TextWrapper._split`: whitespace runs, words, and (with `breakOnHyphens`) word pieces
    /// ending in a hyphen, following `wordsep_re` exactly.
    private func splitChunks(_ text: Chunk) -> [Chunk] {
        let isSpace = PythonTextWrapper.isWrapWhitespace
        var chunks: [Chunk] = []
        guard breakOnHyphens else {
            var index = 0
            while index < text.count {
                let start = index
                let space = isSpace(text[index])
                while index < text.count, isSpace(text[index]) == space { index += 1 }
                chunks.append(Array(text[start..<index]))
            }
            return chunks
        }
        func at(_ index: Int) -> Unicode.Scalar? { index >= 0 && index < text.count ? text[index] : nil }
        func isWord(_ index: Int) -> Bool { at(index).map(PythonRegex.isWordCharacter) ?? false }
        func isLetter(_ index: Int) -> Bool { at(index).map(PythonRegex.isLetter) ?? false }
        func isWordPunct(_ index: Int) -> Bool {
            guard let scalar = at(index) else { return false }
            return PythonRegex.isWordCharacter(scalar) || "!\"'&.,?".unicodeScalars.contains(scalar)
        }
        func hyphens(from index: Int) -> Int {
            var end = index
            while at(end) == "-" { end += 1 }
            return end - index
        }
        var index = 0
        while index < text.count {
            if isSpace(text[index]) {
                let start = index
                while index < text.count, isSpace(text[index]) { index += 1 }
                chunks.append(Array(text[start..<index]))
                continue
            }
            // Em-dash between words: (?<=wp) -{2,} (?=\w)
            if text[index] == "-", isWordPunct(index - 1) {
                let count = hyphens(from: index)
                if count >= 2, isWord(index + count) {
                    chunks.append(Array(text[index..<index + count]))
                    index += count
                    continue
                }
            }
            // A word, lazily extended until one of the three endings applies.
            var end = index + 1
            while true {
                // Hyphenated word: the hyphen is included in the chunk.
                if at(end) == "-",
                   (isLetter(end - 2) && isLetter(end - 1)) || (isLetter(end - 3) && at(end - 2) == "-" && isLetter(end - 1)),
                   isLetter(end + 1), isLetter(end + 2) || (at(end + 2) == "-" && isLetter(end + 3)) {
                    chunks.append(Array(text[index...end]))
                    index = end + 1
                    break
                }
                // End of word.
                if end >= text.count || isSpace(text[end]) {
                    chunks.append(Array(text[index..<end]))
                    index = end
                    break
                }
                // Em-dash follows.
                if isWordPunct(end - 1), hyphens(from: end) >= 2, isWord(end + hyphens(from: end)) {
                    chunks.append(Array(text[index..<end]))
                    index = end
                    break
                }
                end += 1
            }
        }
        return chunks
    }

    // MARK: Line filling

    private func isBlank(_ chunk: Chunk) -> Bool {
        chunk.allSatisfy(PythonText.isWhitespace)
    }

    /// `TextWrapper._wrap_chunks`.
    private func wrapChunks(_ input: [Chunk]) -> [Chunk] {
        guard width > 0 else { return [] }
        var lines: [Chunk] = []
        let placeholderScalars = Array(placeholder.unicodeScalars)
        var chunks = Array(input.reversed())
        while !chunks.isEmpty {
            var currentLine: [Chunk] = []
            var currentLength = 0
            let indent = Array((lines.isEmpty ? initialIndent : subsequentIndent).unicodeScalars)
            let lineWidth = width - indent.count
            if let last = chunks.last, isBlank(last), !lines.isEmpty {
                chunks.removeLast()
            }
            while let last = chunks.last {
                if currentLength + last.count <= lineWidth {
                    currentLine.append(chunks.removeLast())
                    currentLength += last.count
                } else {
                    break
                }
            }
            if let last = chunks.last, last.count > lineWidth {
                handleLongWord(&chunks, &currentLine, currentLength, lineWidth)
                currentLength = currentLine.reduce(0) { $0 + $1.count }
            }
            if let last = currentLine.last, isBlank(last) {
                currentLength -= last.count
                currentLine.removeLast()
            }
            guard !currentLine.isEmpty else { continue }
            let fitsWithoutPlaceholder = maxLines == nil || lines.count + 1 < maxLines!
                || ((chunks.isEmpty || (chunks.count == 1 && isBlank(chunks[0]))) && currentLength <= lineWidth)
            if fitsWithoutPlaceholder {
                lines.append(indent + currentLine.flatMap { $0 })
                continue
            }
            var placed = false
            while let last = currentLine.last {
                if !isBlank(last), currentLength + placeholderScalars.count <= lineWidth {
                    currentLine.append(placeholderScalars)
                    lines.append(indent + currentLine.flatMap { $0 })
                    placed = true
                    break
                }
                currentLength -= last.count
                currentLine.removeLast()
            }
            if !placed {
                if var previous = lines.last {
                    while let tail = previous.last, PythonText.isWhitespace(tail) { previous.removeLast() }
                    if previous.count + placeholderScalars.count <= width {
                        lines[lines.count - 1] = previous + placeholderScalars
                        break
                    }
                }
                lines.append(indent + Array(placeholderScalars.drop(while: PythonText.isWhitespace)))
            }
            break
        }
        return lines
    }

    /// `TextWrapper._handle_long_word`.
    private func handleLongWord(_ chunks: inout [Chunk], _ currentLine: inout [Chunk], _ currentLength: Int, _ lineWidth: Int) {
        let spaceLeft = lineWidth < 1 ? 1 : lineWidth - currentLength
        if breakLongWords {
            var end = spaceLeft
            let chunk = chunks[chunks.count - 1]
            if breakOnHyphens, chunk.count > spaceLeft {
                if let hyphen = chunk[0..<max(0, spaceLeft)].lastIndex(of: "-"), hyphen > 0,
                   chunk[0..<hyphen].contains(where: { $0 != "-" }) {
                    end = hyphen + 1
                }
            }
            let cut = min(max(end, 0), chunk.count)
            currentLine.append(Array(chunk[0..<cut]))
            chunks[chunks.count - 1] = Array(chunk[cut...])
        } else if currentLine.isEmpty {
            currentLine.append(chunks.removeLast())
        }
    }
}

/// Character classes of Python's `re` module for `str` patterns.
enum PythonRegex {
    /// `\w`: letters, digits, numerics and underscore.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "_" { return true }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return true
        default:
            return properties.numericType != nil
        }
    }

    /// `[^\d\W]`: a word character that is not a decimal digit.
    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        isWordCharacter(scalar) && scalar.properties.generalCategory != .decimalNumber
    }
}
