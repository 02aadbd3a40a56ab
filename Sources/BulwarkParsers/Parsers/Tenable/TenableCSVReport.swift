import BulwarkCore
import Foundation

/// Reads a Tenable/Nessus CSV export (comma or semicolon separated; Nessus, Tenable.io and
/// Tenable WAS column names) into findings, merging rows of the same severity, title, host,
/// port and synopsis.
enum TenableCSVReport {
    static func findings(in data: Data) throws(ParseError) -> [Finding] {
        let firstLine = data.prefix { $0 != 0x0A }
        let table: CSVTable
        if firstLine.contains(0x3B) {
            // Semicolon-separated: the CSV reader splits on commas only, so unquoted commas are
            // parked as U+001F while semicolons become commas, and restored in every value.
            table = try CSVTable(data: swappingSemicolons(data))
        } else {
            table = try CSVTable(data: data)
        }
        guard !table.header.isEmpty else { return [] }
        guard ["Name", "Plugin Name", "asset.name"].contains(where: table.header.contains) else {
            throw ParseError(
                .unsupportedFormat, "Invalid CSV file: missing 'Name', 'Plugin Name' or 'asset.name' field.",
                position: .csv(line: 1, column: nil))
        }
        var findings: [Finding] = []
        var indexByKey: [String: Int] = [:]
        for row in table.records {
            let title = get(row, "Name", get(row, "Plugin Name", get(row, "asset.name", nil))) ?? ""
            if title.isEmpty { continue }
            let severity = severity(of: row)
            let synopsis = get(row, "Synopsis", get(row, "definition.synopsis", nil))
            let key = severity.rawValue + title + (get(row, "Host", get(row, "asset.host_name", "No host")) ?? "None")
                + (get(row, "Port", get(row, "asset.port", "No port")) ?? "None") + (synopsis ?? "No synopsis")
            if indexByKey[key] == nil {
                indexByKey[key] = findings.count
                findings.append(try newFinding(row, title: title, severity: severity, description: synopsis ?? "N/A"))
            }
            guard let index = indexByKey[key] else { continue }
            let output = get(row, "Plugin Output", get(row, "output", "")) ?? "None"
            if !output.isEmpty { findings[index].description += "\n\n\(output)" }
            findings[index].vulnerabilityIDs += cves(in: get(row, "CVE", get(row, "definition.cve", "")) ?? "None")
            findings[index].endpoints.append(try endpoint(of: row))
        }
        return findings
    }

    private static func newFinding(_ row: CSVTable.Record, title: String, severity: Severity, description: String) throws(ParseError) -> Finding {
        var finding = Finding(title: title, severity: severity, description: description)
        if let text = value(row, "EPSS Score"), !text.isEmpty {
            let normalized = text.contains("0.") ? text : "0." + text
            guard let score = Double(PythonText.strip(normalized)) else {
                throw ParseError(.invalidValue, "The EPSS Score \"\(text)\" is not a number.", position: .csv(line: row.line, column: "EPSS Score"))
            }
            finding.epssScore = score
        }
        var justification = "Severity: \(severity.rawValue)\n"
        for field in [
            "VPR score", "EPSS Score", "Risk Factor", "STIG Severity", "CVSS v4.0 Base Score", "CVSS v4.0 Base+Threat Score",
            "CVSS v3.0 Base Score", "CVSS v3.0 Temporal Score", "Metasploit", "Core Impact", "CANVAS", "XREF",
        ] {
            justification += "\(field): \(get(row, field, "N/A") ?? "None")\n"
        }
        finding.severityJustification = justification
        finding.mitigation = get(row, "Solution", get(row, "definition.solution", get(row, "Steps to Remediate", "N/A"))) ?? "None"
        finding.impact = get(row, "Description", get(row, "definition.description", "N/A")) ?? "None"
        var references = row.has("References") ? (value(row, "References") ?? "") : ""
        references += get(row, "See Also", get(row, "definition.see_also", "N/A")) ?? ""
        references += "\nTenable Plugin ID: " + (get(row, "Plugin", "N/A") ?? "")
        references += "\nPlugin Information: " + (get(row, "Plugin Information", "N/A") ?? "")
        references += "\nPlugin Publication Date: " + (get(row, "Plugin Publication Date", "N/A") ?? "")
        references += "\nPlugin Modification Date: " + (get(row, "Plugin Modification Date", "N/A") ?? "")
        finding.references = references
        if let vector = value(row, "CVSS V3 Vector"), !vector.isEmpty {
            finding.cvssV3 = CVSS3Vector.cleaned("CVSS:3.0/" + vector)
        }
        if let score = get(row, "CVSSv3", get(row, "definition.cvss3.base_score", "")), !score.isEmpty {
            finding.cvssV3Score = Double(PythonText.strip(score))
        }
        if let cpe = firstCPE(in: get(row, "CPE", get(row, "definition.cpe", "")) ?? "") {
            // cpe:/part:vendor:product:version…
            let parts = cpe.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            finding.componentName = parts.count > 3 && !parts[3].isEmpty ? parts[3] : nil
            finding.componentVersion = parts.count > 4 && !parts[4].isEmpty ? parts[4] : nil
        }
        finding.cwe = 0
        return finding
    }

    /// `row.get(column, default)`: the default only when the header lacks the column.
    private static func get(_ row: CSVTable.Record, _ column: String, _ fallback: String?) -> String? {
        row.has(column) ? value(row, column) : fallback
    }

    /// The column's value with parked commas (see ``swappingSemicolons(_:)``) restored.
    private static func value(_ row: CSVTable.Record, _ column: String) -> String? {
        guard let text = row[column] else { return nil }
        return text.contains("\u{1F}") ? text.replacingOccurrences(of: "\u{1F}", with: ",") : text
    }

    private static func severity(of row: CSVTable.Record) -> Severity {
        var raw = get(row, "Risk", get(row, "severity", "")) ?? ""
        if raw.isEmpty { raw = get(row, "Severity", "Info") ?? "" }
        if let number = Int(PythonText.strip(raw)) { return TenableXMLReport.severity(id: number) }
        return Severity(rawValue: CheckmarxParser.pythonTitle(raw)) ?? .info
    }

    /// Every `CVE-n-n` in the text, upper-cased.
    private static func cves(in text: String) -> [String] {
        let upper = Array(text.uppercased().utf8)
        var result: [String] = []
        var index = 0
        let prefix = Array("CVE-".utf8)
        while index + prefix.count <= upper.count {
            guard Array(upper[index..<index + prefix.count]) == prefix else { index += 1; continue }
            var cursor = index + prefix.count
            let yearStart = cursor
            while cursor < upper.count, (0x30...0x39).contains(upper[cursor]) { cursor += 1 }
            guard cursor > yearStart, cursor < upper.count, upper[cursor] == 0x2D else { index += 1; continue }
            cursor += 1
            let numberStart = cursor
            while cursor < upper.count, (0x30...0x39).contains(upper[cursor]) { cursor += 1 }
            guard cursor > numberStart else { index += 1; continue }
            result.append(String(decoding: upper[index..<cursor], as: UTF8.self))
            index = cursor
        }
        return result
    }

    /// The first `cpe:/…` up to a space or line break.
    private static func firstCPE(in text: String) -> String? {
        guard let start = text.range(of: "cpe:/") else { return nil }
        let rest = text[start.lowerBound...]
        let end = rest.firstIndex { $0 == " " || $0 == "\n" } ?? rest.endIndex
        return String(rest[..<end])
    }

    private static func endpoint(of row: CSVTable.Record) throws(ParseError) -> EndpointURL {
        var host = get(row, "Host", get(row, "asset.host_name", "")) ?? ""
        if host.isEmpty { host = get(row, "DNS Name", "") ?? "" }
        if host.isEmpty { host = get(row, "IP Address", "localhost") ?? "" }
        let protocolName = get(row, "Protocol", get(row, "protocol", "")).flatMap { $0.isEmpty ? nil : $0.lowercased() }
        let portText = get(row, "Port", get(row, "asset.port", "")) ?? ""
        var port: Int?
        if !portText.isEmpty {
            guard let number = Int(PythonText.strip(portText)) else {
                throw ParseError(.invalidValue, "The port \"\(portText)\" is not an integer.", position: .csv(line: row.line, column: "Port"))
            }
            port = number == 0 ? nil : number
        }
        if host.contains("://"), let url = try? EndpointURL.parse(host) { return url }
        return EndpointURL(protocol: protocolName, host: host, port: port)
    }

    /// Outside quoted fields: `;` → `,` and `,` → U+001F. A quote opens a quoted field only at
    /// the start of a field (elsewhere it is literal, as in Python's csv module).
    private static func swappingSemicolons(_ data: Data) -> Data {
        var output = Data(capacity: data.count)
        var quoted = false
        var fieldStart = true
        var justClosed = false
        for byte in data {
            if quoted {
                if byte == 0x22 { quoted = false; justClosed = true }
                output.append(byte)
                continue
            }
            let reopens = justClosed && byte == 0x22  // a doubled quote inside a quoted field
            justClosed = false
            switch byte {
            case 0x22 where fieldStart || reopens: quoted = true; output.append(byte)
            case 0x3B: output.append(0x2C)
            case 0x2C: output.append(0x1F)
            default: output.append(byte)
            }
            fieldStart = byte == 0x3B || byte == 0x0A || byte == 0x0D
        }
        return output
    }
}
