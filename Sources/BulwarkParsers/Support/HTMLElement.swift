/// One element of an HTML document as ``HTMLTreeBuilder`` builds it, shaped like an `lxml.html`
/// element: ``text`` is the text before the first child element, ``tail`` the text after the
/// element's end up to its next sibling. Comments are not kept.
final class HTMLElement {
    /// The lower-cased tag name.
    let name: String
    /// Attributes by lower-cased name (the first of repeated names); `nil` values are attributes
    /// written without `=`.
    let attributes: [String: String?]
    /// Text before the first child element (lxml `.text`).
    var text: String?
    /// Text after this element up to the next sibling (lxml `.tail`).
    var tail: String?
    /// Child elements in document order.
    var children: [HTMLElement] = []

    init(name: String, attributes: [String: String?] = [:]) {
        self.name = name
        self.attributes = attributes
    }

    /// An attribute's value; `""` for an attribute written without a value, `nil` when absent.
    func attribute(_ name: String) -> String? {
        guard let value = attributes[name] else { return nil }
        return value ?? ""
    }

    /// XPath `contains(@class, 'part')`: the class attribute holds the text anywhere.
    func classContains(_ part: String) -> Bool {
        attribute("class")?.contains(part) ?? false
    }

    /// lxml `.classes`: the whitespace-separated class names.
    var classNames: [Substring] {
        (attribute("class") ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}" })
    }

    /// The child elements with that name (XPath `name`).
    func children(named name: String) -> [HTMLElement] {
        children.filter { $0.name == name }
    }

    /// Whether any descendant satisfies the test (XPath `.//…[…]`).
    func hasDescendant(where test: (HTMLElement) -> Bool) -> Bool {
        var pending = children
        while let element = pending.popLast() {
            if test(element) { return true }
            pending += element.children
        }
        return false
    }

    /// The text of the element and its descendants, descendants' tails included, its own tail
    /// excluded (lxml `text_content()` and `"".join(itertext())`).
    var textContent: String {
        var result = ""
        appendText(to: &result)
        return result
    }

    private func appendText(to result: inout String) {
        // Iterative walk: (element, whether its children were visited).
        var pending: [(HTMLElement, Bool)] = [(self, false)]
        while let (element, visited) = pending.popLast() {
            if visited {
                if element !== self, let tail = element.tail { result += tail }
                continue
            }
            if let text = element.text { result += text }
            pending.append((element, true))
            for child in element.children.reversed() { pending.append((child, false)) }
        }
    }
}
