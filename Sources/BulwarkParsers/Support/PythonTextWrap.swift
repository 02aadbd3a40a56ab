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

    /// A piece of a line: a range of the munged text, or the placeholder.
    private enum Piece {
        case text(Range<Int>)
        case placeholder
        case indent(String)
    }

    /// `textwrap.shorten(text, width)`: collapse whitespace, then cut at a word boundary and
    /// append `" [...]"` when the text is longer than `width`.
    static func shorten(_ text: String, width: Int) -> String {
        if isCollapsedASCII(text), text.utf8.count <= width { return text }
        let collapsed = text.unicodeScalars
            .split(whereSeparator: PythonText.isWhitespace)
            .map { String(String.UnicodeScalarView($0)) }
            .joined(separator: " ")
        var wrapper = PythonTextWrapper(width: width)
        wrapper.maxLines = 1
        return wrapper.wrap(collapsed).joined(separator: "\n")
    }

    /// ASCII text whose only whitespace is single spaces between words.
    private static func isCollapsedASCII(_ text: String) -> Bool {
        var previousWasSpace = true
        for byte in text.utf8 {
            if byte >= 0x80 || (0x09...0x0D).contains(byte) || (0x1C...0x1F).contains(byte) { return false }
            let isSpace = byte == 0x20
            if isSpace, previousWasSpace { return false }
            previousWasSpace = isSpace
        }
        return !previousWasSpace || text.isEmpty
    }

    /// `TextWrapper.wrap(text)`: the wrapped lines, without trailing newlines.
    func wrap(_ text: String) -> [String] {
        // Fast path: one ASCII line that fits needs no chunking.
        if maxLines == nil, initialIndent.isEmpty, text.utf8.count <= width,
           text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            var line = Substring(text)
            while line.last == " " { line.removeLast() }
            return line.isEmpty ? [] : [String(line)]
        }
        let isASCII = text.utf8.allSatisfy { $0 < 0x80 }
        let scalars = mungeWhitespace(isASCII ? text.utf8.map { Unicode.Scalar($0) } : Array(text.unicodeScalars))
        let lines = wrapChunks(splitChunks(scalars), in: scalars)
        if isASCII {
            // One byte per scalar: cut lines straight from the munged bytes.
            let bytes = scalars.map { UInt8($0.value) }
            return lines.map { pieces in
                var line: [UInt8] = []
                for piece in pieces {
                    switch piece {
                    case .text(let range): line.append(contentsOf: bytes[range])
                    case .placeholder: line.append(contentsOf: placeholder.utf8)
                    case .indent(let indent): line.append(contentsOf: indent.utf8)
                    }
                }
                return String(decoding: line, as: UTF8.self)
            }
        }
        // Lines are cut from the UTF-8 bytes of the munged text (much faster than appending
        // scalars one by one).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count)
        var offsets: [Int] = []
        offsets.reserveCapacity(scalars.count + 1)
        for scalar in scalars {
            offsets.append(bytes.count)
            if scalar.value < 0x80 {
                bytes.append(UInt8(scalar.value))
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        offsets.append(bytes.count)
        return lines.map { pieces in
            var line: [UInt8] = []
            for piece in pieces {
                switch piece {
                case .text(let range): line.append(contentsOf: bytes[offsets[range.lowerBound]..<offsets[range.upperBound]])
                case .placeholder: line.append(contentsOf: placeholder.utf8)
                case .indent(let indent): line.append(contentsOf: indent.utf8)
                }
            }
            return String(decoding: line, as: UTF8.self)
        }
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
    private func mungeWhitespace(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard text.contains(where: { $0.value < 0x20 }) else { return text }
        var output: [Unicode.Scalar] = []
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
    private func splitChunks(_ text: [Unicode.Scalar]) -> [Range<Int>] {
        let isSpace = PythonTextWrapper.isWrapWhitespace
        var chunks: [Range<Int>] = []
        guard breakOnHyphens else {
            var index = 0
            while index < text.count {
                let start = index
                let space = isSpace(text[index])
                while index < text.count, isSpace(text[index]) == space { index += 1 }
                chunks.append(start..<index)
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
                chunks.append(start..<index)
                continue
            }
            // Em-dash between words: (?<=wp) -{2,} (?=\w)
            if text[index] == "-", isWordPunct(index - 1) {
                let count = hyphens(from: index)
                if count >= 2, isWord(index + count) {
                    chunks.append(index..<index + count)
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
                    chunks.append(index..<end + 1)
                    index = end + 1
                    break
                }
                // End of word.
                if end >= text.count || isSpace(text[end]) {
                    chunks.append(index..<end)
                    index = end
                    break
                }
                // Em-dash follows.
                if text[end] == "-", isWordPunct(end - 1), hyphens(from: end) >= 2, isWord(end + hyphens(from: end)) {
                    chunks.append(index..<end)
                    index = end
                    break
                }
                end += 1
            }
        }
        return chunks
    }

    // MARK: Line filling

    /// `TextWrapper._wrap_chunks`, on ranges of `text`.
    private func wrapChunks(_ input: [Range<Int>], in text: [Unicode.Scalar]) -> [[Piece]] {
        guard width > 0 else { return [] }
        func isBlank(_ range: Range<Int>) -> Bool { text[range].allSatisfy(PythonText.isWhitespace) }
        let placeholderLength = placeholder.unicodeScalars.count
        var lines: [[Piece]] = []
        var lineLengths: [Int] = []
        var chunks = Array(input.reversed())
        while !chunks.isEmpty {
            var currentLine: [Range<Int>] = []
            var currentLength = 0
            let indent = lines.isEmpty ? initialIndent : subsequentIndent
            let indentLength = indent.unicodeScalars.count
            let lineWidth = width - indentLength
            if let last = chunks.last, isBlank(last), !lines.isEmpty {
                chunks.removeLast()
            }
            while let last = chunks.last, currentLength + last.count <= lineWidth {
                currentLine.append(chunks.removeLast())
                currentLength += last.count
            }
            if let last = chunks.last, last.count > lineWidth {
                handleLongWord(&chunks, &currentLine, currentLength, lineWidth, text)
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
                lines.append(currentLine.map(Piece.text))
                lineLengths.append(currentLength)
                continue
            }
            var placed = false
            while let last = currentLine.last {
                if !isBlank(last), currentLength + placeholderLength <= lineWidth {
                    lines.append(currentLine.map(Piece.text) + [.placeholder])
                    placed = true
                    break
                }
                currentLength -= last.count
                currentLine.removeLast()
            }
            if !placed {
                if !lines.isEmpty {
                    // Strip the previous line's trailing whitespace and append the placeholder.
                    var previous = lines[lines.count - 1]
                    var length = lineLengths[lineLengths.count - 1]
                    while case .text(let range)? = previous.last, let tail = range.last, PythonText.isWhitespace(text[tail]) {
                        previous[previous.count - 1] = .text(range.lowerBound..<tail)
                        length -= 1
                        if range.count == 1 { previous.removeLast() }
                    }
                    if indentLength + length + placeholderLength <= width {
                        lines[lines.count - 1] = previous + [.placeholder]
                        break
                    }
                }
                // The placeholder alone, without its leading space.
                lines.append([.indent(String(String.UnicodeScalarView(placeholder.unicodeScalars.drop(while: PythonText.isWhitespace))))])
            }
            break
        }
        if !subsequentIndent.isEmpty || !initialIndent.isEmpty {
            return zip(lines.indices, lines).map { index, pieces in
                let indent = index == 0 ? initialIndent : subsequentIndent
                return indent.isEmpty ? pieces : [.indent(indent)] + pieces
            }
        }
        return lines
    }

    /// `TextWrapper._handle_long_word`.
    private func handleLongWord(
        _ chunks: inout [Range<Int>], _ currentLine: inout [Range<Int>], _ currentLength: Int, _ lineWidth: Int,
        _ text: [Unicode.Scalar]
    ) {
        let spaceLeft = lineWidth < 1 ? 1 : lineWidth - currentLength
        if breakLongWords {
            let chunk = chunks[chunks.count - 1]
            var end = spaceLeft
            if breakOnHyphens, chunk.count > spaceLeft {
                let searchEnd = chunk.lowerBound + max(0, spaceLeft)
                if let hyphen = text[chunk.lowerBound..<searchEnd].lastIndex(of: "-"), hyphen > chunk.lowerBound,
                   text[chunk.lowerBound..<hyphen].contains(where: { $0 != "-" }) {
                    end = hyphen - chunk.lowerBound + 1
                }
            }
            let cut = chunk.lowerBound + min(max(end, 0), chunk.count)
            currentLine.append(chunk.lowerBound..<cut)
            chunks[chunks.count - 1] = cut..<chunk.upperBound
        } else if currentLine.isEmpty {
            currentLine.append(chunks.removeLast())
        }
    }
}

/// Character classes of Python's `re` module for `str` patterns.
enum PythonRegex {
    /// `\w`: letters, digits, numerics and underscore.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) || value == 0x5F
        }
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
        let value = scalar.value
        if value < 0x80 {
            return (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) || value == 0x5F
        }
        return isWordCharacter(scalar) && scalar.properties.generalCategory != .decimalNumber
    }
}
