/// Streams an XML report and hands over one record element at a time, as a small
/// ``XMLElementNode`` tree that reads like ElementTree, so a 50 MB report never sits in memory as
/// a whole-document tree.
///
/// ```swift
/// let reader = XMLRecordReader(records: ["/CxXMLResults/Query/Result"], rootNames: ["CxXMLResults"], formatName: "Checkmarx XML")
/// let summary = try reader.read(input) { record throws(ParseError) in
///     let query = record.ancestor("Query")          // attributes of the enclosing <Query>
///     let scanStart = record.root.attribute("ScanStart")
///     for node in record.element.findAll("Path/PathNode") { … node.findText("FileName") … }
/// }
/// ```
///
/// - Records are the elements the ``records`` patterns select (see ``XMLRecordPattern``); each is
///   built whole, handed to the closure when its end tag is read, then dropped.
/// - Ancestors of a record are kept without children (name, attributes, leading text).
/// - Headers are elements the ``headers`` patterns select outside records (e.g. `projectInfo`,
///   `Scan`); they are kept whole and passed with every later record and in the summary.
/// - Everything else (text between records, other subtrees) is read and dropped.
///
/// Safety: the report must be well-formed, valid UTF-8 (or a declared encoding), declare no
/// entities (``XMLEntityGuard``: entity bombs and external entities are refused before parsing),
/// and never resolves external DTDs. Errors are ``ParseError``s with the line of the problem.
struct XMLRecordReader: Sendable {
    /// The elements handed over as records.
    var records: [XMLRecordPattern]
    /// Elements outside records kept whole as context.
    var headers: [XMLRecordPattern]
    /// Accepted local names of the root element; empty accepts any root.
    var rootNames: [String]
    /// The format's name for the wrong-root error, e.g. `Checkmarx XML`.
    var formatName: String

    /// The deepest element nesting accepted; deeper documents are refused, so the recursive
    /// accessors of ``XMLElementNode`` stay far from the stack's limit.
    static let maximumDepth = 1_000

    /// Creates a reader.
    /// - Parameters:
    ///   - records: Patterns of the record elements.
    ///   - headers: Patterns of header elements to keep (outside records).
    ///   - rootNames: Accepted root local names; another root is a
    ///     ``ParseError/Code/unsupportedFormat`` error. Empty accepts any root.
    ///   - formatName: Names the format in that error.
    init(records: [XMLRecordPattern], headers: [XMLRecordPattern] = [], rootNames: [String] = [], formatName: String = "the expected XML") {
        self.records = records
        self.headers = headers
        self.rootNames = rootNames
        self.formatName = formatName
    }

    /// Reads the whole report, calling `body` for each record in document order.
    ///
    /// - Returns: The root, every header and the record count.
    /// - Throws: ``ParseError`` for malformed, truncated or unsafe XML, a wrong root, or whatever
    ///   `body` throws (parsing stops there).
    @discardableResult
    func read(_ input: ScanInput, each body: @escaping (XMLRecord) throws(ParseError) -> Void) throws(ParseError) -> XMLDocumentSummary {
        if try input.isBlank() {
            throw ParseError(.empty, "The report is empty.")
        }
        let builder = Builder(reader: self, body: body)
        try XMLEventReader.read(input, into: builder)
        guard let root = builder.root else {
            throw ParseError(.malformedInput, "The report contains no XML element.")
        }
        return XMLDocumentSummary(root: root, headers: builder.keptHeaders, recordCount: builder.recordCount)
    }

    /// The SAX handler that builds records, ancestors and headers.
    private final class Builder: XMLEventHandler {
        private enum Capture {
            case record
            case header
        }

        let reader: XMLRecordReader
        let body: (XMLRecord) throws(ParseError) -> Void
        /// Names of the open elements, root first.
        private var path: [XMLRecordPattern.Name] = []
        /// Namespace bindings in force at each open element (prefix `""` is the default).
        private var scopes: [[String: String]] = []
        /// Open elements outside records and headers, without children.
        private var ancestors: [XMLElementNode] = []
        /// Whether each of ``ancestors`` has seen a child element (its `.text` is then complete).
        private var ancestorSawChild: [Bool] = []
        /// The open elements of the record or header being built, outermost first.
        private var building: [XMLElementNode] = []
        private var capture: Capture?
        private(set) var keptHeaders: [XMLElementNode] = []
        private(set) var recordCount = 0
        private(set) var root: XMLElementNode?

        init(reader: XMLRecordReader, body: @escaping (XMLRecord) throws(ParseError) -> Void) {
            self.reader = reader
            self.body = body
        }

        func didStartElement(_ name: String, attributes: [String: String], line: Int) throws(ParseError) {
            guard path.count < XMLRecordReader.maximumDepth else {
                throw ParseError(
                    .malformedInput, "The XML nests elements deeper than \(XMLRecordReader.maximumDepth) levels.",
                    position: .text(line: line, column: 1))
            }
            var scope = scopes.last ?? ["xml": "http://www.w3.org/XML/1998/namespace"]
            for (key, value) in attributes {
                if key == "xmlns" {
                    scope[""] = value.isEmpty ? nil : value
                } else if key.hasPrefix("xmlns:") {
                    scope[String(key.dropFirst(6))] = value
                }
            }
            let node = XMLElementNode(
                qualifiedName: name, namespaceURI: Self.namespace(ofElement: name, in: scope),
                attributes: Self.attributes(attributes, in: scope), line: line)
            if path.isEmpty {
                if !reader.rootNames.isEmpty, !reader.rootNames.contains(node.localName) {
                    let expected = reader.rootNames.map { "<\($0)>" }.joined(separator: " or ")
                    throw ParseError(
                        .unsupportedFormat,
                        "The report is XML but not a \(reader.formatName) report: the root element is <\(name)>, expected \(expected).",
                        position: node.position)
                }
                root = node
            }
            scopes.append(scope)
            path.append(XMLRecordPattern.Name(local: node.localName, namespace: node.namespaceURI))

            if capture != nil {
                building.append(node)
                return
            }
            if reader.records.contains(where: { $0.matches(path) }) {
                capture = .record
                building = [node]
            } else if reader.headers.contains(where: { $0.matches(path) }) {
                capture = .header
                building = [node]
            } else {
                if !ancestorSawChild.isEmpty { ancestorSawChild[ancestorSawChild.count - 1] = true }
                ancestors.append(node)
                ancestorSawChild.append(false)
            }
        }

        func didEndElement(_ name: String, line: Int) throws(ParseError) {
            scopes.removeLast()
            path.removeLast()
            if let capture {
                guard let node = building.popLast() else { return }
                if building.isEmpty {
                    self.capture = nil
                    if let last = ancestorSawChild.indices.last { ancestorSawChild[last] = true }
                    if path.isEmpty { root = node }
                    try deliver(node, as: capture)
                } else {
                    building[building.count - 1].children.append(node)
                }
                return
            }
            if let node = ancestors.popLast() {
                ancestorSawChild.removeLast()
                if ancestors.isEmpty { root = node }
            }
        }

        func foundText(_ text: String) {
            if capture != nil {
                guard let top = building.indices.last else { return }
                if let child = building[top].children.indices.last {
                    Self.append(text, to: &building[top].children[child].tail)
                } else {
                    Self.append(text, to: &building[top].text)
                }
            } else if let top = ancestors.indices.last, !ancestorSawChild[top] {
                Self.append(text, to: &ancestors[top].text)
            }
        }

        private func deliver(_ node: XMLElementNode, as capture: Capture) throws(ParseError) {
            switch capture {
            case .header:
                keptHeaders.append(node)
            case .record:
                let record = XMLRecord(element: node, ancestors: ancestors, headers: keptHeaders, index: recordCount)
                recordCount += 1
                try body(record)
            }
        }

        private static func append(_ text: String, to target: inout String?) {
            if target == nil {
                target = text
            } else {
                target?.append(text)
            }
        }

        private static func namespace(ofElement name: String, in scope: [String: String]) -> String? {
            guard let colon = name.utf8.firstIndex(of: UInt8(ascii: ":")) else { return scope[""] }
            return scope[String(name[..<colon])]
        }

        /// ElementTree's attribute keys: `{uri}local` for prefixed names, without declarations.
        private static func attributes(_ raw: [String: String], in scope: [String: String]) -> [String: String] {
            var result: [String: String] = [:]
            for (key, value) in raw where key != "xmlns" && !key.hasPrefix("xmlns:") {
                if let colon = key.utf8.firstIndex(of: UInt8(ascii: ":")), let uri = scope[String(key[..<colon])] {
                    result["{\(uri)}\(key[key.index(after: colon)...])"] = value
                } else {
                    result[key] = value
                }
            }
            return result
        }
    }
}
