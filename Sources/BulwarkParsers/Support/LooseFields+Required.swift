extension LooseFields {
    /// A text member the format requires (DefectDojo reads it with `obj[key]`): a missing member
    /// is ``ParseError/Code/missingField``, null or a list/object is
    /// ``ParseError/Code/invalidValue``; numbers and booleans become their Python text.
    func required(_ key: String) throws(ParseError) -> String {
        guard contains(key) else {
            throw ParseError(.missingField, "Required field \"\(key)\" is missing.", position: position())
        }
        return try requiredText(key)
    }

    /// A member's value as Python's `str()` prints it, or `default` when absent or null
    /// (DefectDojo's `obj.get(key, default)` with the null case made lenient).
    func text(_ key: String, default fallback: String) -> String {
        guard let value = object[key], !value.isNull else { return fallback }
        return value.pythonString
    }

    /// A nested object member; absent or null gives an empty object (DefectDojo's `.get(key, {})`).
    func child(_ key: String) throws(ParseError) -> LooseFields {
        switch object[key] {
        case nil, .null?: return LooseFields(object: JSONObject(), path: path + JSONPath.member(key))
        case .object(let nested)?: return LooseFields(object: nested, path: path + JSONPath.member(key))
        default: throw ParseError(.invalidValue, "\"\(key)\" must be an object.", position: position(key))
        }
    }
}
