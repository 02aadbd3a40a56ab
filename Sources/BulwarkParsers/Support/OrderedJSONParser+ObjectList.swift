import Foundation

extension OrderedJSONParser {
    /// Parses a report that is an object holding one big list of objects (`{"Issues": [ … ]}`),
    /// handing each list element to `element` as soon as it is read, so the list never exists
    /// as one tree.
    ///
    /// - Parameters:
    ///   - member: The list member, e.g. `Issues`; `null` counts as an empty list.
    ///   - format: The format's name for error messages, e.g. `gosec output`.
    ///   - element: Called with each element (and its JSON path) and its index.
    /// - Returns: The object's other members.
    /// - Throws: ``ParseError/Code/unsupportedFormat`` when the document is not an object or has
    ///   no `member`; ``ParseError/Code/invalidValue`` when the member is not a list or an element
    ///   is not an object; whatever `element` throws.
    static func objectStreamingList(
        _ data: Data, member: String, format: String, element: (LooseFields, Int) throws(ParseError) -> Void
    ) throws(ParseError) -> JSONObject {
        let listPath = "$" + JSONPath.member(member)
        let topLevel = try parseObject(data, streaming: member) { (value, index) throws(ParseError) in
            let path = "\(listPath)[\(index)]"
            guard let object = value.objectValue else {
                throw ParseError(.invalidValue, "Each entry of \"\(member)\" must be an object.", position: .jsonPath(path))
            }
            try element(LooseFields(object: object, path: path), index)
        }
        guard case .object(let document, let sawMember) = topLevel else {
            throw ParseError(
                .unsupportedFormat, "The report is JSON but not \(format): expected an object with \"\(member)\".",
                position: .jsonPath("$"))
        }
        guard sawMember else {
            throw ParseError(
                .unsupportedFormat, "The report is JSON but not \(format): the \"\(member)\" list is missing.",
                position: .jsonPath("$"))
        }
        // A member that was not streamed is not a list; null means an empty one.
        if let value = document[member], !value.isNull {
            throw ParseError(.invalidValue, "\"\(member)\" must be a list.", position: .jsonPath(listPath))
        }
        return document
    }
}
