import BulwarkCore

/// Reads Acunetix XML reports (`ScanGroup` → `Scan` → `ReportItems` → `ReportItem`), streamed one
/// `<ReportItem>` at a time; the scan's `StartURL` and `StartTime` are kept as headers.
enum AcunetixXMLReport {
    static func findings(in input: ScanInput) throws(ParseError) -> [Finding] {
        let reader = XMLRecordReader(
            records: ["/ScanGroup/Scan/ReportItems/ReportItem"],
            headers: ["/ScanGroup/Scan/StartURL", "/ScanGroup/Scan/StartTime"],
            rootNames: ["ScanGroup"], formatName: "Acunetix XML")
        var findings: [Finding] = []
        var indexByKey: [String: Int] = [:]
        var context: (scanLine: Int, endpoint: EndpointURL, date: CalendarDate?)?
        try reader.read(input) { record throws(ParseError) in
            let scan = record.ancestor("Scan") ?? record.element
            if context?.scanLine != scan.line {
                context = (scan.line, try startEndpoint(record), try startDate(record))
            }
            guard let context else { return }
            let mapped = try finding(from: record.element, scanEndpoint: context.endpoint, date: context.date)
            if let index = indexByKey[mapped.key] {
                if let details = mapped.details {
                    findings[index].description += "\n-----\n\n**Details:**\n" + details
                }
                findings[index].endpoints += mapped.finding.endpoints
                findings[index].requestResponsePairs += mapped.finding.requestResponsePairs
                findings[index].numberOfOccurrences = (findings[index].numberOfOccurrences ?? 1) + 1
            } else {
                indexByKey[mapped.key] = findings.count
                findings.append(mapped.finding)
            }
        }
        return findings
    }

    /// The scan's `StartURL` (`//` put in front when it has no scheme) as the endpoint's protocol,
    /// host and port.
    private static func startEndpoint(_ record: XMLRecord) throws(ParseError) -> EndpointURL {
        guard let header = record.header("StartURL"), let raw = header.text else {
            throw (record.ancestor("Scan") ?? record.element).error(.missingField, "A <Scan> has no <StartURL> before its report items.")
        }
        let url = raw.contains("://") ? raw : "//" + raw
        do {
            let parsed = try EndpointURL.parse(url)
            return EndpointURL(protocol: parsed.protocol, host: parsed.host, port: parsed.port)
        } catch {
            throw header.error(.invalidValue, "The StartURL \"\(raw)\" is not a usable URL: \(error).")
        }
    }

    /// `StartTime` read day first (`24/09/2018, 18:09:55`), or `nil` when the scan has none.
    private static func startDate(_ record: XMLRecord) throws(ParseError) -> CalendarDate? {
        guard let header = record.header("StartTime"), let raw = header.text, !raw.isEmpty else { return nil }
        guard let date = DateParsing.flexible(raw, dayFirst: true)?.calendarDate else {
            throw header.error(.invalidValue, "The StartTime \"\(raw)\" is not a date.")
        }
        return date
    }

    private struct Mapped {
        var finding: Finding
        /// The converted `Details`, added to the first finding's description on a merge.
        var details: String?
        /// Title, impact and mitigation (DefectDojo hashes them): items with the same key are merged.
        var key: String
    }

    private static func finding(from item: XMLElementNode, scanEndpoint: EndpointURL, date: CalendarDate?) throws(ParseError) -> Mapped {
        guard let title = item.findText("Name") else {
            throw item.error(.missingField, "A <ReportItem> has no <Name>.")
        }
        let description = PythonText.strip(HTMLToText.convert(item.findText("Description") ?? ""))
        var finding = Finding(title: title, severity: severity(item.findText("Severity")), description: description)
        finding.falsePositive = !(item.findText("IsFalsePositive") ?? "").isEmpty
        finding.staticFinding = true
        finding.dynamicFinding = false
        finding.numberOfOccurrences = 1
        if let impact = item.findText("Impact"), !impact.isEmpty { finding.impact = impact }
        if let recommendation = item.findText("Recommendation"), !recommendation.isEmpty { finding.mitigation = recommendation }
        finding.date = date
        if let cwe = item.findText("CWEList/CWE"), !cwe.isEmpty {
            let parts = cwe.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count > 1, let number = Int(PythonText.strip(String(parts[1]))) else {
                throw item.error(.invalidValue, "The CWE \"\(cwe)\" is not of the form CWE-<number>.")
            }
            finding.cwe = number
        }
        let references = item.findAll("References/Reference").map { reference in
            let url = reference.findText("URL")
            let database = reference.findText("Database").flatMap { $0.isEmpty ? nil : $0 } ?? url
            return " * [\(database ?? "None")](\(url ?? "None"))"
        }
        if !references.isEmpty { finding.references = references.joined(separator: "\n") }
        if let descriptor = item.findText("CVSS3/Descriptor"), !descriptor.isEmpty {
            finding.cvssV3 = AcunetixMapping.cleanVector(in: descriptor)
        }
        var details: String?
        if let text = item.findText("Details"), !PythonText.strip(text).isEmpty {
            let converted = HTMLToText.convert(text)
            details = converted
            finding.description += "\n\n**Details:**\n" + converted
        }
        if let technical = item.findText("TechnicalDetails"), !PythonText.strip(technical).isEmpty {
            finding.description += "\n\n**TechnicalDetails:**\n\n" + technical
        }
        let requests = item.findAll("TechnicalDetails/Request")
        if !requests.isEmpty {
            finding.dynamicFinding = true
            finding.staticFinding = false
            finding.requestResponsePairs = requests.map { RequestResponsePair(request: $0.text ?? "", response: "") }
        }
        var endpoint = scanEndpoint
        endpoint.path = item.findText("Affects")
        finding.endpoints = [endpoint.cleaned()]
        let key = [title, finding.impact ?? "None", finding.mitigation ?? "None"].joined(separator: "|")
        return Mapped(finding: finding, details: details, key: key)
    }

    /// Acunetix's lower-case severities; anything else is Critical (as DefectDojo maps it).
    private static func severity(_ raw: String?) -> Severity {
        switch raw {
        case "high": .high
        case "medium": .medium
        case "low": .low
        case "informational": .info
        default: .critical
        }
    }
}
