/// YAML output of a ``JSONValue``, for documents served as YAML by default (the OpenAPI schema).
///
/// Block style with two-space indents; every string and key is a double-quoted scalar using JSON's
/// escapes (valid YAML), so no value is ever re-typed by a YAML reader ("yes", "1.0", "null").
extension JSONValue {
    /// The value as a YAML document.
    public func yaml() -> String {
        var out = ""
        if isContainerWithItems {
            writeBlock(indent: 0, into: &out)
        } else {
            out += yamlScalar + "\n"
        }
        return out
    }

    private var isContainerWithItems: Bool {
        switch self {
        case .array(let items): return !items.isEmpty
        case .object(let pairs): return !pairs.isEmpty
        default: return false
        }
    }

    /// Scalars, and empty containers in flow style.
    private var yamlScalar: String {
        switch self {
        case .double(let value) where value.isFinite:
            // YAML 1.1 readers (PyYAML) need a dot to see a float: "1e-05" → "1.0e-05".
            var text = "\(value)"
            if !text.contains(".") {
                if let exponent = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
                    text.insert(contentsOf: ".0", at: exponent)
                } else {
                    text += ".0"
                }
            }
            return text
        case .array: return "[]"
        case .object: return "{}"
        default: return serializedString()
        }
    }

    private func writeBlock(indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        switch self {
        case .object(let pairs):
            for (key, value) in pairs {
                out += pad + JSONValue.string(key).serializedString() + ":"
                if value.isContainerWithItems {
                    out += "\n"
                    value.writeBlock(indent: indent + 2, into: &out)
                } else {
                    out += " " + value.yamlScalar + "\n"
                }
            }
        case .array(let items):
            for item in items {
                if item.isContainerWithItems {
                    out += pad + "-\n"
                    item.writeBlock(indent: indent + 2, into: &out)
                } else {
                    out += pad + "- " + item.yamlScalar + "\n"
                }
            }
        default:
            out += pad + yamlScalar + "\n"
        }
    }
}
