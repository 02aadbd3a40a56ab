import BulwarkCore

/// Reads Nikto JSON reports: one host object (`host`, `port`, `vulnerabilities`), or a list
/// holding exactly one such object.
enum NiktoJSONReport {
    static func findings(in input: ScanInput) throws(ParseError) -> ParseResult {
        var document = try JSONReportDocument.load(input)
        var path = "$"
        if case .array(let items) = document, items.count == 1, let only = items.first {
            document = only
            path = "$[0]"
        }
        guard let object = document.objectValue else {
            throw ParseError(
                .unsupportedFormat, "The report is JSON but not a Nikto JSON report: expected one host object.",
                position: .jsonPath("$"))
        }
        let report = LooseFields(object: object, path: path)
        let host = try report.string("host")
        let port = try port(of: report)
        var list = NiktoFindingList()
        for (index, value) in (try report.list("vulnerabilities") ?? []).enumerated() {
            let vulnerability = try report.element(value, of: "vulnerabilities", at: index)
            var finding = try finding(from: vulnerability)
            finding.endpoints = [EndpointURL(host: host, port: port, path: try vulnerability.string("url")).cleaned()]
            let key = finding.severity.rawValue + finding.title
            if let first = list.index(of: key) {
                list.update(at: first) { merged in
                    merged.description += "\n-----\n" + finding.description
                    merged.endpoints += finding.endpoints
                    merged.uniqueIDFromTool = nil
                    merged.vulnIDFromTool = nil
                    merged.numberOfOccurrences = (merged.numberOfOccurrences ?? 1) + 1
                }
            } else {
                list.append(finding, key: key)
            }
        }
        return ParseResult(findings: list.findings)
    }

    /// `int(port)`: decimal text, a number (truncated) or a boolean; `nil` when absent or null.
    private static func port(of report: LooseFields) throws(ParseError) -> Int? {
        switch report.object["port"] {
        case nil, .null?: return nil
        case .integer(let number)?: return number
        case .bool(let flag)?: return flag ? 1 : 0
        case .number(let number)? where number.isFinite:
            if let truncated = Int(exactly: number.rounded(.towardZero)) { return truncated }
        case .string(let text)?:
            if let number = LooseFields.pythonInt(text) { return number }
        default: break
        }
        throw ParseError(.invalidValue, "\"port\" must be a port number.", position: report.position("port"))
    }

    private static func finding(from vulnerability: LooseFields) throws(ParseError) -> Finding {
        guard case .string(let title)? = vulnerability.object["msg"] else {
            throw ParseError(.invalidValue, "\"msg\" must be text.", position: vulnerability.position("msg"))
        }
        let show = { (key: String) -> String in vulnerability.object[key]?.pythonString ?? "None" }
        var description = [
            "**id:** `\(show("id"))`", "**msg:** `\(title)`", "**HTTP Method:** `\(show("method"))`",
        ].joined(separator: "\n")
        if let osvdb = vulnerability.object["OSVDB"], !osvdb.isNull {
            description += "\n**OSVDB:** `\(osvdb.pythonString)`"
        }
        var finding = Finding(title: title, severity: .info, description: description)
        finding.vulnIDFromTool = try vulnerability.string("id")
        finding.numberOfOccurrences = 1
        finding.references = try vulnerability.string("references")
        if let osvdb = vulnerability.object["OSVDB"], osvdb != .string("0") {
            guard case .string(let number) = osvdb else {
                throw ParseError(.invalidValue, "\"OSVDB\" must be text.", position: vulnerability.position("OSVDB"))
            }
            finding.uniqueIDFromTool = "OSVDB-" + number
            finding.description += "\n*This finding is marked as medium as there is a link to OSVDB*"
            finding.severity = .medium
        }
        return finding
    }
}
