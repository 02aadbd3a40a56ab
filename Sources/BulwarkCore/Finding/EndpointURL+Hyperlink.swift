import Foundation

// A faithful subset of the `hyperlink` library (21.0) as DefectDojo's `Endpoint` uses it:
// `URL.from_text`, the `URL` constructor's fix-ups, `DecodedURL`, `normalize`, `to_uri` and
// `to_text`. Kept internal; `EndpointURL` is the public face.

/// Why `hyperlink` refused a URL.
enum HyperlinkFailure: Error {
    /// `URLParseError`: bad port, host or authority.
    case parse(String)
    /// `ValueError`/`TypeError` from the constructor (reserved characters, bad scheme).
    case value(String)
    /// Percent-escapes that do not decode to UTF-8 (`UnicodeDecodeError`).
    case undecodableEscapes

    var message: String {
        switch self {
        case .parse(let text), .value(let text): text
        case .undecodableEscapes: "percent-escapes are not valid UTF-8"
        }
    }
}

/// Default ports per scheme (`hyperlink.SCHEME_PORT_MAP`); a key mapped to `nil` has no default.
let schemeDefaultPorts: [String: Int?] = [
    "acap": 674, "afp": 548, "dict": 2628, "dns": 53, "file": nil, "ftp": 21, "git": 9418,
    "gopher": 70, "http": 80, "https": 443, "imap": 143, "ipp": 631, "ipps": 631, "irc": 194,
    "ircs": 6697, "ldap": 389, "ldaps": 636, "mms": 1755, "msrp": 2855, "msrps": nil, "mtqp": 1038,
    "nfs": 111, "nntp": 119, "nntps": 563, "pop": 110, "prospero": 1525, "redis": 6379,
    "rsync": 873, "rtsp": 554, "rtsps": 322, "rtspu": 5005, "sftp": 22, "smb": 445, "snmp": 161,
    "ssh": 22, "steam": nil, "svn": 3690, "telnet": 23, "ventrilo": 3784, "vnc": 5900, "wais": 210,
    "ws": 80, "wss": 443, "xmpp": nil,
]

func defaultPort(forScheme scheme: String) -> Int? {
    schemeDefaultPorts[scheme] ?? nil
}

/// A query parameter: key and optional value (`a` vs `a=`).
struct QueryPair: Equatable {
    var key: String
    var value: String?
}

/// Splitting helpers shared by parsing and formatting.
enum URLParts {
    /// `urllib.parse.urlsplit(uri).netloc`, the fallback DefectDojo uses for undecodable URLs.
    static func networkLocation(of uri: String) -> String {
        var rest = Substring(uri)
        if let colon = rest.firstIndex(of: ":"), colon != rest.startIndex {
            let candidate = rest[rest.startIndex..<colon]
            let schemeBytes = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.".utf8)
            if candidate.utf8.first.map({ $0.isASCIILetter }) == true, candidate.utf8.allSatisfy(schemeBytes.contains) {
                rest = rest[rest.index(after: colon)...]
            }
        }
        guard rest.hasPrefix("//") else { return "" }
        let afterSlashes = rest.dropFirst(2)
        let end = afterSlashes.firstIndex(where: { "/?#".contains($0) }) ?? afterSlashes.endIndex
        return String(afterSlashes[..<end])
    }

    /// Splits `a=1&b` into pairs the way `hyperlink` does (first `=` separates key and value).
    static func queryPairs(_ query: String) -> [QueryPair] {
        query.split(separator: "&", omittingEmptySubsequences: false).map { element in
            if let equals = element.firstIndex(of: "=") {
                return QueryPair(key: String(element[..<equals]), value: String(element[element.index(after: equals)...]))
            }
            return QueryPair(key: String(element), value: nil)
        }
    }
}

/// `hyperlink.URL`: the encoded form, with the constructor's validation and fix-ups.
struct HyperlinkURL {
    private(set) var scheme: String
    private(set) var host: String
    private(set) var path: [String]
    private(set) var query: [QueryPair]
    private(set) var fragment: String
    private(set) var port: Int?
    private(set) var rooted: Bool
    private(set) var userinfo: String
    private(set) var usesNetloc: Bool?

    /// The `URL.__init__` logic (scheme is never `None` in the paths DefectDojo uses).
    init(
        scheme: String, host: String, path: [String], query: [QueryPair], fragment: String,
        port: Int?, rooted: Bool?, userinfo: String, usesNetloc: Bool?
    ) throws(HyperlinkFailure) {
        let resolvedPort = port ?? defaultPort(forScheme: scheme)
        var path = path
        if !host.isEmpty, !query.isEmpty, path.isEmpty {
            // RFC 3986 6.2.3: an authority with an empty path normalises to "/".
            path = [""]
        }
        let schemeBytes = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+,-.".utf8)
        guard scheme.utf8.allSatisfy(schemeBytes.contains) else {
            throw .value("invalid scheme: \(scheme)")
        }
        if host.utf8.contains(0x3A), !IPAddressSyntax.isIPv6(host) {
            throw .parse("invalid IPv6 host: \(host)")
        }
        func reject(_ text: String, _ delimiters: String, _ what: String) throws(HyperlinkFailure) {
            let forbidden = Array(delimiters.utf8)
            if text.utf8.contains(where: forbidden.contains) {
                throw .value("one or more reserved delimiters \(delimiters) present in \(what): \(text)")
            }
        }
        try reject(host, "/?#@", "host")
        for segment in path { try reject(segment, "/?#", "path segment") }
        for pair in query {
            try reject(pair.key, "&=#", "query parameter name")
            if let value = pair.value { try reject(value, "&#", "query parameter value") }
        }
        try reject(userinfo, "/?#@", "userinfo")

        self.scheme = scheme
        self.host = host
        self.path = path
        self.query = query
        self.fragment = fragment
        self.port = resolvedPort
        self.userinfo = userinfo
        var rooted = rooted ?? !host.isEmpty
        var usesNetloc = usesNetloc ?? URLSchemes.usesNetloc(scheme)
        let willHaveAuthority = !host.isEmpty || (resolvedPort != nil && resolvedPort != 0 && resolvedPort != defaultPort(forScheme: scheme))
        if willHaveAuthority {
            rooted = true
            usesNetloc = true
        }
        if !rooted, self.path.first == "" {
            rooted = true
            self.path.removeFirst()
        }
        if !willHaveAuthority, !self.path.isEmpty, !rooted {
            usesNetloc = false
        }
        self.rooted = rooted
        self.usesNetloc = usesNetloc
    }

    /// `URL.from_text`. Works on UTF-8 bytes: every delimiter is ASCII.
    init(parsing text: String) throws(HyperlinkFailure) {
        let bytes = Array(text.utf8)
        func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        func firstIndex(in range: Range<Int>, of delimiters: [UInt8]) -> Int? {
            range.first { delimiters.contains(bytes[$0]) }
        }
        let colon: UInt8 = 0x3A, slash: UInt8 = 0x2F, question: UInt8 = 0x3F, hash: UInt8 = 0x23
        var start = 0
        var scheme = ""
        if let delimiter = firstIndex(in: 0..<bytes.count, of: [colon, slash, question, hash]),
           bytes[delimiter] == colon, delimiter > 0 {
            scheme = string(0..<delimiter)
            start = delimiter + 1
        }
        var usesNetloc = false
        var authority = 0..<0
        if start + 1 < bytes.count, bytes[start] == slash, bytes[start + 1] == slash {
            usesNetloc = true
            let end = firstIndex(in: (start + 2)..<bytes.count, of: [slash, question, hash]) ?? bytes.count
            authority = (start + 2)..<end
            start = end
        }
        var end = bytes.count
        var fragment = ""
        if let hashIndex = firstIndex(in: start..<end, of: [hash]) {
            fragment = string((hashIndex + 1)..<end)
            end = hashIndex
        }
        var queryText = ""
        if let questionIndex = firstIndex(in: start..<end, of: [question]) {
            queryText = string((questionIndex + 1)..<end)
            end = questionIndex
        }
        let pathText = string(start..<end)

        // Authority: [userinfo@]host[:port], host possibly "[ipv6]".
        var userinfo = ""
        var hostStart = authority.lowerBound
        if let at = firstIndex(in: authority, of: [0x40]) {
            userinfo = string(authority.lowerBound..<at)
            hostStart = at + 1
        }
        let hostPart = hostStart..<authority.upperBound
        var host = ""
        var portRange: Range<Int>?
        if let first = hostPart.first, bytes[first] == 0x5B,
           let close = firstIndex(in: hostPart, of: [0x5D]),
           firstIndex(in: (first + 1)..<close, of: [0x5B, slash, question, hash]) == nil,
           close + 1 == hostPart.upperBound || bytes[close + 1] == colon {
            host = string((first + 1)..<close)
            if close + 1 < hostPart.upperBound { portRange = (close + 2)..<hostPart.upperBound }
        } else {
            let hostEnd = firstIndex(in: hostPart, of: [colon, slash, question, hash, 0x5B, 0x5D]) ?? hostPart.upperBound
            host = string(hostPart.lowerBound..<hostEnd)
            if hostEnd < hostPart.upperBound {
                guard bytes[hostEnd] == colon else {
                    throw .parse("invalid host \(string(hostEnd..<hostPart.upperBound)) in url: \(text)")
                }
                portRange = (hostEnd + 1)..<hostPart.upperBound
            }
        }
        var port: Int?
        if let portRange {
            let portText = string(portRange)
            let trimmed = portText.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { throw .parse("port must not be empty: \(string(authority))") }
            let digits = trimmed.utf8.contains(0x5F) ? trimmed.replacingOccurrences(of: "_", with: "") : trimmed
            guard let value = Int(digits) else {
                throw .parse("expected integer for port, not \(portText)")
            }
            port = value
        }

        var path: [String] = []
        var rooted: Bool
        if !pathText.isEmpty {
            path = pathText.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            if path.first == "" {
                path.removeFirst()
                rooted = true
            } else {
                rooted = false
            }
        } else {
            rooted = !authority.isEmpty
        }
        let query = queryText.isEmpty ? [] : URLParts.queryPairs(queryText)
        try self.init(
            scheme: scheme, host: host, path: path, query: query, fragment: fragment,
            port: port, rooted: rooted, userinfo: userinfo, usesNetloc: usesNetloc)
    }

    /// `URL.normalize(scheme, host, path=normalizePath, query, fragment, userinfo, percents)`.
    func normalized(normalizingPath: Bool) throws(HyperlinkFailure) -> HyperlinkURL {
        let decode = PercentCoding.decodeUnreservedNormalizingCase
        let newScheme = scheme.lowercased()
        var newPath = path
        if normalizingPath {
            newPath = path.isEmpty ? [""] : HyperlinkURL.resolvingDotSegments(path).map(decode)
        }
        let newQuery = query.map { pair in
            QueryPair(key: decode(pair.key), value: pair.value.map { $0.isEmpty ? $0 : decode($0) })
        }
        let newUserinfo = HyperlinkURL.splitOnce(userinfo, ":").map(decode).joined(separator: ":")
        return try HyperlinkURL(
            scheme: newScheme, host: host.lowercased(), path: newPath, query: newQuery,
            fragment: decode(fragment), port: port, rooted: rooted, userinfo: newUserinfo,
            usesNetloc: newScheme == scheme ? usesNetloc : nil)
    }

    /// `URL.to_uri()`: everything non-ASCII or reserved percent-encoded, host in IDNA form.
    func toURI() throws(HyperlinkFailure) -> HyperlinkURL {
        let newUserinfo = HyperlinkURL.splitOnce(userinfo, ":")
            .map { PercentCoding.encode($0, keeping: PercentCoding.userinfoSafe) }
            .joined(separator: ":")
        let newPath = path.map { $0.isEmpty ? $0 : PercentCoding.encode($0, keeping: PercentCoding.pathSafe) }
        var newHost = host
        if !host.isEmpty {
            do {
                newHost = try IDNA.encode(host)
            } catch let failure {
                throw .value(failure.message)
            }
        }
        let newQuery = query.map { pair in
            QueryPair(
                key: PercentCoding.encode(pair.key, keeping: PercentCoding.queryKeySafe),
                value: pair.value.map { PercentCoding.encode($0, keeping: PercentCoding.queryValueSafe) })
        }
        return try HyperlinkURL(
            scheme: scheme, host: newHost, path: newPath, query: newQuery,
            fragment: PercentCoding.encode(fragment, keeping: PercentCoding.fragmentSafe),
            port: port, rooted: rooted, userinfo: newUserinfo, usesNetloc: usesNetloc)
    }

    /// `URL.to_text()` without the password. Parts are already encoded by `toURI()`.
    func toText() -> String {
        var hostPort = host.contains(":") ? "[\(host)]" : host
        if port != defaultPort(forScheme: scheme) {
            hostPort += ":" + (port.map(String.init) ?? "None")
        }
        var authority = hostPort
        if !userinfo.isEmpty {
            var visible = userinfo
            if let colon = visible.firstIndex(of: ":") {
                visible = String(visible[...colon])
            }
            authority = visible + "@" + hostPort
        }
        var pathParts = path
        if !pathParts.isEmpty, rooted { pathParts.insert("", at: 0) }
        let pathText = pathParts.joined(separator: "/")
        let queryText = query.map { pair in
            pair.value.map { "\(pair.key)=\($0)" } ?? pair.key
        }.joined(separator: "&")

        var text = ""
        if !scheme.isEmpty { text += scheme + ":" }
        if !authority.isEmpty {
            text += "//" + authority
        } else if !scheme.isEmpty, !pathText.hasPrefix("//"), usesNetloc == true {
            text += "//"
        }
        if !pathText.isEmpty {
            if !scheme.isEmpty, !authority.isEmpty, !pathText.hasPrefix("/") { text += "/" }
            text += pathText
        }
        if !queryText.isEmpty { text += "?" + queryText }
        if !fragment.isEmpty { text += "#" + fragment }
        return text
    }

    /// RFC 3986 5.2.4 dot-segment removal on path segments.
    static func resolvingDotSegments(_ path: [String]) -> [String] {
        var segments: [String] = []
        for segment in path {
            if segment == "." {
                continue
            } else if segment == ".." {
                if !segments.isEmpty { segments.removeLast() }
            } else {
                segments.append(segment)
            }
        }
        if let last = path.last, last == "." || last == ".." {
            segments.append("")
        }
        return segments
    }

    /// Python's `text.split(separator, 1)`.
    static func splitOnce(_ text: String, _ separator: Character) -> [String] {
        guard let index = text.firstIndex(of: separator) else { return [text] }
        return [String(text[..<index]), String(text[text.index(after: index)...])]
    }
}
