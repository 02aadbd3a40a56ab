import BulwarkHTTP
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
            let value: JSONValue
            do {
                value = try JSONValue.parseUntrusted(Array(buffer.readableBytesView), maxDepth: RequestLimits.maxJSONDepth)
            } catch .tooDeep(let limit) {
                throw APIError.message(.badRequest, "JSON request content is nested too deeply (more than \(limit) levels)")
            } catch {
                throw APIError.malformedJSON
            }
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
    public static func parseURLEncoded(_ text: String) -> [(String, String)] { FormURLEncoded.pairs(text) }

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
        if let problem = state.problem { throw problem }
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
