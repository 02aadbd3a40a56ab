import BulwarkCore

/// Reads Nikto XML reports one `<item>` at a time.
///
/// The old layout puts `<scandetails>` directly under the root `<niktoscan>` (DefectDojo reads only
/// the first of them); the nxmlversion 1.2 layout nests a `<niktoscan>` per host. Items of the
/// two layouts are collected apart; the old layout wins when present.
enum NiktoXMLReport {
    static func findings(in input: ScanInput) throws(ParseError) -> ParseResult {
        let reader = XMLRecordReader(
            records: ["/niktoscan/scandetails/item", "/niktoscan/niktoscan/scandetails/item"],
            rootNames: ["niktoscan"], formatName: "Nikto XML")
        var direct = NiktoFindingList()
        var nested = NiktoFindingList()
        var firstDirectScanLine: Int?
        var sawDirectScan = false
        var warnings: [String] = []
        try reader.read(input) { record throws(ParseError) in
            let scanLine = record.ancestor("scandetails")?.line
            if record.ancestors.count == 2 {
                // Old layout: only the first <scandetails> counts.
                if firstDirectScanLine == nil { firstDirectScanLine = scanLine }
                sawDirectScan = true
                guard scanLine == firstDirectScanLine else { return }
                try add(record.element, to: &direct, warnings: &warnings)
            } else {
                try add(record.element, to: &nested, warnings: &warnings)
            }
        }
        return ParseResult(findings: sawDirectScan ? direct.findings : nested.findings, warnings: warnings)
    }

    private static func add(_ item: XMLElementNode, to list: inout NiktoFindingList, warnings: inout [String]) throws(ParseError) {
        guard let text = item.findText("description") else {
            throw item.error(.missingField, "An <item> has no <description>.")
        }
        let iplink = item.findText("iplink")
        let description = [
            "**Host:** `\(iplink ?? "None")`",
            "**Description:** `\(text)`",
            "**HTTP Method:** `\(item.attribute("method") ?? "None")`",
        ].joined(separator: "\n")
        let osvdb = item.attribute("osvdbid")
        var finding = Finding(
            title: firstSentence(of: text), severity: osvdb != nil && osvdb != "0" ? .medium : .info,
            description: description)
        finding.dynamicFinding = true
        finding.staticFinding = false
        finding.vulnIDFromTool = item.attribute("id")
        finding.numberOfOccurrences = 1
        if let iplink {
            do {
                finding.endpoints = [try EndpointURL.parse(iplink).cleaned()]
            } catch {
                warnings.append("line \(item.line): skipped the endpoint \"\(iplink)\" of \"\(finding.title)\": \(error).")
            }
        } else {
            warnings.append("line \(item.line): the item \"\(finding.title)\" has no <iplink>; no endpoint.")
        }
        if let index = list.index(of: description) {
            list.update(at: index) { first in
                first.description += "\n-----\n" + finding.description
                first.endpoints += finding.endpoints
                first.numberOfOccurrences = (first.numberOfOccurrences ?? 1) + 1
            }
        } else {
            list.append(finding, key: description)
        }
    }

    /// The text before the first whitespace that ends a sentence — one after `.` or `?`, unless
    /// the four characters before it read like `e.g.` or the three like `Mr.` — cut to 900
    /// characters (DefectDojo's `re.split(r"(?<!\w\.\w.)(?<![A-Z][a-z]\.)(?<=\.|\?)\s", text)[0]`).
    static func firstSentence(of text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var end = scalars.count
        for index in scalars.indices where index >= 1 && PythonText.isWhitespace(scalars[index]) {
            let previous = scalars[index - 1]
            guard previous == "." || previous == "?" else { continue }
            if index >= 4, PythonRegex.isWordCharacter(scalars[index - 4]), scalars[index - 3] == ".",
               PythonRegex.isWordCharacter(scalars[index - 2]), previous != "\n" {
                continue
            }
            if index >= 3, isASCIIUpper(scalars[index - 3]), isASCIILower(scalars[index - 2]), previous == "." {
                continue
            }
            end = index
            break
        }
        var title = String.UnicodeScalarView()
        title.append(contentsOf: scalars[0..<min(end, 900)])
        return String(title)
    }

    private static func isASCIIUpper(_ scalar: Unicode.Scalar) -> Bool { (0x41...0x5A).contains(scalar.value) }
    private static func isASCIILower(_ scalar: Unicode.Scalar) -> Bool { (0x61...0x7A).contains(scalar.value) }
}
