import BulwarkCore

/// One security record of a Black Duck export, with the texts DefectDojo builds from it.
struct BlackduckIssue {
    /// The CVE named in "Vulnerability id" (upper-cased), or the whole id.
    let vulnID: String
    let securityRisk: String
    let description: String
    let mitigation: String
    let references: String
    let impact: String?
    let componentName: String?
    let componentVersion: String?
    let channelVersionOriginID: String?
    let componentOriginID: String?
    let vulnSource: String?
    let locations: String
    let position: ParseError.Position

    init(_ record: CSVTable.Record, locations: String) throws(ParseError) {
        position = .csv(line: record.line, column: nil)
        guard let rawID = record["Vulnerability id"] else {
            throw ParseError(.missingField, "The record has no \"Vulnerability id\".", position: .csv(line: record.line, column: "Vulnerability id"))
        }
        vulnID = Self.cve(in: rawID).uppercased()
        guard let risk = record["Security Risk"] else {
            throw ParseError(.missingField, "The record has no \"Security Risk\".", position: .csv(line: record.line, column: "Security Risk"))
        }
        securityRisk = Self.pythonTitle(risk)
        func text(_ column: String) -> String { record[column] ?? "None" }
        description = "Published on: \(text("Published on"))\n\nUpdated on: \(text("Updated on"))\n\n"
            + "Base score: \(text("Base score"))\n\nExploitability: \(text("Exploitability"))\n\n"
            + "Description: \(text("Description"))\n"
        mitigation = "Remediation status: \(text("Remediation status"))\n"
            + "Remediation target date: \(text("Remediation target date"))\n"
            + "Remediation actual date: \(text("Remediation actual date"))\n"
            + "Remediation comment: \(text("Remediation comment"))\n"
        references = "Source: \(text("Vulnerability source"))\nURL: \(text("URL"))\n"
        impact = record["Impact"]
        componentName = Self.firstNonEmpty(record["Component name"], record["Project name"])
        componentVersion = Self.firstNonEmpty(record["Component version name"], record["Version"])
        channelVersionOriginID = record["Channel version origin id"]
        componentOriginID = record["Component origin id"]
        vulnSource = record["Vulnerability source"]
        self.locations = locations
    }

    /// Python's `str(value)` for an optional column.
    func text(_ value: String?) -> String { value ?? "None" }

    /// Python's `a or b`.
    private static func firstNonEmpty(_ first: String?, _ second: String?) -> String? {
        if let first, !first.isEmpty { return first }
        return second
    }

    /// The first `CVE-YYYY-NNNN…` (case-insensitive) in the id, or the id itself.
    static func cve(in id: String) -> String {
        let scalars = Array(id.unicodeScalars)
        func isDigit(_ index: Int) -> Bool { index < scalars.count && ("0"..."9").contains(scalars[index]) }
        var start = 0
        while start + 4 <= scalars.count {
            let prefix = String(String.UnicodeScalarView(scalars[start..<start + 4])).uppercased()
            if prefix == "CVE-", (start + 4..<start + 8).allSatisfy(isDigit), start + 8 < scalars.count, scalars[start + 8] == "-" {
                var end = start + 9
                while isDigit(end), end - (start + 9) < 9 { end += 1 }
                if end - (start + 9) >= 4 {
                    return String(String.UnicodeScalarView(scalars[start..<end]))
                }
            }
            start += 1
        }
        return id
    }

    /// Python's `str.title()`: upper-cases a letter that follows a non-letter, lower-cases the rest.
    static func pythonTitle(_ text: String) -> String {
        var result = ""
        var previousIsLetter = false
        for character in text {
            result += previousIsLetter ? character.lowercased() : character.uppercased()
            previousIsLetter = character.isLetter
        }
        return result
    }
}
