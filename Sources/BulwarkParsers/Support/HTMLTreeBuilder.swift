/// Builds ``HTMLElement`` trees from ``HTMLTokenizer`` events with the tolerant rules of libxml2's
/// HTML parser (which `lxml.html` uses): implied `html`/`body`, void elements, start tags that
/// close an open `p`, `li`, `td`, `tr`…, end tags that close what lies between them and their
/// element unless a table or block boundary is in the way, stray end tags ignored, blank text
/// outside `body` dropped.
///
/// It streams: every element at ``sectionPath`` (e.g. `html/body/div/div`) is handed to the
/// section handler when it ends and then dropped, so memory holds one section, not the document.
/// Nesting deeper than ``maximumDepth`` is flattened (deeper start tags are ignored).
struct HTMLTreeBuilder {
    /// The deepest nesting kept.
    static let maximumDepth = 256

    private static let voidElements: Set<String> = [
        "area", "base", "basefont", "br", "col", "embed", "frame", "hr", "img", "input", "isindex", "keygen", "link",
        "meta", "param", "source", "track", "wbr",
    ]
    private static let headElements: Set<String> = ["title", "meta", "link", "style", "script", "base", "noscript"]
    private static let headings: Set<String> = ["h1", "h2", "h3", "h4", "h5", "h6"]
    private static let fontStyles: Set<String> = ["tt", "i", "b", "u", "s", "strike", "big", "small"]
    private static let preLike: Set<String> = ["pre", "listing", "xmp"]

    /// libxml2's `htmlStartClose`: a new element → the open elements it closes.
    private static let closedByStart: [String: Set<String>] = {
        var table: [String: Set<String>] = [
            "form": Set(["form", "p", "hr", "dl", "ul", "ol", "menu", "dir", "address", "head"]).union(headings).union(preLike),
            "head": ["p"],
            "title": ["p"],
            "body": ["head", "style", "script", "title"],
            "li": Set(["p", "dl", "address", "head", "li"]).union(headings).union(preLike),
            "hr": ["p", "head"],
            "dir": ["p", "head"],
            "address": Set(["p", "head", "ul"]),
            "pre": ["p", "head", "ul"],
            "listing": ["p", "head"],
            "xmp": ["p", "head"],
            "blockquote": ["p", "head"],
            "dl": Set(["p", "dt", "menu", "dir", "address", "head", "dd"]).union(preLike),
            "dt": Set(["p", "menu", "dir", "address", "head", "dd"]).union(preLike),
            "dd": Set(["p", "menu", "dir", "address", "head", "dt"]).union(preLike),
            "ul": Set(["p", "head", "ol", "menu", "dir", "address"]).union(preLike),
            "ol": ["p", "head", "ul"],
            "menu": ["p", "head", "ul"],
            "p": Set(["p", "head"]).union(headings).union(fontStyles),
            "div": ["p", "head"],
            "noscript": ["script"],
            "center": ["font", "b", "i", "p", "head"],
            "a": ["a", "head"],
            "caption": ["p"],
            "colgroup": ["caption", "colgroup", "col", "p"],
            "col": ["caption", "col", "p"],
            "table": Set(["p", "head", "a"]).union(headings).union(preLike),
            "th": ["th", "td", "p", "span", "font", "a", "b", "i", "u"],
            "td": ["th", "td", "p", "span", "font", "a", "b", "i", "u"],
            "tr": ["th", "td", "tr", "caption", "col", "colgroup", "p"],
            "thead": ["caption", "col", "colgroup"],
            "tfoot": ["th", "td", "tr", "caption", "col", "colgroup", "thead", "tbody", "p"],
            "tbody": ["th", "td", "tr", "caption", "col", "colgroup", "thead", "tfoot", "tbody", "p"],
            "optgroup": ["option"],
            "option": ["option"],
            "fieldset": Set(["legend", "p", "head", "a"]).union(headings).union(preLike),
        ]
        for heading in headings { table[heading] = Set(["p", "head"]).union(headings) }
        return table
    }()

    /// libxml2's `htmlGetEndPriority`: an end tag does not close past an element of higher priority.
    private static let endPriorities: [String: Int] = [
        "div": 150, "td": 160, "th": 160, "tr": 170, "thead": 180, "tbody": 180, "tfoot": 180, "table": 190,
        "head": 200, "body": 200, "html": 220,
    ]

    /// Tag names from the root down to the elements handed over as sections.
    let sectionPath: [String]
    /// Whether the document had an `<html>` or `<body>` start tag of its own.
    private(set) var sawDocumentTag = false
    private var stack: [HTMLElement] = []
    private var hasHead = false
    private var hasBody = false
    private let onSection: (HTMLElement) -> Void

    init(sectionPath: [String], onSection: @escaping (HTMLElement) -> Void) {
        self.sectionPath = sectionPath
        self.onSection = onSection
    }

    mutating func handle(_ event: HTMLEvent) {
        switch event {
        case .startTag(let name, let attributes, let selfClosing):
            start(name, attributes, selfClosing: selfClosing)
        case .endTag(let name):
            end(name)
        case .text(let text):
            appendText(text, isMarkup: false)
        case .entity(let name):
            appendText(HTMLEntities.named[name] ?? "&\(name);", isMarkup: true)
        case .characterReference(let reference):
            appendText(HTMLEntities.unescape("&#" + reference + ";"), isMarkup: true)
        }
    }

    /// Closes every open element (the end of the document).
    mutating func finish() {
        while !stack.isEmpty { pop() }
    }

    private mutating func start(_ name: String, _ rawAttributes: [(String, String?)], selfClosing: Bool) {
        var attributes: [String: String?] = [:]
        for (key, value) in rawAttributes where attributes[key] == nil { attributes[key] = value }
        switch name {
        case "html":
            sawDocumentTag = true
            if stack.isEmpty { push(HTMLElement(name: "html", attributes: attributes)) }
            return
        case "head":
            ensureHTML()
            if !hasHead, !hasBody, stack.count == 1 {
                hasHead = true
                push(HTMLElement(name: "head", attributes: attributes))
            }
            return
        case "body":
            sawDocumentTag = true
            ensureHTML()
            guard !hasBody else { return }
            while stack.count > 1 { pop() }
            hasBody = true
            push(HTMLElement(name: "body", attributes: attributes))
            return
        default:
            break
        }
        ensureHTML()
        if !hasBody, !Self.headElements.contains(name) { impliedBody() }
        while let top = stack.last, Self.closedByStart[name]?.contains(top.name) == true { pop() }
        guard stack.count < Self.maximumDepth else { return }
        let element = HTMLElement(name: name, attributes: attributes)
        attach(element)
        if !selfClosing, !Self.voidElements.contains(name) {
            stack.append(element)
        }
    }

    private mutating func end(_ name: String) {
        if name == "html" || name == "body" || name == "head" { return }
        let priority = Self.endPriorities[name] ?? 100
        var index = stack.count - 1
        while index >= 0 {
            if stack[index].name == name { break }
            if (Self.endPriorities[stack[index].name] ?? 100) > priority { return }
            index -= 1
        }
        guard index >= 0 else { return }
        while stack.count > index { pop() }
    }

    private mutating func appendText(_ text: String, isMarkup: Bool) {
        guard !text.isEmpty else { return }
        let isBlank = !isMarkup && text.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        if isBlank, dropsBlank() { return }
        if stack.isEmpty || stack.last?.name == "html" || stack.last?.name == "head" {
            ensureHTML()
            if stack.last?.name == "head" { pop() }
            if !hasBody { impliedBody() }
        }
        guard let top = stack.last else { return }
        if let last = top.children.last {
            last.tail = (last.tail ?? "") + text
        } else {
            top.text = (top.text ?? "") + text
        }
    }

    /// Blank text outside `body` is dropped; inside it is kept (as lxml keeps the line breaks
    /// between `<br>`s of Burp's reports).
    private func dropsBlank() -> Bool {
        guard let top = stack.last else { return true }
        return top.name == "html" || top.name == "head"
    }

    private mutating func ensureHTML() {
        if stack.isEmpty { push(HTMLElement(name: "html")) }
    }

    private mutating func impliedBody() {
        while stack.count > 1 { pop() }
        hasBody = true
        push(HTMLElement(name: "body"))
    }

    private mutating func push(_ element: HTMLElement) {
        attach(element)
        stack.append(element)
    }

    private func attach(_ element: HTMLElement) {
        stack.last?.children.append(element)
    }

    /// Closes the innermost open element, handing it over when it is a section.
    private mutating func pop() {
        guard let element = stack.last else { return }
        let isSection = stack.count == sectionPath.count && zip(stack, sectionPath).allSatisfy { $0.0.name == $0.1 }
        stack.removeLast()
        guard isSection else { return }
        onSection(element)
        // Keep a childless stand-in so the parent's later text still lands in a tail.
        if let parent = stack.last, let index = parent.children.indices.last {
            parent.children[index] = HTMLElement(name: element.name)
        }
    }
}
