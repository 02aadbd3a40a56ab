import BulwarkCore

/// Reads Acunetix 360 JSON exports (`Generated`, `Target`, `Vulnerabilities`), one finding per
/// vulnerability name (later ones add their request/response and endpoint to the first).
enum Acunetix360Report {
    static func findings(in input: ScanInput) throws(ParseError) -> ParseResult {
        let root = LooseFields(object: try JSONReportDocument.rootObject(input, format: "Acunetix 360 JSON report"), path: "$")
        guard let generated = try root.requiredValue("Generated").stringValue,
              let scanDate = DateParsing.flexible(generated, dayFirst: true)?.calendarDate else {
            throw ParseError(.invalidValue, "\"Generated\" must be a date.", position: root.position("Generated"))
        }
        let items = try root.requiredArray("Vulnerabilities")
        var findings: [Finding] = []
        var indexByTitle: [String: Int] = [:]
        var warnings: [String] = []
        for (index, value) in items.enumerated() {
            let item = try root.element(value, of: "Vulnerabilities", at: index)
            var finding = try finding(from: item, scanDate: scanDate)
            let url = try item.requiredText("Url")
            do {
                finding.endpoints = [try EndpointURL.parse(url)]
            } catch {
                warnings.append("\(item.position("Url")): skipped the endpoint \"\(url)\" of \"\(finding.title)\": \(error).")
            }
            if let first = indexByTitle[finding.title] {
                findings[first].requestResponsePairs += finding.requestResponsePairs
                findings[first].endpoints += finding.endpoints
            } else {
                indexByTitle[finding.title] = findings.count
                findings.append(finding)
            }
        }
        return ParseResult(findings: findings, warnings: warnings)
    }

    private static func finding(from item: LooseFields, scanDate: CalendarDate) throws(ParseError) -> Finding {
        let title = try item.requiredText("Name")
        let rawSeverity = item.object["Severity"]?.stringValue ?? ""
        let severity: Severity = switch rawSeverity {
        case "Critical": .critical
        case "High": .high
        case "Medium": .medium
        case "Low": .low
        default: .info
        }
        let html = { (key: String) -> String? in
            item.object[key]?.stringValue.map(HTMLToText.convertUnwrapped)
        }
        var finding = Finding(title: title, severity: severity, description: html("Description") ?? "")
        let classification = item.object["Classification"]?.objectValue
        if let cweList = classification?["Cwe"]?.stringValue {
            finding.cwes = cweList.split(separator: ",", omittingEmptySubsequences: false)
                .compactMap { Int(PythonText.strip(String($0))) }
            finding.cwe = finding.cwes.first
        }
        finding.mitigation = html("RemedialProcedure")
        var references = html("RemedyReferences")
        if let lookup = item.object["LookupId"] {
            references = "https://online.acunetix360.com/issues/detail/\(lookup.pythonString)\n" + (references ?? "")
        }
        finding.references = references
        finding.impact = html("Impact")
        finding.staticFinding = true
        finding.date = scanDate
        if let firstSeen = item.object["FirstSeenDate"]?.stringValue, !firstSeen.isEmpty {
            guard let date = DateParsing.flexible(firstSeen, dayFirst: true)?.calendarDate else {
                throw ParseError(.invalidValue, "\"FirstSeenDate\" must be a date.", position: item.position("FirstSeenDate"))
            }
            finding.date = date
        }
        if let vector = classification?["Cvss"]?.objectValue?["Vector"]?.stringValue {
            finding.cvssV3 = AcunetixMapping.cleanVector(in: vector)
        }
        if let state = item.object["State"]?.stringValue {
            let parts = state.split(separator: ",", omittingEmptySubsequences: false).map { PythonText.strip(String($0)) }
            if parts.contains("AcceptedRisk") {
                finding.riskAccepted = true
                finding.active = false
            } else if parts.contains("FalsePositive") {
                finding.falsePositive = true
                finding.active = false
            }
        }
        let request = item.object["HttpRequest"]?.objectValue?["Content"]?.stringValue ?? ""
        let response = item.object["HttpResponse"]?.objectValue?["Content"]?.stringValue ?? ""
        finding.requestResponsePairs = [RequestResponsePair(
            request: request.isEmpty ? "Request Not Found" : request,
            response: response.isEmpty ? "Response Not Found" : response)]
        return finding
    }
}
