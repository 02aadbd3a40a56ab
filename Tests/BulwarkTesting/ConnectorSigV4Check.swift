import BulwarkConnectors
import Foundation

/// A mock server's SigV4 check, as AWS does it: the headers the `Authorization` header names are
/// taken from the request as received, the signature is computed again with the known secret and
/// compared. An unknown key id is answered 403 `UnrecognizedClientException`, a wrong signature 403
/// `InvalidSignatureException` (with `invalidSignatureBody` when given).
public enum ConnectorSigV4Check {
    public static func verifier(accessKeyID: String, secret: String, region: String, service: String,
                                invalidSignatureBody: [UInt8]? = nil) -> @Sendable (MockToolServer.Recorded) -> MockToolServer.Reply? {
        { request in
            func reject(_ type: String, _ message: String, body: [UInt8]? = nil) -> MockToolServer.Reply {
                MockToolServer.Reply(status: 403, headers: [("Content-Type", "application/json"), ("x-amzn-ErrorType", "\(type):http://internal.amazon.com/coral/")],
                                     body: body ?? Array(#"{"message":"\#(message)"}"#.utf8))
            }
            guard let authorization = request.header("Authorization"), authorization.hasPrefix("AWS4-HMAC-SHA256 Credential="),
                  let amzDate = request.header("X-Amz-Date"), let date = parse(amzDate) else {
                return reject("MissingAuthenticationTokenException", "Missing Authentication Token")
            }
            let fields = fieldsOf(authorization)
            guard let credential = fields["Credential"], let signed = fields["SignedHeaders"], fields["Signature"] != nil else {
                return reject("IncompleteSignatureException", "Incomplete signature")
            }
            guard credential.hasPrefix(accessKeyID + "/") else {
                return reject("UnrecognizedClientException", "The security token included in the request is invalid.")
            }
            let names = Set(signed.split(separator: ";").map(String.init))
            let headers = request.headers.filter { names.contains($0.0.lowercased()) }.map { HTTPHeader($0.0, $0.1) }
            let host = request.header("Host") ?? "localhost"
            let copy = HTTPRequest(method: request.method, url: "http://\(host)\(request.uri)", headers: headers,
                                   body: request.body.isEmpty ? nil : request.body)
            let signer = SigV4Signer(credentials: .init(accessKeyID: accessKeyID, secretAccessKey: secret), region: region, service: service)
            guard signer.signature(for: copy, at: date).authorization == authorization else {
                return reject("InvalidSignatureException", "The request signature we calculated does not match the signature you provided.",
                              body: invalidSignatureBody)
            }
            return nil
        }
    }

    /// `Credential=…, SignedHeaders=…, Signature=…` as a dictionary.
    static func fieldsOf(_ authorization: String) -> [String: String] {
        var fields: [String: String] = [:]
        let rest = authorization.dropFirst("AWS4-HMAC-SHA256 ".count)
        for part in rest.split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        return fields
    }

    /// `yyyyMMdd'T'HHmmss'Z'`.
    static func parse(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.date(from: text)
    }
}
