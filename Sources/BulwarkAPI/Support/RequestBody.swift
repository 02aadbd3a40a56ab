import BulwarkStorage
import Vapor

/// Reads a CRUD request body (JSON, urlencoded form or multipart form) into field values.
///
/// Form values arrive as strings (repeated keys as lists); the validator converts them with
/// DRF's leniency, so one code path serves every content type.
public enum RequestBody {
    /// The body as a field map; empty when there is no body.
    public static func fields(of request: Request) throws -> [String: JSONValue] {
        guard let buffer = request.body.data, buffer.readableBytes > 0 else { return [:] }
        let contentType = request.headers.contentType
        switch (contentType?.type, contentType?.subType) {
        case ("application", "json"), (nil, nil):
            // Keys keep their order and a repeated key's last value wins, as Python's json module does.
            guard let value = JSONValue.parseOrdered(String(decoding: buffer.readableBytesView, as: UTF8.self)) else { throw APIError.malformedJSON }
            guard case .object(let pairs) = value else {
                throw APIError.field("non_field_errors", "Invalid data. Expected a dictionary, but got \(kindName(value)).")
            }
            return Dictionary(pairs, uniquingKeysWith: { _, last in last })
        case ("application", "x-www-form-urlencoded"):
            return collect(parseURLEncoded(String(buffer: buffer)))
        case ("multipart", "form-data"):
            guard let boundary = contentType?.parameters["boundary"] else { throw APIError.message(.badRequest, "Multipart form parse error - boundary missing") }
            return collect(try parseMultipart(buffer, boundary: boundary))
        default:
            throw APIError.unsupportedMediaType(contentType?.serialize() ?? "")
        }
    }

    static func collect(_ pairs: [(String, String)]) -> [String: JSONValue] {
        var grouped: [String: [String]] = [:]
        for (key, value) in pairs { grouped[key, default: []].append(value) }
        return collect(grouped)
    }

    /// Form values as fields: one value is a string, repeated keys a list.
    static func collect(_ grouped: [String: [String]]) -> [String: JSONValue] {
        grouped.mapValues { $0.count == 1 ? .string($0[0]) : .array($0.map(JSONValue.string)) }
    }

    /// Splits `a=1&b=x+y` into decoded pairs.
    public static func parseURLEncoded(_ text: String) -> [(String, String)] {
        text.split(separator: "&").compactMap { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let rawKey = parts.first else { return nil }
            let decode: (Substring) -> String = { text in
                // Most names and values need no decoding: skip Foundation's work for them.
                guard text.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) else { return String(text) }
                return text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            return (decode(rawKey), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// Every part of a multipart body as a text field (CRUD bodies carry no files).
    static func parseMultipart(_ buffer: ByteBuffer, boundary: String) throws -> [String: [String]] {
        let state = MultipartUpload.State(maxBytes: .max, fileField: nil)
        do {
            let parser = state.parser(boundary: boundary)
            try parser.feed(buffer.readableBytesView)
            try parser.finish()
        } catch {
            throw APIError.message(.badRequest, "Multipart form parse error - \(error)")
        }
        return state.upload.fields
    }

    static func kindName(_ value: JSONValue) -> String {
        switch value {
        case .array: return "list"
        case .string: return "str"
        case .int: return "int"
        case .double: return "float"
        case .bool: return "bool"
        case .null: return "NoneType"
        case .object: return "dict"
        }
    }
}
