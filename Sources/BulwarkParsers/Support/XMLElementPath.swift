/// The subset of ElementTree's path language that ``XMLElementNode/find(_:namespaces:)`` and
/// ``XMLElementNode/findAll(_:namespaces:)`` understand, evaluated relative to a node.
///
/// Steps, separated by `/`:
/// - `tag`: a child in no namespace (or in the default namespace when `namespaces[""]` is set);
///   `{uri}tag`: a child in that namespace; `{}tag`: in no namespace; `{*}tag`: in any namespace
///   or none; `{uri}*`: any child in that namespace; `p:tag`: `p` looked up in `namespaces`.
/// - `*`: any child element. `.`: the current node. `//` before a step: any descendant.
/// - Predicates after a step: `[@attr]`, `[@attr='value']`, `[tag]` (has such a child),
///   `[tag='text']` (a child with that text), `[n]` (1-based position among the matches of one
///   parent), `[last()]`.
///
/// A path this subset cannot read (an absolute path, `..`, an unknown prefix) selects nothing.
struct XMLElementPath: Sendable {
    private enum NameTest: Sendable {
        case anyElement
        case name(namespace: String?, local: String)
        case anyNamespace(local: String)
        case anyLocal(namespace: String)

        func matches(_ node: XMLElementNode) -> Bool {
            switch self {
            case .anyElement: true
            case .name(let namespace, let local): node.localName == local && node.namespaceURI == namespace
            case .anyNamespace(let local): node.localName == local
            case .anyLocal(let namespace): node.namespaceURI == namespace
            }
        }
    }

    private enum Predicate: Sendable {
        case hasAttribute(String)
        case attributeEquals(String, String)
        case hasChild(NameTest)
        case childTextEquals(NameTest, String)
        case position(Int)
        case last
    }

    private struct Step: Sendable {
        var descendants: Bool
        /// `nil` for `.`.
        var test: NameTest?
        var predicates: [Predicate]
    }

    /// The compiled steps, or `nil` when the path is outside the supported subset.
    private let steps: [Step]?

    /// Compiles `path`; `namespaces` maps prefixes (and `""` for a default) to URIs.
    init(_ path: String, namespaces: [String: String] = [:]) {
        steps = Self.compile(path, namespaces: namespaces)
    }

    /// The first selected element, or `nil`.
    func first(in node: XMLElementNode) -> XMLElementNode? {
        all(in: node).first
    }

    /// Every selected element in document order.
    func all(in node: XMLElementNode) -> [XMLElementNode] {
        guard let steps else { return [] }
        var selection = [node]
        for step in steps {
            var next: [XMLElementNode] = []
            for context in selection {
                var matches: [XMLElementNode] = []
                if let test = step.test {
                    if step.descendants {
                        Self.collectDescendants(of: context, matching: test, into: &matches)
                    } else {
                        matches = context.children.filter { test.matches($0) }
                    }
                } else {
                    matches = step.descendants ? [context] + Self.descendants(of: context) : [context]
                }
                next += Self.apply(step.predicates, to: matches)
            }
            selection = next
            if selection.isEmpty { break }
        }
        return selection
    }

    private static func descendants(of node: XMLElementNode) -> [XMLElementNode] {
        var result: [XMLElementNode] = []
        collectDescendants(of: node, matching: .anyElement, into: &result)
        return result
    }

    private static func collectDescendants(of node: XMLElementNode, matching test: NameTest, into result: inout [XMLElementNode]) {
        for child in node.children {
            if test.matches(child) { result.append(child) }
            collectDescendants(of: child, matching: test, into: &result)
        }
    }

    private static func apply(_ predicates: [Predicate], to nodes: [XMLElementNode]) -> [XMLElementNode] {
        var nodes = nodes
        for predicate in predicates {
            switch predicate {
            case .hasAttribute(let name): nodes = nodes.filter { $0.attributes[name] != nil }
            case .attributeEquals(let name, let value): nodes = nodes.filter { $0.attributes[name] == value }
            case .hasChild(let test): nodes = nodes.filter { $0.children.contains(where: test.matches) }
            case .childTextEquals(let test, let value):
                nodes = nodes.filter { $0.children.contains { test.matches($0) && $0.allText == value } }
            case .position(let index): nodes = (index >= 1 && index <= nodes.count) ? [nodes[index - 1]] : []
            case .last: nodes = nodes.last.map { [$0] } ?? []
            }
        }
        return nodes
    }

    // MARK: Compiling

    private static func compile(_ path: String, namespaces: [String: String]) -> [Step]? {
        guard !path.isEmpty, !path.hasPrefix("/") else { return nil }
        if let name = simpleChildName(path, namespaces: namespaces) {
            return [Step(descendants: false, test: .name(namespace: name.namespace, local: name.local), predicates: [])]
        }
        var steps: [Step] = []
        var descendants = false
        for part in splitSteps(path) {
            if part.isEmpty {
                // An empty part comes from `//`: the next step searches descendants.
                guard !descendants else { return nil }
                descendants = true
                continue
            }
            guard let step = compileStep(part, descendants: descendants, namespaces: namespaces) else { return nil }
            steps.append(step)
            descendants = false
        }
        return descendants ? nil : steps
    }

    /// The element name of a one-step path (`name`, `{uri}name`), which ``XMLElementNode``
    /// matches against its children directly; `nil` for any other path.
    static func simpleChildName(_ path: String, namespaces: [String: String]) -> (namespace: String?, local: String)? {
        var local = Substring(path)
        var namespace = namespaces[""]
        if path.hasPrefix("{") {
            guard let close = path.firstIndex(of: "}") else { return nil }
            let uri = path[path.index(after: path.startIndex)..<close]
            guard uri != "*" else { return nil }
            namespace = uri.isEmpty ? nil : String(uri)
            local = path[path.index(after: close)...]
        }
        let plain = !local.isEmpty && local.utf8.allSatisfy { byte in
            byte != UInt8(ascii: "/") && byte != UInt8(ascii: "[") && byte != UInt8(ascii: "*") && byte != UInt8(ascii: ":")
                && byte != UInt8(ascii: "{") && byte != UInt8(ascii: "}")
        }
        guard plain, local != ".", local != ".." else { return nil }
        return (namespace, String(local))
    }

    /// Splits on `/` outside `{…}` and `[…]`.
    private static func splitSteps(_ path: String) -> [Substring] {
        var parts: [Substring] = []
        var start = path.startIndex
        var braces = 0
        var brackets = 0
        var index = path.startIndex
        while index < path.endIndex {
            switch path[index] {
            case "{": braces += 1
            case "}": braces = max(braces - 1, 0)
            case "[": brackets += 1
            case "]": brackets = max(brackets - 1, 0)
            case "/" where braces == 0 && brackets == 0:
                parts.append(path[start..<index])
                start = path.index(after: index)
            default: break
            }
            index = path.index(after: index)
        }
        parts.append(path[start...])
        return parts
    }

    private static func compileStep(_ part: Substring, descendants: Bool, namespaces: [String: String]) -> Step? {
        var name = part
        var predicates: [Predicate] = []
        if let open = part.firstIndex(of: "["), !part[..<open].contains("{") || part[..<open].contains("}") {
            name = part[..<open]
            var rest = part[open...]
            while let start = rest.first, start == "[" {
                guard let close = rest.firstIndex(of: "]"),
                      let predicate = compilePredicate(rest[rest.index(after: rest.startIndex)..<close], namespaces: namespaces)
                else { return nil }
                predicates.append(predicate)
                rest = rest[rest.index(after: close)...]
            }
            guard rest.isEmpty else { return nil }
        }
        if name == "." {
            return predicates.isEmpty ? Step(descendants: descendants, test: nil, predicates: []) : nil
        }
        guard let test = compileNameTest(name, namespaces: namespaces) else { return nil }
        return Step(descendants: descendants, test: test, predicates: predicates)
    }

    private static func compileNameTest(_ name: Substring, namespaces: [String: String]) -> NameTest? {
        if name == "*" { return .anyElement }
        if name.hasPrefix("{") {
            guard let close = name.firstIndex(of: "}") else { return nil }
            let uri = String(name[name.index(after: name.startIndex)..<close])
            let local = String(name[name.index(after: close)...])
            guard !local.isEmpty else { return nil }
            if uri == "*" { return local == "*" ? .anyElement : .anyNamespace(local: local) }
            if local == "*" { return uri.isEmpty ? nil : .anyLocal(namespace: uri) }
            return .name(namespace: uri.isEmpty ? nil : uri, local: local)
        }
        guard !name.isEmpty, !name.contains("{"), !name.contains("}"), name != ".." else { return nil }
        if let colon = name.firstIndex(of: ":") {
            guard let uri = namespaces[String(name[..<colon])] else { return nil }
            return .name(namespace: uri, local: String(name[name.index(after: colon)...]))
        }
        return .name(namespace: namespaces[""], local: String(name))
    }

    private static func compilePredicate(_ body: Substring, namespaces: [String: String]) -> Predicate? {
        if body == "last()" { return .last }
        if let index = Int(body) { return .position(index) }
        let (lhs, value) = splitComparison(body)
        if lhs.hasPrefix("@") {
            let name = String(lhs.dropFirst())
            guard !name.isEmpty else { return nil }
            return value.map { .attributeEquals(name, $0) } ?? .hasAttribute(name)
        }
        guard let test = compileNameTest(lhs, namespaces: namespaces) else { return nil }
        return value.map { .childTextEquals(test, $0) } ?? .hasChild(test)
    }

    /// `name='value'` or `name="value"` into its two sides; `(body, nil)` without `=`.
    private static func splitComparison(_ body: Substring) -> (Substring, String?) {
        guard let equals = body.firstIndex(of: "=") else { return (body, nil) }
        let quoted = body[body.index(after: equals)...]
        guard let quote = quoted.first, quote == "'" || quote == "\"", quoted.count >= 2, quoted.last == quote else {
            return (body, nil)
        }
        return (body[..<equals], String(quoted.dropFirst().dropLast()))
    }
}
