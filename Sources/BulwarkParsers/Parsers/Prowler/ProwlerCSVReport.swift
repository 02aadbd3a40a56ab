import BulwarkCore
import Foundation

/// Reads Prowler CSV output (semicolon-separated, one check result per row); `PASS` rows are
/// skipped and rows with the same title and description kept once.
enum ProwlerCSVReport {
    static func findings(in data: Data) throws(ParseError) -> [Finding] {
        let table = try CSVTable(data: data, delimiter: ";")
        if !table.records.isEmpty, !table.header.contains("CHECK_TITLE"), !table.header.contains("STATUS") {
            throw ParseError(
                .unsupportedFormat,
                "The report is not Prowler CSV: the header (split at \";\") has neither CHECK_TITLE nor STATUS.",
                position: .csv(line: 1, column: nil))
        }
        var findings: [Finding] = []
        var seen: Set<String> = []
        for record in table.records {
            let row = Row(record: record, width: table.header.count)
            if row.optional("STATUS") == "PASS" { continue }
            let provider = try row.text("PROVIDER", default: "N/A").uppercased()
            var description = "**Cloud Type** : " + provider
            description += "\n\n**Description** : " + (try row.text("DESCRIPTION", default: "N/A"))
            description += "\n\n**Service Name** : " + (try row.text("SERVICE_NAME", default: "N/A"))
            description += "\n\n**Status Detail** : " + (try row.text("STATUS_EXTENDED", default: "N/A"))
            description += "\n\n**Finding Created Time** : " + (try row.text("TIMESTAMP", default: "N/A"))
            description += "\n\n**Region** : " + (try row.text("REGION", default: "N/A"))
            description += "\n\n**Notes** : " + (try row.text("NOTES", default: "N/A"))
            if let related = row.optional("RELATED_URL"), !related.isEmpty {
                description += "\n\n**Related URL** : " + related
            }
            if let additional = row.optional("ADDITIONAL_URLS"), !additional.isEmpty {
                description += "\n\n**Additional URLs** : " + additional
            }
            let mitigation = [
                ("Remediation Recommendation", "REMEDIATION_RECOMMENDATION_TEXT"),
                ("Remediation Recommendation URL", "REMEDIATION_RECOMMENDATION_URL"),
                ("Remediation Code Native IaC", "REMEDIATION_CODE_NATIVEIAC"),
                ("Remediation Code Terraform", "REMEDIATION_CODE_TERRAFORM"),
                ("Remediation Code CLI", "REMEDIATION_CODE_CLI"),
                ("Other Remediation Info", "REMEDIATION_CODE_OTHER"),
            ]
            var mitigationLines: [String] = []
            for (label, column) in mitigation {
                mitigationLines.append("**\(label)** : " + (try row.text(column, default: "N/A")))
            }
            let title = try row.text("CHECK_TITLE", default: "")
            let compliance = try row.text("COMPLIANCE", default: "N/A")
            var finding = Finding(title: title, severity: ProwlerParser.severity(row.optional("SEVERITY")), description: description)
            finding.mitigation = mitigationLines.joined(separator: "\n\n")
            finding.impact = row.optional("RISK") ?? (row.has("RISK") ? nil : "")
            finding.references = compliance == "N/A"
                ? "N/A"
                : compliance.split(separator: "|", omittingEmptySubsequences: false).map { PythonText.strip(String($0)) }.joined(separator: "\n")
            finding.staticFinding = false
            finding.dynamicFinding = true
            if seen.insert(title + "|" + description).inserted {
                findings.append(finding)
            }
        }
        return findings
    }

    /// One data row read like a `csv.DictReader` row.
    private struct Row {
        let record: CSVTable.Record
        let width: Int

        func has(_ column: String) -> Bool { record.has(column) }

        /// The value, `nil` when the header lacks the column or the row is too short.
        func optional(_ column: String) -> String? { record[column] }

        /// `row.get(column, default)` where the value is then used as text: the default when the
        /// header lacks the column; a row too short to hold it is an error (DefectDojo fails on
        /// the `None` that `DictReader` gives).
        func text(_ column: String, default fallback: String) throws(ParseError) -> String {
            guard record.has(column) else { return fallback }
            guard let value = record[column] else {
                throw ParseError(
                    .malformedInput, "The row has \(record.values.count) fields, fewer than the header's \(width): no \(column).",
                    position: .csv(line: record.line, column: column))
            }
            return value
        }
    }
}
