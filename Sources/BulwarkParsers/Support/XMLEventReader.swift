import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Receives SAX events from ``XMLEventReader``. Handlers throw ``ParseError`` to stop.
protocol XMLEventHandler: AnyObject {
    func didStartElement(_ name: String, attributes: [String: String], line: Int) throws(ParseError)
    func didEndElement(_ name: String, line: Int) throws(ParseError)
    func foundText(_ text: String)
}

/// Streams an XML report through `XMLParser(stream:)` so large files never go through
/// `XMLParser(data:)` (which fails on documents of 10 MB or more on Linux). External entities
/// stay unresolved (XXE-safe). Errors carry the line and column.
enum XMLEventReader {
    static func read(_ input: ScanInput, into handler: some XMLEventHandler) throws(ParseError) {
        if try input.isBlank() {
            throw ParseError(.empty, "The report is empty.")
        }
        try UTF8Validation.checkXML(input)
        try checkDeclaration(input)
        // Every XML parse refuses entity declarations (defusedxml's rule), whichever parser reads.
        try XMLEntityGuard.check(input)
        let parser = XMLParser(stream: try input.makeInputStream())
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        let delegate = Delegate(handler: handler)
        parser.delegate = delegate
        let finished = parser.parse()
        if let error = delegate.handlerError {
            throw error
        }
        guard finished else {
            let underlying = delegate.parserError ?? parser.parserError
            let line = delegate.errorLine ?? parser.lineNumber
            let column = delegate.errorColumn ?? parser.columnNumber
            throw ParseError(
                .malformedInput, "The report is not well-formed XML\(describe(underlying)).",
                position: .text(line: max(line, 1), column: max(column, 1)), cause: underlying)
        }
        guard delegate.sawRootElement else {
            throw ParseError(.malformedInput, "The report contains no XML element.")
        }
        // The streaming parser does not always report a document that stops early, so check
        // that every element was closed.
        if let unclosed = delegate.openElements.last {
            throw ParseError(
                .malformedInput, "The XML ends before <\(unclosed)> is closed (is the file truncated?).",
                position: .text(line: max(delegate.lastLine, 1), column: 1))
        }
    }

    /// Refuses an XML declaration without a usable version (`<?xml?>`, `<?xml version?>`): libxml2
    /// then leaves the document's version unset and FoundationXML dereferences it, crashing the
    /// process (found by the mutation test).
    static func checkDeclaration(_ input: ScanInput) throws(ParseError) {
        var head = Array(try input.prefix(512))
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { head.removeFirst(3) }
        let opening = Array("<?xml".utf8)
        guard head.starts(with: opening), head.count > opening.count,
              [0x20, 0x09, 0x0A, 0x0D, 0x3F].contains(head[opening.count]) else { return }
        let refusal = ParseError(
            .malformedInput, "The report is not well-formed XML: its declaration (<?xml …?>) has no version=\"1.x\".",
            position: .text(line: 1, column: 1))
        guard let end = (opening.count..<head.count).first(where: { head[$0] == 0x3F && $0 + 1 < head.count && head[$0 + 1] == 0x3E }) else {
            throw refusal
        }
        let declaration = head[opening.count..<end]
        let isSpace = { (byte: UInt8) in [0x20, 0x09, 0x0A, 0x0D].contains(byte) }
        var index = declaration.startIndex
        while index < declaration.endIndex, isSpace(declaration[index]) { index += 1 }
        let keyword = Array("version".utf8)
        guard declaration[index...].starts(with: keyword) else { throw refusal }
        index += keyword.count
        while index < declaration.endIndex, isSpace(declaration[index]) { index += 1 }
        guard index < declaration.endIndex, declaration[index] == 0x3D else { throw refusal }
        index += 1
        while index < declaration.endIndex, isSpace(declaration[index]) { index += 1 }
        guard index < declaration.endIndex, declaration[index] == 0x22 || declaration[index] == 0x27 else { throw refusal }
        let quote = declaration[index]
        index += 1
        guard let close = declaration[index...].firstIndex(of: quote) else { throw refusal }
        let value = declaration[index..<close]
        let dots = value.filter { $0 == 0x2E }.count
        guard value.count >= 3, dots == 1, value.first != 0x2E, value.last != 0x2E,
              value.allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x2E }) else { throw refusal }
    }

    /// Short texts for the libxml2 error codes FoundationXML reports.
    private static let problems: [Int: String] = [
        4: "the document is empty",
        5: "there is extra content after the root element",
        9: "it contains an invalid character",
        26: "it uses an undeclared entity",
        73: "a '>' is missing",
        76: "a closing tag does not match its opening tag",
        77: "a tag is not finished (is the file truncated?)",
        89: "its entities expand too much or refer to themselves",
    ]

    private static func describe(_ error: (any Error)?) -> String {
        guard let error else { return "" }
        let code = (error as NSError).code
        return ": " + (problems[code] ?? "XML parser error \(code)")
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        let handler: any XMLEventHandler
        var handlerError: ParseError?
        var parserError: (any Error)?
        var errorLine: Int?
        var errorColumn: Int?
        var sawRootElement = false
        var openElements: [String] = []
        var lastLine = 1

        init(handler: any XMLEventHandler) {
            self.handler = handler
        }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            sawRootElement = true
            openElements.append(elementName)
            lastLine = parser.lineNumber
            guard handlerError == nil else { return }
            do {
                try handler.didStartElement(elementName, attributes: attributeDict, line: parser.lineNumber)
            } catch {
                handlerError = error
                parser.abortParsing()
            }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            if !openElements.isEmpty { openElements.removeLast() }
            lastLine = parser.lineNumber
            guard handlerError == nil else { return }
            do {
                try handler.didEndElement(elementName, line: parser.lineNumber)
            } catch {
                handlerError = error
                parser.abortParsing()
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            lastLine = parser.lineNumber
            guard handlerError == nil else { return }
            handler.foundText(string)
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            guard handlerError == nil else { return }
            handler.foundText(Self.normalizingLineEnds(String(decoding: CDATABlock, as: UTF8.self)))
        }

        /// XML 1.0 §2.11 line-end handling, which libxml2 leaves undone in CDATA sections (expat,
        /// and so DefectDojo, applies it): `\r\n` and a lone `\r` become `\n`.
        static func normalizingLineEnds(_ text: String) -> String {
            guard text.utf8.contains(0x0D) else { return text }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count)
            var previousWasCR = false
            for byte in text.utf8 {
                if byte == 0x0A, previousWasCR {
                    previousWasCR = false
                    continue
                }
                previousWasCR = byte == 0x0D
                bytes.append(previousWasCR ? 0x0A : byte)
            }
            return String(decoding: bytes, as: UTF8.self)
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            if parserError == nil {
                parserError = parseError
                errorLine = parser.lineNumber
                errorColumn = parser.columnNumber
            }
        }
    }
}
