import Crypto
import Foundation

/// AWS Signature Version 4 for requests sent with an `Authorization` header (no AWS SDK on Linux):
/// canonical request, string to sign, the HMAC-SHA256 signing-key chain and the header itself.
/// Follows AWS's rules for services other than S3: each path segment of the URL *as sent* is
/// URI-encoded again, query pairs are decoded, encoded and sorted, header values are trimmed with
/// inner runs of spaces collapsed. Checked against AWS's published SigV4 test-suite vectors.
public struct SigV4Signer: Sendable {
    /// An access key pair, with the session token of temporary credentials.
    public struct Credentials: Sendable {
        public var accessKeyID: String
        public var secretAccessKey: String
        public var sessionToken: String?

        public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
            self.accessKeyID = accessKeyID
            self.secretAccessKey = secretAccessKey
            self.sessionToken = sessionToken
        }
    }

    /// Everything computed for one signature, for tests and diagnostics (never logged: it names the key id).
    public struct Signature: Sendable, Equatable {
        public var canonicalRequest: String
        public var stringToSign: String
        public var signedHeaders: String
        public var signature: String
        public var authorization: String
    }

    public var credentials: Credentials
    public var region: String
    public var service: String

    public init(credentials: Credentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// Headers a proxy or the HTTP stack may add or rewrite: sent, never signed.
    static let unsignedHeaders: Set<String> = [
        "authorization", "user-agent", "accept", "accept-encoding", "connection", "content-length", "expect", "transfer-encoding",
        "x-amzn-trace-id",
    ]

    /// Adds `Host`, `X-Amz-Date`, `X-Amz-Security-Token` (temporary credentials) and `Authorization` to `request`,
    /// replacing earlier ones (a retried request is signed again with the time of the new attempt).
    public func sign(_ request: inout HTTPRequest, at date: Date) {
        let replaced: Set<String> = ["authorization", "x-amz-date", "x-amz-security-token"]
        request.headers.removeAll { replaced.contains($0.name.lowercased()) }
        if request.header("Host") == nil { request.headers.append(HTTPHeader("Host", Self.urlParts(request.url).authority)) }
        request.headers.append(HTTPHeader("X-Amz-Date", Self.amzDate(date)))
        if let token = credentials.sessionToken, !token.isEmpty { request.headers.append(HTTPHeader("X-Amz-Security-Token", token)) }
        request.headers.append(HTTPHeader("Authorization", signature(for: request, at: date).authorization))
    }

    /// The signature of `request` as it stands (its `Host` and `X-Amz-Date` headers must already be set).
    public func signature(for request: HTTPRequest, at date: Date) -> Signature {
        let parts = Self.urlParts(request.url)
        var grouped: [String: [String]] = [:]
        for header in request.headers where !Self.unsignedHeaders.contains(header.name.lowercased()) {
            grouped[header.name.lowercased(), default: []].append(Self.trimmed(header.value))
        }
        let names = grouped.keys.sorted()
        let signedHeaders = names.joined(separator: ";")
        let canonicalHeaders = names.map { "\($0):\(grouped[$0, default: []].joined(separator: ","))\n" }.joined()
        let canonicalRequest = [
            request.method.uppercased(), Self.canonicalPath(parts.path), Self.canonicalQuery(parts.query), canonicalHeaders, signedHeaders,
            Self.hex(SHA256.hash(data: request.body ?? [])),
        ].joined(separator: "\n")
        let amzDate = Self.amzDate(date)
        let day = String(amzDate.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, Self.hex(SHA256.hash(data: Array(canonicalRequest.utf8)))]
            .joined(separator: "\n")
        let key = Self.signingKey(secret: credentials.secretAccessKey, day: day, region: region, service: service)
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: SymmetricKey(data: key)))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Signature(canonicalRequest: canonicalRequest, stringToSign: stringToSign, signedHeaders: signedHeaders,
                         signature: signature, authorization: authorization)
    }

    /// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request")`.
    public static func signingKey(secret: String, day: String, region: String, service: String) -> [UInt8] {
        var key = Array("AWS4\(secret)".utf8)
        for part in [day, region, service, "aws4_request"] {
            key = Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: SymmetricKey(data: key)))
        }
        return key
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
    public static func amzDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return String(format: "%04d", c.year ?? 0) + two(c.month) + two(c.day) + "T" + two(c.hour) + two(c.minute) + two(c.second) + "Z"
    }

    /// The URL's authority (`host[:port]`), path (as written, `/` when empty) and raw query.
    static func urlParts(_ url: String) -> (authority: String, path: String, query: String) {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = String(rest[..<authorityEnd])
        rest = rest[authorityEnd...]
        let queryStart = rest.firstIndex(of: "?")
        let path = String(rest[..<(queryStart ?? rest.endIndex)])
        let query = queryStart.map { String(rest[rest.index(after: $0)...]) } ?? ""
        return (authority, path.isEmpty ? "/" : path, query)
    }

    /// Every byte of the path but unreserved characters and `/` percent-encoded (an already encoded path is encoded again).
    static func canonicalPath(_ path: String) -> String { encode(Array(path.utf8), keepSlash: true) }

    /// Query pairs decoded, re-encoded strictly and sorted by name, then value.
    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: true).map { item -> (String, String) in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = encode(decode(parts[0]), keepSlash: false)
            let value = parts.count > 1 ? encode(decode(parts[1]), keepSlash: false) : ""
            return (name, value)
        }
        return pairs.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    static func encode(_ bytes: [UInt8], keepSlash: Bool) -> String {
        var out = ""
        out.reserveCapacity(bytes.count)
        for byte in bytes {
            let isUnreserved = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
            if isUnreserved || (keepSlash && byte == 0x2F) {
                out.append(Character(UnicodeScalar(byte)))
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// Percent-decoding at the byte level (`+` stays a plus, as AWS reads queries); a malformed escape is kept as written.
    static func decode(_ text: Substring) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        func nibble(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 0x30...0x39: return byte - 0x30
            case 0x41...0x46: return byte - 0x41 + 10
            case 0x61...0x66: return byte - 0x61 + 10
            default: return nil
            }
        }
        while index < bytes.count {
            if bytes[index] == 0x25, index + 2 < bytes.count, let high = nibble(bytes[index + 1]), let low = nibble(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }

    /// Leading and trailing spaces removed, inner runs of whitespace collapsed to one space.
    static func trimmed(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
