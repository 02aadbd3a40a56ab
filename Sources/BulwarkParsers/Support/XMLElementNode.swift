/// One XML element with its attributes, text and child elements, as ``XMLRecordReader`` hands it
/// over: a small subtree (one record) rather than a whole document.
///
/// The accessors follow Python's `xml.etree.ElementTree`, so a parser reads like DefectDojo's:
///
/// | ElementTree                    | here                                   |
/// |--------------------------------|----------------------------------------|
/// | `elem.tag`                     | ``tag`` (`{uri}local` when namespaced) |
/// | `elem.get("Severity")`         | ``attribute(_:)``                      |
/// | `elem.text`, `elem.tail`       | ``text``, ``tail``                     |
/// | `elem.find("Path/PathNode")`   | ``find(_:namespaces:)``                |
/// | `elem.findall("Result")`       | ``findAll(_:namespaces:)``             |
/// | `elem.findtext("Name")`        | ``findText(_:namespaces:)``            |
/// | `"".join(elem.itertext())`     | ``allText``                            |
///
/// Names follow ElementTree's rules: an element in a namespace has the tag `{uri}local`, so the
/// path `Result` matches only an element in no namespace; write `{uri}Result`, `p:Result` with a
/// `namespaces` map, or `{*}Result` for any namespace (see ``XMLElementPath``).
struct XMLElementNode: Sendable, Hashable {
    /// The name as written in the document, prefix included (e.g. `cx:Result`).
    var qualifiedName: String
    /// The name without its prefix (e.g. `Result`).
    var localName: String
    /// The namespace URI the element is in, or `nil` when it is in no namespace.
    var namespaceURI: String?
    /// Attributes keyed like ElementTree: `name` for an unprefixed attribute, `{uri}name` for a
    /// prefixed one. Namespace declarations (`xmlns`, `xmlns:p`) are not attributes.
    var attributes: [String: String]
    /// The text before the first child element, or `nil` when there is none (ElementTree `.text`).
    var text: String?
    /// The text after this element's end tag up to the next sibling, or `nil` (ElementTree `.tail`).
    var tail: String?
    /// The child elements in document order.
    var children: [XMLElementNode]
    /// The 1-based line of the start tag (where its `>` is), for error positions.
    var line: Int

    /// Creates a node (the reader builds them; tests may too).
    init(
        qualifiedName: String, namespaceURI: String? = nil, attributes: [String: String] = [:], text: String? = nil,
        tail: String? = nil, children: [XMLElementNode] = [], line: Int = 1
    ) {
        self.qualifiedName = qualifiedName
        self.localName = XMLElementNode.localPart(of: qualifiedName)
        self.namespaceURI = namespaceURI
        self.attributes = attributes
        self.text = text
        self.tail = tail
        self.children = children
        self.line = line
    }

    /// ElementTree's tag: `{uri}local` for an element in a namespace, else the local name.
    var tag: String {
        guard let namespaceURI else { return localName }
        return "{\(namespaceURI)}\(localName)"
    }

    /// The attribute's value, or `nil` when it is absent (ElementTree `elem.get(name)`).
    ///
    /// `name` is `Severity`, `{uri}local`, or `p:local` when `namespaces` maps `p`.
    func attribute(_ name: String, namespaces: [String: String] = [:]) -> String? {
        if let value = attributes[name] { return value }
        if let colon = name.firstIndex(of: ":"), !name.hasPrefix("{"),
           let uri = namespaces[String(name[..<colon])] {
            return attributes["{\(uri)}\(name[name.index(after: colon)...])"]
        }
        return nil
    }

    /// The first element the path selects, or `nil` (ElementTree `elem.find(path)`).
    func find(_ path: String, namespaces: [String: String] = [:]) -> XMLElementNode? {
        if let name = XMLElementPath.simpleChildName(path, namespaces: namespaces) {
            return children.first { $0.localName == name.local && $0.namespaceURI == name.namespace }
        }
        return XMLElementPath(path, namespaces: namespaces).first(in: self)
    }

    /// Every element the path selects, in document order (ElementTree `elem.findall(path)`).
    func findAll(_ path: String, namespaces: [String: String] = [:]) -> [XMLElementNode] {
        if let name = XMLElementPath.simpleChildName(path, namespaces: namespaces) {
            return children.filter { $0.localName == name.local && $0.namespaceURI == name.namespace }
        }
        return XMLElementPath(path, namespaces: namespaces).all(in: self)
    }

    /// The text of the first element the path selects: `nil` when there is no such element, `""`
    /// when it has no text (ElementTree `elem.findtext(path)`).
    func findText(_ path: String, namespaces: [String: String] = [:]) -> String? {
        find(path, namespaces: namespaces).map { $0.text ?? "" }
    }

    /// The text of this element and all its descendants in document order, tails of descendants
    /// included (`"".join(elem.itertext())`).
    var allText: String {
        var result = ""
        appendAllText(to: &result)
        return result
    }

    private func appendAllText(to result: inout String) {
        if let text { result += text }
        for child in children {
            child.appendAllText(to: &result)
            if let tail = child.tail { result += tail }
        }
    }

    /// The position of the start tag, for ``ParseError``.
    var position: ParseError.Position { .text(line: line, column: 1) }

    /// An error located at this element, e.g. `node.error(.invalidValue, "…")`.
    func error(_ code: ParseError.Code, _ reason: String) -> ParseError {
        ParseError(code, reason, position: position)
    }

    /// The attribute's value, or a ``ParseError/Code/missingField`` error naming the element.
    func requiredAttribute(_ name: String, namespaces: [String: String] = [:]) throws(ParseError) -> String {
        guard let value = attribute(name, namespaces: namespaces) else {
            throw error(.missingField, "The <\(qualifiedName)> element has no \"\(name)\" attribute.")
        }
        return value
    }

    /// The first element the path selects, or a ``ParseError/Code/missingField`` error.
    func requiredElement(_ path: String, namespaces: [String: String] = [:]) throws(ParseError) -> XMLElementNode {
        guard let node = find(path, namespaces: namespaces) else {
            throw error(.missingField, "The <\(qualifiedName)> element has no <\(path)>.")
        }
        return node
    }

    /// The part of a qualified name after its prefix.
    static func localPart(of qualifiedName: String) -> String {
        guard let colon = qualifiedName.firstIndex(of: ":") else { return qualifiedName }
        return String(qualifiedName[qualifiedName.index(after: colon)...])
    }
}
