import BulwarkCore
import Foundation

/// Turns one Burp `<issue>` element into a finding (see BurpParser.swift for the mapping).
struct BurpIssueMapping {
    /// The finding and the text of `<host>`, the endpoint's URL.
    struct Issue {
        var finding: Finding
        var host: String
    }

    let issue: XMLElementNode

    private static let confidences = ["Certain": 1, "Firm": 4, "Tentative": 7]

    func finding() throws(ParseError) -> Issue {
        let serialNumber = try requiredText("serialNumber")
        let type = try requiredText("type")
        let title = try requiredText("name")
        let host = try requiredText("host")
        let location = try requiredText("location")
        let path = issue.findText("path") ?? ""
        let rawSeverity = try requiredText("severity")
        let severity = try Severity.sanitizedOrThrow(
            rawSeverity.lowercased() == "information" ? "Info" : rawSeverity,
            at: issue.find("severity")?.position)

        var pairs: [RequestResponsePair] = issue.findAll("requestresponse").map(Self.pair)
        let collaboration = collaboratorText(pairs: &pairs)

        var detail = concatenatedText("issueDetail")
        if !detail.isEmpty {
            detail = HTMLToText.convertUnwrapped(detail)
            if !collaboration.isEmpty {
                detail = HTMLToText.convertUnwrapped(detail + "<p>" + collaboration + "</p>")
            }
        }
        var remediation = concatenatedText("remediationBackground")
        if !remediation.isEmpty { remediation = HTMLToText.convertUnwrapped(remediation) }
        let remediationDetail = concatenatedText("remediationDetail")
        if !remediationDetail.isEmpty {
            remediation = HTMLToText.convertUnwrapped(remediationDetail + "\n") + remediation
        }

        var finding = Finding(title: title, severity: severity, description: "URL: " + host + path + "\n\n" + detail + "\n")
        finding.param = Self.parameter(in: location)
        finding.scannerConfidence = issue.findText("confidence").flatMap { Self.confidences[$0] }
        finding.mitigation = remediation
        finding.references = converted("references")
        finding.impact = converted("issueBackground")
        finding.dynamicFinding = true
        finding.staticFinding = false
        finding.uniqueIDFromTool = serialNumber
        finding.vulnIDFromTool = type
        finding.requestResponsePairs = pairs
        let cwes = issue.findAll("vulnerabilityClassifications").flatMap { Self.cweNumbers(in: $0.text ?? "") }
        if let first = cwes.first {
            finding.cwe = first
            finding.cwes = cwes
        }
        return Issue(finding: finding, host: host)
    }

    private func requiredText(_ name: String) throws(ParseError) -> String {
        guard let text = issue.find(name)?.text else {
            throw issue.error(.missingField, "An <issue> has no <\(name)> text.")
        }
        return text
    }

    /// The texts of every child with that name, joined (DefectDojo's `do_clean`).
    private func concatenatedText(_ name: String) -> String {
        issue.findAll(name).compactMap(\.text).joined()
    }

    private func converted(_ name: String) -> String {
        let html = concatenatedText(name)
        return html.isEmpty ? "" : HTMLToText.convertUnwrapped(html)
    }

    /// The sentences DefectDojo writes for DNS and HTTP collaborator interactions; their
    /// request/response pairs are appended to `pairs`.
    private func collaboratorText(pairs: inout [RequestResponsePair]) -> String {
        var text = ""
        for event in issue.findAll("collaboratorEvent") {
            let kind = event.findText("interactionType") ?? ""
            let origin = event.findText("originIp") ?? ""
            let time = event.findText("time") ?? ""
            if kind == "DNS" {
                text += "The Collaborator server received a DNS lookup of type \(event.findText("lookupType") ?? "")"
                    + " for the domain name \(event.findText("lookupHost") ?? "") at \(time) originating from \(origin). "
            }
            pairs += event.findAll("requestresponse").map(Self.pair)
            if kind == "HTTP" {
                text += "The Collaborator server received an HTTP request at \(time) originating from \(origin). "
            }
        }
        return text
    }

    private static func pair(_ node: XMLElementNode) -> RequestResponsePair {
        RequestResponsePair(request: message(node.find("request")), response: message(node.find("response")))
    }

    /// A request or response: base64-decoded unless the element says `base64="false"` (DefectDojo
    /// decodes every one, which turns plain text into noise; plain exports are kept as written).
    private static func message(_ node: XMLElementNode?) -> String {
        guard let node else { return "" }
        if node.attribute("base64") == "false" { return node.text ?? "" }
        return BurpBase64.decodedText(node.text)
    }

    /// The text between the first `[` and the last `]` on its line (`(?<=\[)(.*)(\])`).
    static func parameter(in location: String) -> String? {
        let scalars = Array(location.unicodeScalars)
        var start = 0
        while let open = scalars[start...].firstIndex(of: "[") {
            let lineEnd = scalars[(open + 1)...].firstIndex(where: { $0 == "\n" }) ?? scalars.endIndex
            if let close = scalars[(open + 1)..<lineEnd].lastIndex(of: "]") {
                var text = String.UnicodeScalarView()
                text.append(contentsOf: scalars[(open + 1)..<close])
                return String(text)
            }
            start = open + 1
        }
        return nil
    }

    /// Every `CWE-<digits>` in the text, as numbers (too large ones are skipped).
    static func cweNumbers(in text: String) -> [Int] {
        var numbers: [Int] = []
        let bytes = Array(text.utf8)
        var index = 0
        let prefix = Array("CWE-".utf8)
        while index + prefix.count < bytes.count {
            guard bytes[index..<(index + prefix.count)].elementsEqual(prefix) else {
                index += 1
                continue
            }
            var end = index + prefix.count
            while end < bytes.count, (0x30...0x39).contains(bytes[end]) { end += 1 }
            if end > index + prefix.count, let number = Int(String(decoding: bytes[(index + prefix.count)..<end], as: UTF8.self)) {
                numbers.append(number)
            }
            index = max(end, index + 1)
        }
        return numbers
    }
}

/// Burp's request and response texts, decoded like DefectDojo's `get_clean_base64`.
enum BurpBase64 {
    /// Base64-decodes the text (characters outside the alphabet are skipped, missing padding is
    /// added) and reads it as UTF-8 with replacement characters; `""` for no text. Text that
    /// cannot be base64 is kept as written.
    static func decodedText(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "" }
        guard let data = decodedData(text) else { return text }
        return String(decoding: data, as: UTF8.self)
    }

    /// The bytes of base64 text (characters outside the alphabet skipped, padding added), or
    /// `nil` when the text cannot be base64.
    static func decodedData(_ text: String) -> Data? {
        var alphabet: [UInt8] = []
        alphabet.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2B, 0x2F: alphabet.append(byte)
            default: continue
            }
        }
        guard alphabet.count % 4 != 1 else { return nil }
        while alphabet.count % 4 != 0 { alphabet.append(0x3D) }
        return Data(base64Encoded: Data(alphabet))
    }
}
