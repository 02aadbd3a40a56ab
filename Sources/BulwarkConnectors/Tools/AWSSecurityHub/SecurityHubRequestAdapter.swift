import Foundation

/// Signs every Security Hub request with SigV4 (service `securityhub`) at the time of each attempt,
/// and reads AWS's error types: a bad key id or secret answers 403, which is an invalid secret
/// here, not a missing permission; 401 `InvalidAccessException` means Security Hub is not enabled.
struct SecurityHubRequestAdapter: RequestAdapter {
    let signer: SigV4Signer
    let clock: @Sendable () -> Date

    /// Error types AWS (and moto) use when the key id is unknown or the signature does not verify.
    static let authenticationFailures: Set<String> = [
        "InvalidSignatureException", "UnrecognizedClientException", "SignatureDoesNotMatch", "InvalidClientTokenId",
        "IncompleteSignature", "IncompleteSignatureException", "MissingAuthenticationToken", "MissingAuthenticationTokenException",
        "ExpiredToken", "ExpiredTokenException", "InvalidToken",
    ]

    func prepare(_ request: inout HTTPRequest) { signer.sign(&request, at: clock()) }

    func failure(for response: HTTPResponse, call: String) -> ConnectorError? {
        guard let type = Self.errorType(response) else { return nil }
        if Self.authenticationFailures.contains(type), [400, 401, 403].contains(response.status) {
            return ConnectorError(.invalidSecret, call: call, "AWS rejected the access key or the signature (\(type))" + Self.message(response),
                                  status: response.status)
        }
        if type == "InvalidAccessException" {
            return ConnectorError(.error, call: call, "Security Hub is not enabled for this account in \(signer.region) (\(type))"
                                  + Self.message(response), status: response.status)
        }
        return nil
    }

    /// The error type from `x-amzn-ErrorType`, a JSON `__type`/`code`, or an XML `<Code>`.
    static func errorType(_ response: HTTPResponse) -> String? {
        if let header = response.header("x-amzn-ErrorType"), let type = header.split(separator: ":").first {
            return String(type).trimmingCharacters(in: .whitespaces)
        }
        let body = response.body.prefix(4096)
        if let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] {
            for key in ["__type", "code", "Code"] {
                if let value = object[key] as? String, let type = value.split(separator: "#").last { return String(type) }
            }
        }
        let text = String(decoding: body, as: UTF8.self)
        if let start = text.range(of: "<Code>"), let end = text.range(of: "</Code>", range: start.upperBound..<text.endIndex) {
            return String(text[start.upperBound..<end.lowerBound])
        }
        return nil
    }

    /// AWS's `message` (JSON `message`/`Message`, or XML `<Message>`), bounded; AWS messages do not echo secrets.
    static func message(_ response: HTTPResponse) -> String {
        let body = response.body.prefix(4096)
        var message: String?
        if let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] {
            message = (object["message"] ?? object["Message"]) as? String
        } else {
            let text = String(decoding: body, as: UTF8.self)
            if let start = text.range(of: "<Message>"), let end = text.range(of: "</Message>", range: start.upperBound..<text.endIndex) {
                message = String(text[start.upperBound..<end.lowerBound])
            }
        }
        guard let message, !message.isEmpty else { return "" }
        return ": " + String(message.filter { !$0.isNewline }.prefix(300))
    }
}
