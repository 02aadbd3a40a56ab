import BulwarkCore

/// Members a DefectDojo parser reads with `node["key"]`: missing ones are an error naming the path.
struct RequiredFields {
    let node: JSONValue
    let path: String

    /// The member as text (other scalars as Python prints them).
    func text(_ key: String) throws(ParseError) -> String {
        guard let value = node.text(key) else {
            throw ParseError(.missingField, "Required field \"\(key)\" is missing.", position: .jsonPath(path + JSONPath.member(key)))
        }
        return value
    }
}
