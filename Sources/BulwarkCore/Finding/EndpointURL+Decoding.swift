import Foundation

// `hyperlink.parse(text)` (a `DecodedURL`) and the scheme table it consults, as DefectDojo's
// `Endpoint.from_uri` uses them.

/// Which schemes `hyperlink` knows to use `//` (only matters for URLs without a host).
enum URLSchemes {
    static let withoutNetloc: Set<String> = [
        "", "about", "bitcoin", "blob", "data", "geo", "magnet", "mailto", "news", "pkcs11", "sip",
        "sips", "tel", "urn",
    ]

    static func usesNetloc(_ scheme: String) -> Bool? {
        if withoutNetloc.contains(scheme) { return false }
        if schemeDefaultPorts.keys.contains(scheme) { return true }
        return nil
    }
}

/// `hyperlink.DecodedURL` as produced by `hyperlink.parse(text)`.
struct DecodedURL {
    let encoded: HyperlinkURL
    let host: String
    let userinfo: [String]
    let path: [String]
    let query: [QueryPair]
    let fragment: String

    init(parsing text: String) throws(HyperlinkFailure) {
        let url = try HyperlinkURL(parsing: text)
        func decode(_ part: String) throws(HyperlinkFailure) -> String {
            guard let decoded = PercentCoding.decodeAll(part) else { throw .undecodableEscapes }
            return decoded
        }
        encoded = url
        host = IDNA.decodeHost(url.host)
        var userinfo: [String] = []
        for part in HyperlinkURL.splitOnce(url.userinfo, ":") { userinfo.append(try decode(part)) }
        self.userinfo = userinfo
        var path: [String] = []
        for segment in url.path { path.append(try decode(segment)) }
        self.path = path
        var query: [QueryPair] = []
        for pair in url.query {
            // hyperlink treats "+" in a query as a space before decoding.
            let key = try decode(DecodedURL.plusAsSpace(pair.key))
            var value: String?
            if let raw = pair.value { value = try decode(DecodedURL.plusAsSpace(raw)) }
            query.append(QueryPair(key: key, value: value))
        }
        self.query = query
        fragment = try decode(url.fragment)
    }

    /// The `Endpoint` that `Endpoint.from_uri` builds from this URL.
    var endpoint: EndpointURL {
        let queryText = query.map { pair in pair.value.map { "\(pair.key)=\($0)" } ?? pair.key }
            .joined(separator: "&")
        let hasPath = !(path.isEmpty || path == [""])
        let hasUserinfo = !(userinfo.isEmpty || userinfo == [""])
        return EndpointURL(
            protocol: encoded.scheme.isEmpty ? nil : encoded.scheme,
            userinfo: hasUserinfo ? userinfo.joined(separator: ":") : nil,
            host: host.isEmpty ? nil : host,
            port: encoded.port,
            path: hasPath ? DecodedURL.prefix(path.joined(separator: "/"), 500) : nil,
            query: queryText.isEmpty ? nil : DecodedURL.prefix(queryText, 1000),
            fragment: fragment.isEmpty ? nil : DecodedURL.prefix(fragment, 500))
    }

    /// `+` means a space in a query (hyperlink's `query_plus_is_space`).
    static func plusAsSpace(_ text: String) -> String {
        text.utf8.contains(0x2B) ? text.replacingOccurrences(of: "+", with: " ") : text
    }

    /// Python's `text[:count]` (counts code points).
    static func prefix(_ text: String, _ count: Int) -> String {
        text.utf8.count <= count ? text : String(String.UnicodeScalarView(text.unicodeScalars.prefix(count)))
    }
}
