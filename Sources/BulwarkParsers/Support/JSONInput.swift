import BulwarkCore
import Foundation

extension ScanInput {
    /// Decodes the report as JSON into `T`, turning every failure into a ``ParseError`` that
    /// names the problem and its JSON path (or line and column for syntax errors).
    ///
    /// - Throws: ``ParseError`` with ``ParseError/Code/empty`` for an empty file,
    ///   ``ParseError/Code/malformedInput`` for invalid JSON, and the codes of ``JSONErrors``
    ///   for type and structure problems.
    func decodeJSON<T: Decodable>(_ type: T.Type, scanType: ScanType) throws(ParseError) -> T {
        var data = try readData()
        if data.starts(with: [0xEF, 0xBB, 0xBF]) {
            data = data.dropFirst(3)
        }
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            throw ParseError(.empty, "The report is empty.", scanType: scanType)
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as ParseError {
            throw error.naming(scanType)
        } catch let error as DecodingError {
            throw JSONErrors.parseError(from: error, data: data).naming(scanType)
        } catch {
            throw ParseError(.malformedInput, "The report could not be decoded.", scanType: scanType, cause: error)
        }
    }
}

/// Conversions from Foundation's `DecodingError` to ``ParseError``.
enum JSONErrors {
    /// Renders a coding path as `$.findings[3].title`.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = "$"
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else if key.stringValue.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" || $0 == "-" }),
                      !key.stringValue.isEmpty {
                text += "." + key.stringValue
            } else {
                text += "[\"\(key.stringValue)\"]"
            }
        }
        return text
    }

    static func parseError(from error: DecodingError, data: Data) -> ParseError {
        switch error {
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                // JSONDecoder gives no position for syntax errors; the ordered parser does.
                do {
                    _ = try OrderedJSONParser.parse(data)
                } catch let syntaxError {
                    return syntaxError
                }
            }
            if let parseError = context.underlyingError as? ParseError {
                return parseError
            }
            return ParseError(
                .invalidValue, "Unusable value: \(context.debugDescription)",
                position: .jsonPath(path(context.codingPath)), cause: error)
        case .keyNotFound(let key, let context):
            return ParseError(
                .missingField, "Required field \"\(key.stringValue)\" is missing.",
                position: .jsonPath(path(context.codingPath)), cause: error)
        case .typeMismatch(let type, let context):
            return ParseError(
                .invalidValue, "Expected \(describe(type)) but found something else.",
                position: .jsonPath(path(context.codingPath)), cause: error)
        case .valueNotFound(let type, let context):
            return ParseError(
                .invalidValue, "Expected \(describe(type)) but found null.",
                position: .jsonPath(path(context.codingPath)), cause: error)
        @unknown default:
            return ParseError(.malformedInput, "The report could not be decoded.", cause: error)
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        if type is String.Type { return "a string" }
        if type is Bool.Type { return "a boolean" }
        if type is Int.Type || type is Double.Type { return "a number" }
        let name = String(describing: type)
        if name.hasPrefix("Array") { return "an array" }
        if name.hasPrefix("Dictionary") { return "an object" }
        return "a JSON object"
    }
}
