import BulwarkConnectors
import Foundation
import Testing

/// The signer against AWS's published Signature Version 4 test suite (credentials `AKIDEXAMPLE`,
/// region `us-east-1`, service `service`, 2015-08-30T12:36:00Z): inputs and expected signatures
/// as AWS documents them.
@Suite("SigV4 signing: AWS test-suite vectors")
struct SigV4SignerTests {
    static let at = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z
    static let suiteSigner = SigV4Signer(
        credentials: .init(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1", service: "service")
    static let scope = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request"

    struct Vector: Sendable, CustomTestStringConvertible {
        var name: String
        var method: String
        var target: String
        var headers: [(String, String)] = []
        var body: String?
        var signedHeaders: String
        var signature: String
        var testDescription: String { name }
    }

    static let vectors: [Vector] = [
        Vector(name: "get-vanilla", method: "GET", target: "/", signedHeaders: "host;x-amz-date",
               signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        Vector(name: "get-vanilla-query-order-key-case", method: "GET", target: "/?Param2=value2&Param1=value1", signedHeaders: "host;x-amz-date",
               signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        Vector(name: "get-vanilla-empty-query-key", method: "GET", target: "/?Param1=value1", signedHeaders: "host;x-amz-date",
               signature: "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"),
        Vector(name: "get-vanilla-query-unreserved", method: "GET",
               target: "/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
               signedHeaders: "host;x-amz-date", signature: "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"),
        Vector(name: "get-vanilla-utf8-query", method: "GET", target: "/?\u{1234}=bar", signedHeaders: "host;x-amz-date",
               signature: "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
        Vector(name: "get-unreserved", method: "GET", target: "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
               signedHeaders: "host;x-amz-date", signature: "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
        Vector(name: "get-utf8", method: "GET", target: "/\u{1234}", signedHeaders: "host;x-amz-date",
               signature: "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
        Vector(name: "get-header-value-trim", method: "GET", target: "/", headers: [("My-Header1", " value1"), ("My-Header2", "\"a   b   c\"")],
               signedHeaders: "host;my-header1;my-header2;x-amz-date", signature: "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
        Vector(name: "get-header-key-duplicate", method: "GET", target: "/",
               headers: [("My-Header1", "value2"), ("My-Header1", "value2"), ("My-Header1", "value1")],
               signedHeaders: "host;my-header1;x-amz-date", signature: "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"),
        Vector(name: "post-vanilla", method: "POST", target: "/", signedHeaders: "host;x-amz-date",
               signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        Vector(name: "post-vanilla-query", method: "POST", target: "/?Param1=value1", signedHeaders: "host;x-amz-date",
               signature: "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"),
        Vector(name: "post-header-key-sort", method: "POST", target: "/", headers: [("My-Header1", "value1")],
               signedHeaders: "host;my-header1;x-amz-date", signature: "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"),
        Vector(name: "post-header-value-case", method: "POST", target: "/", headers: [("My-Header1", "VALUE1")],
               signedHeaders: "host;my-header1;x-amz-date", signature: "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"),
        Vector(name: "post-x-www-form-urlencoded", method: "POST", target: "/", headers: [("Content-Type", "application/x-www-form-urlencoded")],
               body: "Param1=value1", signedHeaders: "content-type;host;x-amz-date",
               signature: "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"),
    ]

    static func request(_ vector: Vector) -> HTTPRequest {
        HTTPRequest(method: vector.method, url: "https://example.amazonaws.com" + vector.target,
                    headers: vector.headers.map { HTTPHeader($0.0, $0.1) }, body: vector.body.map { Array($0.utf8) })
    }

    @Test("each published vector gives AWS's Authorization header", arguments: vectors)
    func vector(_ vector: Vector) {
        // Given
        var request = Self.request(vector)
        request.headers.append(HTTPHeader("User-Agent", "not signed"))
        // When
        Self.suiteSigner.sign(&request, at: Self.at)
        // Then
        #expect(request.header("Authorization") == "\(Self.scope), SignedHeaders=\(vector.signedHeaders), Signature=\(vector.signature)")
        #expect(request.header("X-Amz-Date") == "20150830T123600Z")
        #expect(request.header("Host") == "example.amazonaws.com")
    }

    @Test("get-vanilla: canonical request and string to sign exactly as published")
    func vanillaIntermediates() {
        // Given
        var request = Self.request(Self.vectors[0])
        request.headers = [HTTPHeader("Host", "example.amazonaws.com"), HTTPHeader("X-Amz-Date", "20150830T123600Z")]
        // When
        let result = Self.suiteSigner.signature(for: request, at: Self.at)
        // Then
        #expect(result.canonicalRequest == """
            GET
            /

            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(result.stringToSign == """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63
            """)
    }

    @Test("post-sts-header-before: a session token is sent and signed")
    func sessionToken() {
        // Given
        let token = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/"
            + "qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0"
            + "iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="
        var signer = Self.suiteSigner
        signer.credentials.sessionToken = token
        var request = HTTPRequest(method: "POST", url: "https://example.amazonaws.com/")
        // When
        signer.sign(&request, at: Self.at)
        // Then
        #expect(request.header("X-Amz-Security-Token") == token)
        #expect(request.header("Authorization") == "\(Self.scope), SignedHeaders=host;x-amz-date;x-amz-security-token, "
                + "Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead")
    }

    @Test("the signing key of AWS's documented example (IAM, 2012-02-15)")
    func signingKey() {
        let key = SigV4Signer.signingKey(secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", day: "20120215", region: "us-east-1", service: "iam")
        #expect(key.map { String(format: "%02x", $0) }.joined() == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }

    @Test("signing again replaces the previous date and signature; an encoded ARN path is encoded again")
    func resignAndPath() {
        // Given
        var request = HTTPRequest(method: "GET", url: "https://securityhub.us-east-1.amazonaws.com/findingAggregator/get/arn%3Aaws%3Ax/y")
        let signer = SigV4Signer(credentials: .init(accessKeyID: "AKID", secretAccessKey: "secret"), region: "us-east-1", service: "securityhub")
        // When
        signer.sign(&request, at: Self.at)
        signer.sign(&request, at: Self.at.addingTimeInterval(60))
        // Then
        #expect(request.headers.filter { $0.name == "Authorization" }.count == 1)
        #expect(request.header("X-Amz-Date") == "20150830T123700Z")
        #expect(signer.signature(for: request, at: Self.at).canonicalRequest.contains("/findingAggregator/get/arn%253Aaws%253Ax/y\n"))
    }
}
