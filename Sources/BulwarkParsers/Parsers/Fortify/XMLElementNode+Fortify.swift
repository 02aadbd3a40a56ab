extension XMLElementNode {
    /// The first child with this local name, in any namespace (ElementTree `find("{*}name")`
    /// without compiling a path per call).
    func fortifyChild(_ localName: String) -> XMLElementNode? {
        children.first { $0.localName == localName }
    }

    /// The text of ``fortifyChild(_:)``: `""` when it has none, `nil` when there is no such child.
    func fortifyChildText(_ localName: String) -> String? {
        fortifyChild(localName).map { $0.text ?? "" }
    }
}
