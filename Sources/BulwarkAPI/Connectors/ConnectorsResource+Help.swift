import BulwarkConnectors

extension ConnectorsResource {
    /// The `extra` field's description in the API schema: the common fields, then each documented
    /// tool's help (where its secret is created and what it needs, its location, its `extra` fields).
    static var extraDescription: String {
        var lines = ["Tool-specific fields (organization, branch, org_ids, deployment_slug, page_size …)."]
        for descriptor in ConnectorRegistry.descriptors {
            guard let guide = ConnectorRegistry.guide(for: descriptor.tool) else { continue }
            var text = "\(descriptor.tool) (\(descriptor.name)): secret: \(guide.secret) Location: \(guide.location)"
            if !guide.locationChoices.isEmpty {
                text += " Choices: " + guide.locationChoices.map { "\($0.label) \($0.url)" }.joined(separator: ", ") + "."
            }
            let fields = guide.fields.keys.sorted().map { name in "`\(name)`: \(guide.fields[name] ?? "")" }
            if !fields.isEmpty { text += " Extra: " + fields.joined(separator: " ") }
            lines.append(text)
        }
        return lines.joined(separator: "\n")
    }
}
