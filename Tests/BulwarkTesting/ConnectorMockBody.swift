import Foundation

/// Request-body matching for ``MockToolServer`` routes: GraphQL operations (by `operationName` and
/// variables) and form-encoded token requests.
extension MockToolServer {
    /// A body as flat `key → value` pairs: JSON objects with dotted keys (`variables.filterBy.project.0`,
    /// `null` as `"null"`), else `application/x-www-form-urlencoded` fields.
    public static func flattenedBody(_ body: [UInt8]) -> [String: String] {
        var out: [String: String] = [:]
        if let json = try? JSONDecoder().decode(FlatJSON.self, from: Data(body)) {
            json.flatten(prefix: "", into: &out)
            return out
        }
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
                .map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0) }
            out[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return out
    }
}

/// Any JSON value, for flattening.
indirect enum FlatJSON: Decodable {
    case object([String: FlatJSON]), array([FlatJSON]), text(String), null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null } else if let bool = try? container.decode(Bool.self) {
            self = .text(bool ? "true" : "false")
        } else if let int = try? container.decode(Int.self) { self = .text(String(int)) } else if let double = try? container.decode(Double.self) {
            self = .text(String(double))
        } else if let text = try? container.decode(String.self) { self = .text(text) } else if let array = try? container.decode([FlatJSON].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: FlatJSON].self))
        }
    }

    func flatten(prefix: String, into out: inout [String: String]) {
        func key(_ name: String) -> String { prefix.isEmpty ? name : "\(prefix).\(name)" }
        switch self {
        case .object(let object): for (name, child) in object { child.flatten(prefix: key(name), into: &out) }
        case .array(let array): for (index, child) in array.enumerated() { child.flatten(prefix: key(String(index)), into: &out) }
        case .text(let text): out[prefix] = text
        case .null: out[prefix] = "null"
        }
    }
}

extension MockToolServer.Route {
    /// A GraphQL operation POSTed to `path`, matched on `operationName` and the given `variables.*` pairs.
    public static func graphQL(_ path: String, operation: String, variables: [String: String] = [:],
                               _ replies: [MockToolServer.Reply]) -> MockToolServer.Route {
        var route = MockToolServer.Route(path, replies, method: "POST")
        route.body = ["operationName": operation]
        for (name, value) in variables { route.body["variables.\(name)"] = value }
        return route
    }

    /// A POST answered without the auth header (a token endpoint), matched on the given body fields.
    public static func tokenEndpoint(_ path: String, form: [String: String] = [:], _ replies: [MockToolServer.Reply]) -> MockToolServer.Route {
        var route = MockToolServer.Route(path, replies, method: "POST")
        route.body = form
        route.anonymous = true
        return route
    }
}

extension MockToolServer.Recorded {
    /// The body's flat fields (see ``MockToolServer/flattenedBody(_:)``).
    public var bodyFields: [String: String] { body.isEmpty ? [:] : MockToolServer.flattenedBody(body) }
}
