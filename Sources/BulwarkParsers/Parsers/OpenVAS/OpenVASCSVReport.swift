import BulwarkCore
import Foundation

/// The OpenVAS CSV results export: columns are matched by lower-cased name, in any order; rows
/// identical in endpoint, severity, title and description are kept once.
enum OpenVASCSVReport {
    private static let severities: Set<String> = ["Info", "Low", "Medium", "High", "Critical"]

    static func findings(in data: Data) throws(ParseError) -> [Finding] {
        let table = try CSVTable(data: data)
        let names = table.header.map { $0.lowercased() }
        if !table.header.isEmpty, !names.contains("nvt name"), !names.contains("summary") {
            throw ParseError(
                .unsupportedFormat, "The CSV has neither an \"NVT Name\" nor a \"Summary\" column: not an OpenVAS export.",
                position: .csv(line: 1, column: nil))
        }
        var findings: [Finding] = []
        var seen: Set<String> = []
        for record in table.records {
            var finding = Finding(title: "", severity: .info)
            var endpoint = EndpointURL(protocol: "", host: "")
            var ip: String?
            for (index, value) in record.values.enumerated() {
                guard index < names.count else {
                    throw ParseError(.malformedInput, "The row has more values than the header has columns.", position: .csv(line: record.line, column: nil))
                }
                let column = names[index]
                if column == "ip" { ip = value }
                try apply(column, value, to: &finding, endpoint: &endpoint, line: record.line, header: table.header[index])
            }
            if let ip, !ip.isEmpty { finding.description += "\n**IP**: \(ip)" }
            finding.endpoints = [endpoint]
            let key = endpoint.plainKey + "|" + finding.severity.rawValue + "|" + finding.title + "|" + finding.description
            if seen.insert(key).inserted { findings.append(finding) }
        }
        return findings
    }

    private static func apply(
        _ column: String, _ value: String, to finding: inout Finding, endpoint: inout EndpointURL, line: Int, header: String
    ) throws(ParseError) {
        switch column {
        case "timestamp":
            guard let date = DateParsing.flexible(value)?.calendarDate else {
                throw ParseError(.invalidValue, "The timestamp \"\(value)\" is not a date.", position: .csv(line: line, column: header))
            }
            finding.date = date
        case "nvt name": finding.title = value
        case "cweid": if !value.isEmpty, value.utf8.allSatisfy({ (0x30...0x39).contains($0) }) { finding.cwe = Int(value.prefix(9)) }
        case "port": if !value.isEmpty, value.utf8.allSatisfy({ (0x30...0x39).contains($0) }) { endpoint.port = Int(value.prefix(9)) }
        case "cves":
            guard !value.isEmpty else { return }
            if value.contains(",") {
                finding.description += "\n**All CVEs:** " + value
                finding.vulnerabilityIDs += value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            } else {
                finding.vulnerabilityIDs.append(value)
            }
        case "nvt oid": finding.vulnerabilityIDs += cves(in: value)
        case "port protocol": if !value.isEmpty { endpoint.protocol = value }
        case "ip": if endpoint.host?.isEmpty ?? true { endpoint.host = PythonText.strip(value) }
        case "hostname": if !value.isEmpty { endpoint.host = PythonText.strip(value) }
        case "severity": finding.severity = severities.contains(value) ? Severity(rawValue: value) ?? .info : .info
        case "cvss":
            guard !value.isEmpty else { return }
            guard let score = Double(PythonText.strip(value)) else {
                throw ParseError(.invalidValue, "The CVSS \"\(value)\" is not a number.", position: .csv(line: line, column: header))
            }
            finding.cvssV3Score = score
        case "summary": finding.description = value
        case "solution": finding.mitigation = value
        case "vulnerability insight": finding.impact = value
        case "specific result": finding.references = value
        case "active": if let flag = bool(value) { finding.active = flag }
        case "verified": if let flag = bool(value) { finding.verified = flag }
        case "falsepositive": if let flag = bool(value) { finding.falsePositive = flag }
        case "duplicate": if let flag = bool(value) { finding.duplicate = flag }
        default: break
        }
    }

    private static func bool(_ value: String) -> Bool? {
        switch value.lowercased() {
        case "true": true
        case "false": false
        default: nil
        }
    }

    /// Every `CVE-dddd-dddd…` (4 to 7 digits after the year) in the text.
    static func cves(in text: String) -> [String] {
        let bytes = Array(text.utf8)
        func digits(from start: Int) -> Int {
            var end = start
            while end < bytes.count, (0x30...0x39).contains(bytes[end]) { end += 1 }
            return end - start
        }
        var result: [String] = []
        var index = 0
        while index + 13 <= bytes.count {
            guard bytes[index] == 0x43, bytes[index + 1] == 0x56, bytes[index + 2] == 0x45, bytes[index + 3] == 0x2D,
                  digits(from: index + 4) >= 4, bytes[index + 8] == 0x2D else {
                index += 1
                continue
            }
            let count = min(digits(from: index + 9), 7)
            guard count >= 4 else { index += 1; continue }
            let end = index + 9 + count
            result.append(String(decoding: bytes[index..<end], as: UTF8.self))
            index = end
        }
        return result
    }
}

extension EndpointURL {
    /// `protocol://host:port` as the CSV parser's duplicate key spells an endpoint.
    fileprivate var plainKey: String {
        "\(self.protocol ?? "")|\(host ?? "")|\(port.map(String.init) ?? "")"
    }
}
