import BulwarkCore
import Foundation

/// A minimal element tree of an HTML document, enough to read sonar-report's tables the way
/// DefectDojo does with lxml: each element keeps its `text` (before the first child) and
/// `tail` (after it, up to the next sibling), entity references decoded.
final class SonarQubeHTMLNode {
    let name: String
    let attributes: [(String, String?)]
    var text: String?
    var tail: String?
    var children: [SonarQubeHTMLNode] = []

    init(name: String, attributes: [(String, String?)]) {
        self.name = name
        self.attributes = attributes
    }

    func attribute(_ name: String) -> String? {
        attributes.first { $0.0 == name }.flatMap(\.1)
    }

    /// Descendants named `name` in document order (lxml's `iter(name)` without the element itself).
    func descendants(named name: String) -> [SonarQubeHTMLNode] {
        var found: [SonarQubeHTMLNode] = []
        var stack = children.reversed() as [SonarQubeHTMLNode]
        while let node = stack.popLast() {
            if node.name == name { found.append(node) }
            stack.append(contentsOf: node.children.reversed())
        }
        return found
    }

    /// The first descendant named `name`, in document order.
    func firstDescendant(named name: String) -> SonarQubeHTMLNode? {
        var stack = children.reversed() as [SonarQubeHTMLNode]
        while let node = stack.popLast() {
            if node.name == name { return node }
            stack.append(contentsOf: node.children.reversed())
        }
        return nil
    }

    /// The rule description DefectDojo derives from this element: its serialisation (text
    /// escaped as lxml writes it, ASCII with character references), cut before the first
    /// `<h2>See`, `<h2>`/`</h2>` turned into `**`, tags stripped, whitespace trimmed.
    var ruleDescription: String {
        var output = ""
        var stopped = false
        append(to: &output, stopped: &stopped, isRoot: true)
        return PythonText.strip(output)
    }

    private func append(to output: inout String, stopped: inout Bool, isRoot: Bool) {
        if name == "h2", attributes.isEmpty {
            if (text ?? "").hasPrefix("See") {
                stopped = true
                return
            }
            output += "**"
        }
        output += Self.escaped(text ?? "")
        for child in children {
            child.append(to: &output, stopped: &stopped, isRoot: false)
            if stopped { return }
        }
        if name == "h2" { output += "**" }
        output += Self.escaped(tail ?? "")
    }

    /// lxml's text serialisation with the default ASCII encoding.
    static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\r": result += "&#13;"
            default:
                if scalar.isASCII { result.unicodeScalars.append(scalar) } else { result += "&#\(scalar.value);" }
            }
        }
        return result
    }
}

/// Builds a ``SonarQubeHTMLNode`` tree from ``HTMLTokenizer`` events, closing void elements at
/// once and an open `td`/`th`/`tr`/`li`/`p` when a sibling starts, like an HTML parser.
enum SonarQubeHTMLTreeBuilder {
    private static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    ]

    /// Elements where libxml2 keeps whitespace-only text (its `allowPCData` list).
    private static let keepsBlankText: Set<String> = [
        "a", "abbr", "acronym", "address", "applet", "b", "bdo", "big", "blockquote", "body", "button", "caption",
        "center", "cite", "code", "dd", "del", "dfn", "div", "dt", "em", "font", "form", "h1", "h2", "h3", "h4", "h5",
        "h6", "i", "iframe", "ins", "kbd", "label", "legend", "li", "map", "menu", "object", "ol", "p", "pre", "q", "s",
        "samp", "small", "span", "strike", "strong", "td", "th", "tt", "u", "ul", "var",
    ]

    private static func isBlank(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    /// libxml2's `areBlanks`: whitespace-only text is dropped unless it follows text, or follows
    /// (or opens) an element of `keepsBlankText`.
    private static func dropsBlank(in parent: SonarQubeHTMLNode) -> Bool {
        if parent.name == "html" || parent.name == "head" { return true }
        guard let last = parent.children.last else {
            return parent.text == nil && !keepsBlankText.contains(parent.name)
        }
        return last.tail == nil && !keepsBlankText.contains(last.name)
    }

    /// The deepest nesting accepted (libxml2's HTML parser stops at 256 without its "huge"
    /// option); deeper documents are refused so recursion over the tree stays shallow.
    static let maximumDepth = 512

    /// The implicit root (its children are the document's top-level elements).
    /// - Throws: ``ParseError`` `limitExceeded` for elements nested deeper than ``maximumDepth``.
    static func build(_ html: String) throws(ParseError) -> SonarQubeHTMLNode {
        let root = SonarQubeHTMLNode(name: "#document", attributes: [])
        var stack = [root]
        func appendText(_ text: String) {
            guard let current = stack.last else { return }
            if isBlank(text), dropsBlank(in: current) { return }
            if let last = current.children.last {
                last.tail = (last.tail ?? "") + text
            } else {
                current.text = (current.text ?? "") + text
            }
        }
        func close(upTo name: String, stoppingAt barriers: Set<String>) {
            guard let index = stack.lastIndex(where: { $0.name == name || barriers.contains($0.name) }),
                  index > 0, stack[index].name == name else { return }
            stack.removeSubrange(index...)
        }
        // libxml2 reads "\r\n" and a lone "\r" as "\n".
        let normalized = html.contains("\r") ? html.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") : html
        for event in HTMLTokenizer.tokenize(normalized) {
            switch event {
            case .startTag(let name, let attributes, let selfClosing):
                switch name {
                case "td", "th":
                    close(upTo: "td", stoppingAt: ["tr", "table"])
                    close(upTo: "th", stoppingAt: ["tr", "table"])
                case "tr":
                    close(upTo: "tr", stoppingAt: ["table", "tbody", "thead", "tfoot"])
                case "li":
                    close(upTo: "li", stoppingAt: ["ul", "ol"])
                case "p", "div", "table", "ul", "ol", "pre", "h1", "h2", "h3", "h4", "details":
                    if stack.last?.name == "p" { stack.removeLast() }
                default:
                    break
                }
                let node = SonarQubeHTMLNode(name: name, attributes: attributes)
                stack.last?.children.append(node)
                if !selfClosing, !voidElements.contains(name) {
                    guard stack.count <= maximumDepth else {
                        throw ParseError(.limitExceeded, "The HTML nests elements deeper than \(maximumDepth) levels.")
                    }
                    stack.append(node)
                }
            case .endTag(let name):
                if let index = stack.lastIndex(where: { $0.name == name }), index > 0 {
                    stack.removeSubrange(index...)
                }
            case .text(let text):
                appendText(text)
            case .entity(let name):
                appendText(HTMLEntities.unescape("&\(name);"))
            case .characterReference(let reference):
                appendText(HTMLEntities.unescape("&#\(reference);"))
            }
        }
        return root
    }
}
