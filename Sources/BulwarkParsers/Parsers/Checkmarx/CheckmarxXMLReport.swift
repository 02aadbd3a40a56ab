import BulwarkCore
import Foundation

/// Reads a Checkmarx CxSAST XML report one `<Result>` at a time and builds the findings of either
/// mode (see CheckmarxParser.swift for the mapping).
struct CheckmarxXMLReport {
    /// `true` for "Checkmarx Scan detailed" (one finding per result).
    let detailed: Bool
    /// The findings in DefectDojo's order (first appearance of each key).
    private(set) var findings: [Finding] = []
    /// Finding index per aggregation key.
    private var indexByKey: [String: Int] = [:]
    /// Query ids per aggregated finding (joined into vuln_id_from_tool at the end).
    private var queryIDs: [[String]] = []
    /// The scan day, parsed once from the root's ScanStart.
    private var scanDate: CalendarDate?

    init(detailed: Bool) {
        self.detailed = detailed
    }

    /// The file, line and object of one `<PathNode>`.
    private struct NodeFacts {
        var fileName: String?
        var line: Int
        var object: String?
    }

    mutating func read(_ input: ScanInput) throws(ParseError) {
        let reader = XMLRecordReader(records: ["/*/Query/Result"], rootNames: ["CxXMLResults"], formatName: "Checkmarx XML")
        var report = self
        try reader.read(input) { record throws(ParseError) in
            guard let query = record.parent else { return }
            let date = try report.date(of: record.root)
            if report.detailed {
                try report.addDetailed(record.element, query: query, date: date)
            } else {
                try report.addAggregated(record.element, query: query, date: date)
            }
        }
        if !detailed {
            for (index, ids) in report.queryIDs.enumerated() {
                report.findings[index].vulnIDFromTool = String(ids.joined(separator: ",").prefix(500))
            }
        }
        self = report
    }

    /// `dateutil.parser.parse(root.get("ScanStart")).date()`.
    private mutating func date(of root: XMLElementNode) throws(ParseError) -> CalendarDate {
        if let scanDate { return scanDate }
        let raw = try root.requiredAttribute("ScanStart")
        guard let date = DateParsing.flexible(raw)?.calendarDate else {
            throw root.error(.invalidValue, "The ScanStart \"\(raw)\" is not a date.")
        }
        scanDate = date
        return date
    }

    /// The description lines every mode starts with.
    private static func detailLines(query: XMLElementNode, result: XMLElementNode) -> String {
        var text = "**Category:** \(query.attribute("categories") ?? "")\n"
        text += "**Language:** \(query.attribute("Language") ?? "")\n"
        text += "**Group:** \((query.attribute("group") ?? "").replacingOccurrences(of: "_", with: " "))\n"
        if let status = result.attribute("Status") { text += "**Status:** \(status)\n" }
        let link = CheckmarxParser.python(result.attribute("DeepLink"))
        text += "**Finding Link:** [\(link)](\(link))\n"
        return text
    }

    private static func severity(of result: XMLElementNode) throws(ParseError) -> Severity {
        let raw = result.attribute("Severity")
        guard let raw, let severity = Severity.sanitized(raw) else {
            throw ParseError.unsupportedSeverity(raw ?? "(no Severity attribute)", position: result.position)
        }
        return severity
    }

    private static func cwe(of query: XMLElementNode) throws(ParseError) -> Int {
        let raw = try query.requiredAttribute("cweId")
        guard let cwe = LooseFields.pythonInt(raw) else {
            throw query.error(.invalidValue, "The <Query> cweId \"\(raw)\" is not a number.")
        }
        return cwe
    }

    private static func title(of query: XMLElementNode) throws(ParseError) -> String {
        try query.requiredAttribute("name").replacingOccurrences(of: "_", with: " ")
    }

    /// `"<title> (<base name>)"`, or the title alone when there is no sink file.
    private static func title(_ title: String, sinkFile: String?) -> String {
        guard let sinkFile, !sinkFile.isEmpty else { return title }
        let baseName = sinkFile.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? sinkFile
        return "\(title) (\(baseName))"
    }

    private static func facts(of node: XMLElementNode) throws(ParseError) -> NodeFacts {
        let fileName = try node.requiredElement("FileName").text
        let lineText = try node.requiredElement("Line").text
        guard let lineText, let line = LooseFields.pythonInt(lineText) else {
            throw node.error(.invalidValue, "The <PathNode> line \"\(lineText ?? "")\" is not a number.")
        }
        return NodeFacts(fileName: fileName, line: line, object: try node.requiredElement("Name").text)
    }

    // MARK: Checkmarx Scan (aggregated)

    private mutating func addAggregated(_ result: XMLElementNode, query: XMLElementNode, date: CalendarDate) throws(ParseError) {
        let cwe = try Self.cwe(of: query)
        let queryID = try query.requiredAttribute("id")
        let titleStart = try Self.title(of: query)
        // Source: the first node of the last path with nodes; sink: that path's last node.
        var source: NodeFacts?
        var sinkNode: XMLElementNode?
        for path in result.findAll("Path") {
            let nodes = path.findAll("PathNode")
            guard let first = nodes.first else { continue }
            source = try Self.facts(of: first)
            sinkNode = nodes.last
        }
        guard let source, let sinkNode else {
            throw result.error(.missingField, "The <Result> has no <Path> with a <PathNode>.")
        }
        let sink = try Self.facts(of: sinkNode)
        let summary = "<b>Source file: </b>\(CheckmarxParser.python(source.fileName)) (line \(source.line))\n<b>Source object: </b> \(CheckmarxParser.python(source.object))"
            + "\n<b>Sink file: </b>\(CheckmarxParser.python(sink.fileName)) (line \(sink.line))\n<b>Sink object: </b> \(CheckmarxParser.python(sink.object))"
        let details = Self.detailLines(query: query, result: result)
        let title = Self.title(titleStart, sinkFile: sink.fileName)
        let severityText = result.attribute("Severity")
        let severity = try Self.severity(of: result)
        let falsePositive = result.attribute("FalsePositive")
        let state = result.attribute("state")
        let key = "\(cwe)\(CheckmarxParser.python(severityText))\(CheckmarxParser.python(sink.fileName))"

        guard let index = indexByKey[key] else {
            var finding = Finding(title: title, severity: severity, description: details + summary)
            finding.cwe = cwe
            finding.active = CheckmarxParser.isActive(state: state)
            finding.verified = CheckmarxParser.isVerified(state: state)
            finding.falsePositive = falsePositive == "True"
            finding.filePath = sink.fileName
            finding.date = date
            finding.staticFinding = true
            finding.numberOfOccurrences = 1
            indexByKey[key] = findings.count
            findings.append(finding)
            queryIDs.append([queryID])
            return
        }
        // Mutated in place: a copy would duplicate the growing description on every member.
        let occurrences = (findings[index].numberOfOccurrences ?? 1) + 1
        findings[index].numberOfOccurrences = occurrences
        if occurrences == 2 {
            findings[index].description = "### 1. \(findings[index].title)\n" + findings[index].description
        }
        findings[index].description += "\n\n-----\n### \(occurrences). \(title)\n\(details)\n\(summary)"
        if !queryIDs[index].contains(queryID) { queryIDs[index].append(queryID) }
        if falsePositive == "False" { findings[index].falsePositive = false }
        if CheckmarxParser.isActive(state: state) { findings[index].active = true }
        if CheckmarxParser.isVerified(state: state) { findings[index].verified = true }
    }

    // MARK: Checkmarx Scan detailed

    private mutating func addDetailed(_ result: XMLElementNode, query: XMLElementNode, date: CalendarDate) throws(ParseError) {
        let cwe = try Self.cwe(of: query)
        let name = try query.requiredAttribute("name")
        let categories = query.attribute("categories") ?? ""
        let severity = try Self.severity(of: result)
        var title = name.replacingOccurrences(of: "_", with: " ")
        var details = Self.detailLines(query: query, result: result)
        let paths = result.findAll("Path")
        guard !paths.isEmpty else {
            throw result.error(.missingField, "The <Result> has no <Path>.")
        }
        // DefectDojo builds one finding per path but keeps only the last; texts accumulate.
        var lastNode: XMLElementNode?
        var built: (key: String, finding: Finding)?
        for path in paths {
            var source: NodeFacts?
            let pathID = CheckmarxParser.python(path.attribute("SimilarityId")) + CheckmarxParser.python(path.attribute("PathId"))
            details += "-----\n"
            for node in path.findAll("PathNode") {
                details = try Self.describe(node, after: details)
                if try node.requiredElement("NodeId").text == "1" {
                    source = try Self.facts(of: node)
                }
                lastNode = node
            }
            guard let lastNode else {
                throw path.error(.missingField, "The <Path> has no <PathNode>.")
            }
            let sink = try Self.facts(of: lastNode)
            let key = "\(categories)\(cwe)\(name)\(CheckmarxParser.python(sink.fileName))\(pathID)"
            if !title.isEmpty, let sinkFile = sink.fileName, !sinkFile.isEmpty {
                title = Self.title(title, sinkFile: sinkFile)
            }
            var finding = Finding(title: title, severity: severity, description: details)
            finding.cwe = cwe
            finding.active = CheckmarxParser.isActive(state: result.attribute("state"))
            finding.verified = CheckmarxParser.isVerified(state: result.attribute("state"))
            finding.falsePositive = result.attribute("FalsePositive") == "True"
            finding.filePath = sink.fileName
            finding.line = sink.line
            finding.date = date
            finding.staticFinding = true
            finding.uniqueIDFromTool = pathID
            finding.sastSourceObject = source == nil ? "" : source?.object
            finding.sastSinkObject = sink.object
            finding.sastSourceLine = source?.line
            finding.sastSourceFilePath = source == nil ? "" : source?.fileName
            finding.vulnIDFromTool = query.attribute("id")
            built = (key, finding)
        }
        guard let built else { return }
        // A key seen before keeps its place in the order and takes the new finding.
        if let index = indexByKey[built.key] {
            findings[index] = built.finding
        } else {
            indexByKey[built.key] = findings.count
            findings.append(built.finding)
        }
    }

    /// The description lines of one path node (line, column, object, snippet lines).
    private static func describe(_ node: XMLElementNode, after text: String) throws(ParseError) -> String {
        var text = text
        if let line = try node.requiredElement("Line").text { text += "**Line Number:** \(line)\n" }
        if let column = try node.requiredElement("Column").text { text += "**Column:** \(column)\n" }
        if let object = try node.requiredElement("Name").text { text += "**Source Object:** \(object)\n" }
        for fragment in node.findAll("Snippet/Line") {
            let number = try fragment.requiredElement("Number").text
            guard let code = try fragment.requiredElement("Code").text else {
                throw fragment.error(.missingField, "A snippet <Line> has an empty <Code>.")
            }
            text += "**Number:** \(CheckmarxParser.python(number))\n**Code:** \(PythonText.strip(code))\n"
        }
        return text + "-----\n"
    }
}
