import BulwarkCore
import Foundation

/// The Qualys CSV exports: the host detection list (`Title`, `QID`, `Severity`, …) and the
/// `VULN TITLE` variant. Rows of the same QID become one finding whose CVEs and endpoints
/// accumulate. See QualysParser.swift for the mapping.
enum QualysCSVReport {
    private static let activeStatuses: Set<String> = ["Active", "Re-Opened", "New"]
    /// The CSV parser's own legacy table, looked up by the cell's exact text.
    private static let legacySeverities: [String: Severity] = ["1": .info, "2": .low, "3": .medium, "4": .high, "5": .critical]

    static func findings(in data: Data) throws(ParseError) -> [Finding] {
        let table = try CSVTable(data: data)
        if !table.header.isEmpty, !table.header.contains("Title"), !table.header.contains("VULN TITLE") {
            throw ParseError(
                .unsupportedFormat, "The CSV has neither a \"Title\" nor a \"VULN TITLE\" column: not a Qualys export.",
                position: .csv(line: 1, column: nil))
        }
        var findings: [Finding] = []
        var indexByQID: [String: Int] = [:]
        for row in table.records {
            let title = row["Title"] ?? ""
            let vulnTitle = row["VULN TITLE"] ?? ""
            guard (!title.isEmpty && title != "Title") || !vulnTitle.isEmpty else { continue }
            let qid = row["QID"] ?? "None"
            let index: Int
            if let known = indexByQID[qid] {
                index = known
            } else {
                index = findings.count
                indexByQID[qid] = index
                findings.append(try title.isEmpty ? vulnTitleFinding(row, qid: qid) : titleFinding(row, qid: qid))
            }
            findings[index].vulnerabilityIDs += cves(row.has("CVE ID") ? row["CVE ID"] : row["CVEID"])
            findings[index].verified = true
            findings[index].endpoints.append(endpoint(row))
        }
        return findings
    }

    private static func titleFinding(_ row: CSVTable.Record, qid: String) throws(ParseError) -> Finding {
        let threat = row["Threat"] ?? "None"
        let severity = row["Severity"].flatMap { legacySeverities[$0] } ?? .info
        var finding = Finding(
            title: "QID-\(qid) | \(row["Title"] ?? "None")", severity: severity,
            description: "\(threat)\nResult Evidence: \n\(threat)")
        finding.mitigation = row["Solution"]
        finding.impact = row["Impact"]
        finding.vulnIDFromTool = qid
        finding.date = row["Last Detected"].flatMap { QualysFields.strptime($0, "%m/%d/%Y %H:%M:%S")?.calendarDate }
        let vector: String?
        if row.has("CVSS3 Base") {
            vector = cvssVector(base: row["CVSS3 Base"], temporal: row["CVSS3 Temporal"])
        } else if row.has("CVSS3.1 Base") {
            vector = cvssVector(base: row["CVSS3.1 Base"], temporal: row["CVSS3.1 Temporal"])
        } else {
            vector = nil
        }
        if let vector, let data = CVSSVectorText.parse(vector), data.version == .v3 {
            finding.cvssV3 = data.cleanVector
            finding.cvssV3Score = data.score
        }
        if let fixed = row["Date Last Fixed"], !fixed.isEmpty {
            guard let instant = QualysFields.strptime(fixed, "%m/%d/%Y %H:%M:%S")?.instant else {
                throw ParseError(
                    .invalidValue, "The date \"\(fixed)\" is not like 05/25/2021 07:36:58.",
                    position: .csv(line: row.line, column: "Date Last Fixed"))
            }
            finding.mitigated = instant
            finding.isMitigated = true
        }
        finding.active = row["Vuln Status"].map(activeStatuses.contains) ?? false
        if finding.active {
            finding.mitigated = nil
            finding.isMitigated = false
        }
        return finding
    }

    private static func vulnTitleFinding(_ row: CSVTable.Record, qid: String) -> Finding {
        let threat = row["THREAT"] ?? "None"
        let raw = row["SEVERITY"] ?? ""
        let severity = Severity.sanitized(raw) ?? legacySeverities[raw] ?? .info
        var finding = Finding(
            title: "QID-\(qid) | \(row["VULN TITLE"] ?? "None")", severity: severity,
            description: "\(threat)\nResult Evidence: \n\(threat)")
        finding.mitigation = row["SOLUTION"]
        finding.impact = row["IMPACT"]
        finding.vulnIDFromTool = qid
        if let scan = row["LAST SCAN"], !scan.isEmpty {
            finding.date = DateParsing.flexible(PythonString.replace(scan, "Z", ""))?.calendarDate
        }
        return finding
    }

    /// The endpoint of a row: the FQDN (a URL when it has a scheme), else the DNS name, else the IP.
    private static func endpoint(_ row: CSVTable.Record) -> EndpointURL {
        if let fqdn = row["FQDN"], !fqdn.isEmpty {
            if fqdn.contains("://"), let url = try? EndpointURL.parse(fqdn) { return url }
            return EndpointURL(host: fqdn)
        }
        if let dns = row["DNS"], !dns.isEmpty { return EndpointURL(host: dns) }
        return EndpointURL(host: row["IP"])
    }

    /// `CVE-1, CVE-2` → each stripped; one value → itself stripped; empty → none.
    private static func cves(_ value: String?) -> [String] {
        guard let value, !value.isEmpty else { return [] }
        return PythonString.split(value, ",").map(PythonText.strip)
    }

    /// `CVSS:3.0/` + the vector of the base cell (`8.1 (AV:N/…)`) + `/` + the temporal one's;
    /// `nil` without a base cell (DefectDojo's `_extract_cvss_vectors`).
    static func cvssVector(base: String?, temporal: String?) -> String? {
        guard let base, !base.isEmpty else { return nil }
        var vector = "CVSS:3.0/"
        if let inner = scoredVector(base) { vector += inner }
        if let temporal, !temporal.isEmpty, let inner = scoredVector(temporal) { vector += "/" + inner }
        return vector
    }

    /// The group of `^\d{1,2}.\d \((.*)\)`: the text between ` (` and the last `)` of the first line.
    static func scoredVector(_ cell: String) -> String? {
        let scalars = Array(cell.unicodeScalars)
        func isDigit(_ index: Int) -> Bool { index < scalars.count && ("0"..."9").contains(scalars[index]) }
        let lineEnd = scalars.firstIndex(of: "\n") ?? scalars.count
        for width in [2, 1] where (0..<width).allSatisfy(isDigit) {
            let open = width + 2
            guard width < lineEnd, isDigit(width + 1), open + 1 < lineEnd, scalars[open] == " ", scalars[open + 1] == "(",
                  let close = scalars[(open + 2)..<lineEnd].lastIndex(of: ")") else { continue }
            return String(String.UnicodeScalarView(scalars[(open + 2)..<close]))
        }
        return nil
    }
}
