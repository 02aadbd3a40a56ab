import Plot

/// Plot's document type (this module's own `HTML` enum holds the login page's helpers).
typealias PlotHTML = Plot.HTML
/// The context of everything inside `<body>`.
typealias Body = Plot.HTML.BodyContext

/// Building blocks that escape by default. Plot escapes element text but not attribute values,
/// so every dynamic attribute goes through ``attr(_:_:)`` and every dynamic text through ``txt(_:)``.
extension Node {
    /// An attribute whose value is escaped.
    static func attr(_ name: String, _ value: String) -> Node {
        .attribute(named: name, value: HTML.escape(value), ignoreIfValueIsEmpty: false)
    }

    /// A boolean attribute (`checked`, `selected`) when `on`, nothing otherwise.
    static func flag(_ name: String, _ on: Bool) -> Node {
        on ? .attribute(named: name) : .empty
    }

    /// Text, escaped for element content.
    static func txt(_ text: String) -> Node {
        .raw(HTML.escape(text))
    }

    /// An element by name with attribute and child nodes.
    static func el(_ name: String, _ nodes: Node...) -> Node {
        .element(named: name, nodes: nodes)
    }

    /// An element by name with attribute and child nodes from an array.
    static func el(_ name: String, _ nodes: [Node]) -> Node {
        .element(named: name, nodes: nodes)
    }

    /// `<div class="…">`.
    static func box(_ className: String, _ nodes: Node...) -> Node {
        .element(named: "div", nodes: [.attr("class", className)] + nodes)
    }

    /// A group of nodes from an array (Plot's `group` with a short name for arrays built in loops).
    static func all(_ nodes: [Node]) -> Node { .group(nodes) }

    /// `node` when `condition`, nothing otherwise.
    static func when(_ condition: Bool, _ node: @autoclosure () -> Node) -> Node {
        condition ? node() : .empty
    }
}

extension Attribute {
    /// An attribute whose value is escaped (for elements that take attributes only, such as `input`).
    static func attr(_ name: String, _ value: String) -> Attribute {
        Attribute(name: name, value: HTML.escape(value), ignoreIfValueIsEmpty: false)
    }
}
