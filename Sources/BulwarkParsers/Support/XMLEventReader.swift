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
            handler.foundText(String(decoding: CDATABlock, as: UTF8.self))
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
