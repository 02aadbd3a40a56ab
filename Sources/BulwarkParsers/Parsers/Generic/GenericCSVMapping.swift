import BulwarkCore
import Foundation

/// Generic Findings Import CSV rows → findings, following DefectDojo's `GenericCSVParser`.
enum GenericCSVMapping {
    private static let requiredColumns = ["Title", "Description", "Date", "Severity"]

    static func findings(from table: CSVTable) throws(ParseError) -> [Finding] {
        let missing = requiredColumns.filter { !table.header.contains($0) }
        if !missing.isEmpty {
            let names = missing.map { "\"\($0)\"" }.joined(separator: ", ")
            throw ParseError(.missingField, "Required CSV columns are missing: \(names).", position: .csv(line: 1, column: nil))
        }
        // Rows with the same severity, title and description are one finding seen several times.
        var order: [String] = []
        var merged: [String: Finding] = [:]
        for record in table.records {
            let finding = try finding(from: record)
            let key = "\(finding.severity.rawValue)|\(record["Title"] ?? "None")|\(record["Description"] ?? "None")"
            if var existing = merged[key] {
                existing.endpoints += finding.endpoints
                existing.vulnerabilityIDs += finding.vulnerabilityIDs
                existing.cwes += finding.cwes.filter { !existing.cwes.contains($0) }
                existing.numberOfOccurrences = (existing.numberOfOccurrences ?? 1) + 1
                merged[key] = existing
            } else {
                merged[key] = finding
                order.append(key)
            }
        }
        return order.compactMap { merged[$0] }
    }

    private static func finding(from record: CSVTable.Record) throws(ParseError) -> Finding {
        func position(_ column: String) -> ParseError.Position { .csv(line: record.line, column: column) }
        func date(_ column: String) throws(ParseError) -> ParsedDateTime {
            let text = record[column] ?? ""
            guard let parsed = DateParsing.flexible(text) else {
                throw ParseError(.invalidValue, "\"\(text)\" is not a date.", position: position(column))
            }
            return parsed
        }
        func flag(_ column: String) -> Bool {
            // DefectDojo: the value counts as true when it starts with "t" (any case).
            (record[column] ?? "").lowercased().hasPrefix("t")
        }
        func number(_ column: String) throws(ParseError) -> Double? {
            let text = PythonText.strip(record[column] ?? "")
            guard !text.isEmpty else { return nil }
            guard let value = Double(text) else {
                throw ParseError(.invalidValue, "\"\(text)\" is not a number.", position: position(column))
            }
            return value
        }

        // Unknown severities become Info in DefectDojo's CSV reader.
        let severity = Severity(rawValue: record["Severity"] ?? "") ?? .info
        var finding = Finding(title: record["Title"] ?? "", severity: severity, description: record["Description"] ?? "")
        finding.date = try date("Date").calendarDate
        finding.duplicate = record.has("Duplicate") ? flag("Duplicate") : false
        finding.numberOfOccurrences = 1
        if record.has("Active") { finding.active = flag("Active") }
        if record.has("IsMitigated") { finding.isMitigated = flag("IsMitigated") }
        if record.has("MitigatedDate") { finding.mitigated = try date("MitigatedDate").instant }
        if record.has("Mitigation") { finding.mitigation = record["Mitigation"] }
        if record.has("Impact") { finding.impact = record["Impact"] }
        if record.has("References") { finding.references = record["References"] }
        if record.has("Verified") { finding.verified = flag("Verified") }
        if record.has("FalsePositive") { finding.falsePositive = flag("FalsePositive") }
        if record.has("CVE") { finding.vulnerabilityIDs = [record["CVE"] ?? ""] }
        if let id = record["Vulnerability Id"], !id.isEmpty { finding.vulnerabilityIDs.append(id) }
        if record.has("CweId") {
            let text = PythonText.strip(record["CweId"] ?? "")
            if !text.isEmpty {
                guard let cwe = LooseFields.pythonInt(text) else {
                    throw ParseError(.invalidValue, "CWE \"\(text)\" is not a number.", position: position("CweId"))
                }
                finding.cwe = cwe
            }
        }
        if let text = record["CweIds"], !text.isEmpty {
            var numbers: [Int] = []
            for token in text.replacingOccurrences(of: ",", with: "\n").split(whereSeparator: { $0.isWhitespace }) {
                if let number = GenericJSONFinding.cweNumber(String(token)), !numbers.contains(number) { numbers.append(number) }
            }
            if !numbers.isEmpty {
                if finding.cwe == nil || finding.cwe == 0 { finding.cwe = numbers[0] }
                finding.cwes = numbers
            }
        }
        if record.has("epss_score") { finding.epssScore = try number("epss_score") }
        if record.has("epss_percentile") { finding.epssPercentile = try number("epss_percentile") }
        if record.has("CVSSV3") { finding.cvssV3 = CVSSVector.first(in: record["CVSSV3"] ?? "", versionPrefix: "CVSS:3.") }
        if record.has("CVSSV4") { finding.cvssV4 = CVSSVector.first(in: record["CVSSV4"] ?? "", versionPrefix: "CVSS:4.") }
        if record.has("CVSSV4_score") { finding.cvssV4Score = try number("CVSSV4_score") }
        if record.has("kev_date") { finding.kevDate = try date("kev_date").calendarDate }
        // DefectDojo uses Python's bool(text): any non-empty text is true.
        if record.has("known_exploited") { finding.knownExploited = !(record["known_exploited"] ?? "").isEmpty }
        if record.has("ransomware_used") { finding.ransomwareUsed = !(record["ransomware_used"] ?? "").isEmpty }
        if record.has("fix_available") { finding.fixAvailable = !(record["fix_available"] ?? "").isEmpty }
        if record.has("fix_version") { finding.fixVersion = record["fix_version"] }
        if let url = record["Url"], !url.isEmpty {
            do {
                finding.endpoints = [try EndpointURL.parse(url.contains("://") ? url : "//" + url)]
            } catch {
                throw ParseError(.invalidValue, "Url \"\(url)\" is not usable: \(error).", position: position("Url"))
            }
        }
        return finding
    }
}

/// Finds CVSS vectors in free text (the part of the `cvss` package DefectDojo uses).
enum CVSSVector {
    /// The first `CVSS:3.x/…` (or `CVSS:4.0/…`) vector in the text, `nil` when there is none.
    static func first(in text: String, versionPrefix: String) -> String? {
        guard let start = text.range(of: versionPrefix) else { return nil }
        let tail = text[start.lowerBound...]
        let vector = tail.prefix { !$0.isWhitespace && $0 != "," && $0 != ";" && $0 != "\"" && $0 != ")" }
        let parts = vector.split(separator: "/")
        guard parts.count >= 2, parts.dropFirst().allSatisfy({ $0.contains(":") }) else { return nil }
        return String(vector)
    }
}
