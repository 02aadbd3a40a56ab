/// A network location a dynamic finding was seen at, shaped like DefectDojo's `Endpoint`.
///
/// Parts are stored the way DefectDojo stores them: `protocol` without `://`, `path` without the
/// leading `/`, `query` without `?`, `fragment` without `#`. ``parse(_:)`` mirrors
/// `Endpoint.from_uri` (which uses the `hyperlink` library, so a missing port becomes the scheme's
/// default, e.g. 80 for `http`), ``cleaned()`` mirrors `Endpoint.clean()`, and ``canonicalString``
/// mirrors `str(Endpoint)`, the text that enters `hash_code` (import-semantics §6).
///
/// ```swift
/// let endpoint = try EndpointURL.parse("https://Example.com:443/a/b?x=1")
/// endpoint.port             // 443
/// endpoint.canonicalString  // "https://example.com/a/b?x=1"
/// ```
public struct EndpointURL: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The scheme, e.g. `https` (DefectDojo `protocol`).
    public var `protocol`: String?
    /// `user` or `user:password`.
    public var userinfo: String?
    /// Host name or IP address, without port.
    public var host: String?
    /// Port number; ``parse(_:)`` fills in the scheme's default port when the URL has none.
    public var port: Int?
    /// Path without its leading slash, e.g. `api/v1/items`.
    public var path: String?
    /// Query without `?`, e.g. `a=1&b`.
    public var query: String?
    /// Fragment without `#`.
    public var fragment: String?

    /// Creates an endpoint from parts, stored as given (like `Endpoint(**parts)`).
    public init(
        protocol: String? = nil, userinfo: String? = nil, host: String? = nil, port: Int? = nil,
        path: String? = nil, query: String? = nil, fragment: String? = nil
    ) {
        self.protocol = `protocol`
        self.userinfo = userinfo
        self.host = host
        self.port = port
        self.path = path
        self.query = query
        self.fragment = fragment
    }

    /// Why a URL could not be turned into an endpoint.
    public struct ParseFailure: Error, Sendable, Hashable, CustomStringConvertible {
        /// What was wrong, in DefectDojo's words where it has them.
        public let message: String
        /// `Invalid URL format: <message>`.
        public var description: String { "Invalid URL format: \(message)" }
    }

    /// Parses a URL the way DefectDojo's `Endpoint.from_uri` does.
    ///
    /// Percent-escapes are decoded, `+` in the query becomes a space, the host is lower-cased
    /// (when it is a valid DNS name), and the port defaults to the scheme's well-known port.
    /// Path, query and fragment are cut to 500, 1000 and 500 characters.
    ///
    /// - Parameter uri: A URL, or `//host[:port]/path` for one without a scheme.
    /// - Throws: ``ParseFailure`` for an unusable port, host or scheme.
    public static func parse(_ uri: String) throws(ParseFailure) -> EndpointURL {
        let decoded: DecodedURL
        do {
            decoded = try DecodedURL(parsing: uri)
        } catch .undecodableEscapes {
            // DefectDojo falls back to the bare network location when escapes are not UTF-8.
            do {
                decoded = try DecodedURL(parsing: "//" + URLParts.networkLocation(of: uri))
            } catch let fallback {
                throw ParseFailure(message: fallback.message)
            }
        } catch let failure {
            throw ParseFailure(message: failure.message)
        }
        return decoded.endpoint
    }

    /// A copy normalised like DefectDojo's `Endpoint.clean()`: leading `/` stripped from the path,
    /// one leading `?`/`#` stripped from query/fragment, empty parts turned into `nil`.
    public func cleaned() -> EndpointURL {
        var copy = self
        if let value = copy.protocol, value.isEmpty { copy.protocol = nil }
        if let value = copy.userinfo, value.isEmpty { copy.userinfo = nil }
        if let value = copy.path {
            let trimmed = String(value.drop(while: { $0 == "/" }))
            copy.path = trimmed.isEmpty ? nil : trimmed
        }
        if let value = copy.query {
            let trimmed = value.hasPrefix("?") ? String(value.dropFirst()) : value
            copy.query = trimmed.isEmpty ? nil : trimmed
        }
        if let value = copy.fragment {
            let trimmed = value.hasPrefix("#") ? String(value.dropFirst()) : value
            copy.fragment = trimmed.isEmpty ? nil : trimmed
        }
        return copy
    }

    /// The problems DefectDojo's `Endpoint.clean()` would report, empty when the endpoint is valid.
    public var validationProblems: [String] {
        var problems: [String] = []
        if let value = self.protocol, !EndpointURL.isValidProtocol(value) {
            problems.append("Protocol \"\(value)\" has invalid format")
        }
        if let value = userinfo, !EndpointURL.isValidUserinfo(value) {
            problems.append("Userinfo \"\(value)\" has invalid format")
        }
        if let value = host, !value.isEmpty {
            if !EndpointURL.isValidHostName(value), !IPAddressSyntax.isIPv4(value), !IPAddressSyntax.isIPv6(value) {
                problems.append("Host \"\(value)\" has invalid format")
            }
        } else {
            problems.append("Host must not be empty")
        }
        if let value = port, !(0..<65536).contains(value) {
            problems.append("Port \"\(value)\" has invalid format - out of range")
        }
        return problems
    }

    /// Same as ``canonicalString``.
    public var description: String { canonicalString }

    // MARK: Validation helpers (regexes of Endpoint.clean, written out)

    private static func isValidProtocol(_ text: String) -> Bool {
        // ^[A-Za-z][A-Za-z0-9\.\-\+]+$
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes[0].isASCIILetter else { return false }
        return bytes.dropFirst().allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B }
    }

    private static func isValidUserinfo(_ text: String) -> Bool {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_~%!$&'()*+,;=:".utf8)
        return !text.isEmpty && text.utf8.allSatisfy(allowed.contains)
    }

    private static func isValidHostName(_ text: String) -> Bool {
        // ^[A-Za-z0-9_\-\+][A-Za-z0-9_\.\-\+]+$
        let bytes = Array(text.utf8)
        func ok(_ byte: UInt8, dot: Bool) -> Bool {
            byte.isASCIILetter || byte.isASCIIDigit || byte == 0x5F || byte == 0x2D || byte == 0x2B || (dot && byte == 0x2E)
        }
        guard bytes.count >= 2, ok(bytes[0], dot: false) else { return false }
        return bytes.dropFirst().allSatisfy { ok($0, dot: true) }
    }
}

extension UInt8 {
    var isASCIILetter: Bool { (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) }
    var isASCIIDigit: Bool { (0x30...0x39).contains(self) }
    var isASCIIHexDigit: Bool { isASCIIDigit || (0x41...0x46).contains(self) || (0x61...0x66).contains(self) }
}
