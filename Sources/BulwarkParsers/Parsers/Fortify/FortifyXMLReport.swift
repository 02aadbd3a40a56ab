import BulwarkCore
import Foundation

/// Reads Fortify's XML reports like DefectDojo: the report-definition XML (before 24.2: issues
/// of the "Results Outline" or "Issue Count by Category" section, whichever lists more, with
/// that section's per-category texts) and the 24.2 `<Scan>` XML (one finding per `<Issue>`).
/// Streamed one `<Issue>` / `<MajorAttributeSummary>` at a time.
enum FortifyXMLReport {
    /// One report-definition `<Issue>`.
    private struct Issue {
        var iid: String
        var category: String?
        var abstract: String?
        var friority: String?
        var fileName: String?
        var filePath: String?
        var lineStart: String?
        var snippet: String?
        var source: (fileName: String?, lineStart: String?, snippet: String?)?
        var position: ParseError.Position
    }

    private static let sections = ["Results Outline", "Issue Count by Category"]

    static func findings(_ input: ScanInput) throws(ParseError) -> [Finding] {
        let reader = XMLRecordReader(
            records: ["Issue", "MajorAttributeSummary"],
            headers: ["/ReportDefinition/ReportSection/Title", "GroupingSection/groupTitle"],
            rootNames: ["ReportDefinition", "Scan"], formatName: "Fortify XML report")
        var scanFindings: [Finding] = []
        var issues: [[Issue]] = [[], []]
        var meta: [[String: [String: String?]]] = [[:], [:]]
        let summary = try reader.read(input) { (record: XMLRecord) throws(ParseError) in
            if record.root.localName == "Scan" {
                guard record.ancestors.count >= 2, record.ancestors[1].localName == "Issues",
                      record.element.localName == "Issue" else { return }
                scanFindings.append(try scanFinding(record.element))
                return
            }
            guard let place = sectionIndex(of: record) else { return }
            let element = record.element
            if element.localName == "MajorAttributeSummary" {
                guard let group = record.parent, group.localName == "GroupingSection" else { return }
                let title = record.header("groupTitle").flatMap { $0.line >= group.line ? ($0.text ?? "") : nil }
                var values: [String: String?] = [:]
                for info in element.findAll("MetaInfo") {
                    values[info.findText("Name") ?? ""] = info.findText("Value")
                }
                meta[place][title ?? ""] = values
            } else {
                issues[place].append(try issue(element))
            }
        }
        if summary.root.localName == "Scan" { return scanFindings }
        let place = issues[0].count > issues[1].count ? 0 : 1
        // Issues keyed by iid: a repeated iid keeps its first position and its last content.
        var order: [String] = []
        var byID: [String: Issue] = [:]
        for issue in issues[place] {
            if byID[issue.iid] == nil { order.append(issue.iid) }
            byID[issue.iid] = issue
        }
        var findings: [Finding] = []
        var titles: Set<String> = []
        for iid in order {
            guard let issue = byID[iid] else { continue }
            let title = "\(text(issue.category)) - \(text(issue.fileName)): \(text(issue.lineStart))"
            guard titles.insert(title).inserted else { continue }
            findings.append(try reportFinding(issue, title: title, meta: meta[place][issue.category ?? ""] ?? nil))
        }
        return findings
    }

    private static func text(_ value: String?) -> String { value ?? "None" }

    /// 0 for "Results Outline", 1 for "Issue Count by Category", `nil` for other sections.
    private static func sectionIndex(of record: XMLRecord) -> Int? {
        guard record.ancestors.count >= 2, record.ancestors[1].localName == "ReportSection" else { return nil }
        let section = record.ancestors[1]
        guard let title = record.header("Title"), title.line >= section.line else { return nil }
        return sections.firstIndex(of: title.text ?? "")
    }

    private static func issue(_ element: XMLElementNode) throws(ParseError) -> Issue {
        let iid = try element.requiredAttribute("iid")
        let primary = try element.requiredElement("Primary")
        var issue = Issue(
            iid: iid, category: element.find("Category")?.text, abstract: element.find("Abstract")?.text,
            friority: element.find("Friority")?.text, fileName: primary.find("FileName")?.text,
            filePath: primary.find("FilePath")?.text, lineStart: primary.find("LineStart")?.text,
            snippet: primary.find("Snippet").map { $0.text } ?? "n/a", position: element.position)
        if let source = element.find("Source") {
            issue.source = (source.find("FileName")?.text, source.find("LineStart")?.text, source.find("Snippet")?.text)
        }
        return issue
    }

    private static func reportFinding(_ issue: Issue, title: String, meta: [String: String?]?) throws(ParseError) -> Finding {
        guard let raw = issue.friority, let severity = Severity.sanitized(raw) else {
            throw ParseError.unsupportedSeverity(issue.friority ?? "None", position: issue.position)
        }
        var description = "##Catagory: \(text(issue.category))\n###Abstract:\n\(text(issue.abstract))\n###Snippet:\n"
            + "**File: \(text(issue.fileName)): \(text(issue.lineStart))**\n```\n\(text(issue.snippet))\n```\n"
        if let source = issue.source {
            description += "##Source:\nThis snippet provides more context on the execution path that leads to this finding. \n"
                + "####Snippet:\n**File: \(text(source.fileName)): \(text(source.lineStart))**\n```\n\(text(source.snippet))\n```\n"
        }
        if let explanation = meta?["Explanation"] ?? nil, !explanation.isEmpty {
            description += "##Explanation:\n \(explanation)"
        }
        var finding = Finding(title: title, severity: severity, description: description)
        var mitigation = ""
        if let recommendation = meta?["Recommendations"] ?? nil, !recommendation.isEmpty {
            mitigation += "###Recommendation:\n \(recommendation)\n"
        }
        if let tips = meta?["Tips"] ?? nil, !tips.isEmpty { mitigation += "###Tips:\n \(tips)" }
        finding.mitigation = mitigation
        finding.filePath = issue.filePath
        guard let lineText = issue.lineStart, let line = Int(lineText.trimmingCharacters(in: .whitespaces)) else {
            throw ParseError(.invalidValue, "The issue's LineStart \"\(text(issue.lineStart))\" is not a number.", position: issue.position)
        }
        finding.line = line
        finding.staticFinding = true
        finding.uniqueIDFromTool = issue.iid
        return finding
    }

    /// One issue of the 24.2 `<Scan>` report.
    private static func scanFinding(_ issue: XMLElementNode) throws(ParseError) -> Finding {
        func field(_ name: String) -> String? { issue.find(name)?.text }
        let levels: [Int: Severity] = [0: .info, 1: .low, 2: .medium, 3: .high, 4: .critical]
        guard let raw = field("Severity"), let level = Int(raw.trimmingCharacters(in: .whitespaces)) else {
            throw ParseError.unsupportedSeverity(field("Severity") ?? "None", position: issue.position)
        }
        var description = "**CheckTypeID:** \(text(field("CheckTypeID")))\n**URL:** \(text(field("URL")))\n"
        description += "**EngineType:** \(text(field("EngineType")))\n**Scheme:** \(text(field("Scheme")))\n"
        description += "**VulnerabilityID:** \(text(field("VulnerabilityID")))\n"
        description += "**VulnerableSession:** \(text(field("VulnerableSession")))\n"
        var finding = Finding(title: text(field("Name")), severity: levels[level] ?? .info, description: description)
        finding.staticFinding = true
        if let response = field("RawResponse") {
            finding.requestResponsePairs = [RequestResponsePair(request: "", response: response)]
        }
        if let host = field("Host"), !host.isEmpty {
            finding.endpoints = [EndpointURL(host: host, port: field("Port").flatMap { Int($0) })]
        }
        return finding
    }
}
