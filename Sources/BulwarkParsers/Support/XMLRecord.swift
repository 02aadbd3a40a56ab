/// One record that ``XMLRecordReader`` hands over: the element subtree, and the context a parser
/// needs around it without the rest of the document being kept.
struct XMLRecord: Sendable {
    /// The record element with its whole subtree.
    var element: XMLElementNode
    /// The open elements around the record, root first: name, attributes and the text before their
    /// first child, but no children (they are not kept).
    var ancestors: [XMLElementNode]
    /// The header elements (see ``XMLRecordReader/headers``) that ended before this record, whole
    /// and in document order.
    var headers: [XMLElementNode]
    /// 0-based number of the record in the document.
    var index: Int

    /// The document's root element (without children), or the record itself when it is the root.
    var root: XMLElementNode {
        ancestors.first ?? element
    }

    /// The parent element (without children), or `nil` when the record is the root.
    var parent: XMLElementNode? {
        ancestors.last
    }

    /// The nearest enclosing element with that local name (without children), e.g. the `<Query>`
    /// around a Checkmarx `<Result>`.
    func ancestor(_ localName: String) -> XMLElementNode? {
        ancestors.last { $0.localName == localName }
    }

    /// The last header element with that local name seen before this record, e.g. `projectInfo`.
    func header(_ localName: String) -> XMLElementNode? {
        headers.last { $0.localName == localName }
    }
}

/// What ``XMLRecordReader/read(_:each:)`` saw of the document once it is read to the end.
struct XMLDocumentSummary: Sendable {
    /// The root element: name, attributes and text before its first child, no children.
    var root: XMLElementNode
    /// Every header element, whole, in document order (including those after the last record).
    var headers: [XMLElementNode]
    /// How many records were handed over.
    var recordCount: Int

    /// The last header element with that local name.
    func header(_ localName: String) -> XMLElementNode? {
        headers.last { $0.localName == localName }
    }
}
