import BulwarkStorage
import Vapor

/// DRF's LimitOffsetPagination: `limit` (default 25, no maximum) and `offset`, with absolute
/// `next`/`previous` links built from the request and sorted query parameters, as DRF builds them.
public struct Pagination: Sendable {
    public static let defaultLimit = 25
    static let maximumValue = 1 << 40
    public var limit: Int
    public var offset: Int

    /// Reads `limit`/`offset`; invalid, zero or negative limits fall back to the default, bad offsets to 0.
    public init(request: Request) {
        let rawLimit = request.queryValue("limit").flatMap { Int($0) }
        // Bounded so that `offset + limit` cannot overflow; no real table comes near the bound.
        limit = (rawLimit ?? 0) > 0 ? min(rawLimit!, Self.maximumValue) : Self.defaultLimit
        let rawOffset = request.queryValue("offset").flatMap { Int($0) } ?? 0
        offset = min(max(0, rawOffset), Self.maximumValue)
    }

    /// The list envelope: `count`, `next`, `previous`, `results`, plus `prefetch` when given.
    public func envelope(count: Int, results: [JSONValue], request: Request, prefetch: JSONValue? = nil) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("count", .int(count)),
            ("next", nextLink(count: count, request: request).map(JSONValue.string) ?? .null),
            ("previous", previousLink(request: request).map(JSONValue.string) ?? .null),
            ("results", .array(results)),
        ]
        if let prefetch { pairs.append(("prefetch", prefetch)) }
        return .object(pairs)
    }

    /// The same envelope as ``envelope(count:results:request:prefetch:)`` written around `results`,
    /// the UTF-8 text of an already rendered JSON array, as a response body.
    public func envelopeBody(count: Int, resultsJSON results: [UInt8], request: Request, prefetch: JSONValue? = nil) -> ByteBuffer {
        var head: [UInt8] = []
        head.reserveCapacity(256)
        head.append(contentsOf: #"{"count":"#.utf8)
        JSONBytes.appendInt(count, to: &head)
        head.append(contentsOf: #","next":"#.utf8)
        if let next = nextLink(count: count, request: request) { JSONBytes.appendString(next, to: &head) } else { JSONBytes.appendNull(&head) }
        head.append(contentsOf: #","previous":"#.utf8)
        if let previous = previousLink(request: request) { JSONBytes.appendString(previous, to: &head) } else { JSONBytes.appendNull(&head) }
        head.append(contentsOf: #","results":"#.utf8)
        var tail: [UInt8] = []
        if let prefetch {
            tail.append(contentsOf: #","prefetch":"#.utf8)
            prefetch.write(into: &tail)
        }
        tail.append(UInt8(ascii: "}"))
        var buffer = ByteBufferAllocator().buffer(capacity: head.count + results.count + tail.count)
        buffer.writeBytes(head)
        buffer.writeBytes(results)
        buffer.writeBytes(tail)
        return buffer
    }

    func nextLink(count: Int, request: Request) -> String? {
        guard offset + limit < count else { return nil }
        return Self.link(request, replacing: ["limit": String(limit), "offset": String(offset + limit)], removing: [])
    }

    func previousLink(request: Request) -> String? {
        guard offset > 0 else { return nil }
        if offset - limit <= 0 { return Self.link(request, replacing: ["limit": String(limit)], removing: ["offset"]) }
        return Self.link(request, replacing: ["limit": String(limit), "offset": String(offset - limit)], removing: [])
    }

    /// The absolute URL of the request with some query parameters replaced or removed.
    static func link(_ request: Request, replacing: [String: String], removing: Set<String>) -> String {
        var pairs = request.queryPairs
        pairs.removeAll { replacing[$0.0] != nil || removing.contains($0.0) }
        pairs += replacing.map { ($0.key, $0.value) }
        // DRF re-encodes the query sorted by key (stable for repeated keys).
        let sorted = pairs.enumerated().sorted { $0.element.0 == $1.element.0 ? $0.offset < $1.offset : $0.element.0 < $1.element.0 }.map(\.element)
        let query = sorted.map { "\(quotePlus($0.0))=\(quotePlus($0.1))" }.joined(separator: "&")
        return baseURL(request) + request.url.path + (query.isEmpty ? "" : "?" + query)
    }

    /// `scheme://host[:port]` of the request, honouring `X-Forwarded-Proto` / `X-Forwarded-Host`.
    public static func baseURL(_ request: Request) -> String {
        let scheme = request.headers.first(name: "X-Forwarded-Proto")?.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? "http"
        let host = request.headers.first(name: "X-Forwarded-Host")?.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) }
            ?? request.headers.first(name: .host) ?? "localhost"
        return "\(scheme)://\(host)"
    }

    /// Python's `quote_plus`: unreserved characters kept, space as `+`, everything else percent-encoded.
    static func quotePlus(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            case UInt8(ascii: " "): out.append("+")
            default: out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}
