import BulwarkCore
import Foundation

/// Reads a Fortify `.fpr` (a zip holding `audit.fvdl` and, optionally, `audit.xml`) like
/// DefectDojo's FPR parser. `audit.fvdl` is extracted to a temporary file and streamed: the
/// vulnerabilities come first, then the descriptions, snippets and rules they refer to, so only
/// the referenced ones are kept.
enum FortifyFVDLReport {
    /// One `<Vulnerability>`'s facts.
    struct Vulnerability {
        var type: String?
        var classID: String?
        var kingdom: String?
        var analyzerName: String?
        var defaultSeverity: String?
        var instanceID: String?
        var instanceSeverity: String?
        var confidence: String?
        var path: String?
        var line: String?
        var lineEnd: String?
        var columnStart: String?
        var columnEnd: String?
        var snippetID: String?
        var position: ParseError.Position
    }

    struct Snippet {
        var fileName: String?
        var startLine: String?
        var text: String?
    }

    struct Description {
        var abstract: String?
        var explanation: String?
        var recommendations: String?
        var tips: String?
    }

    struct Rule {
        var accuracy: String?
        var impact: String?
        var probability: String?
        var cwe: Int?
    }

    /// Findings of an `.fpr`; `usesReportedLine` is `Fortify Scan v2` (the SourceLocation line
    /// instead of the snippet's first line).
    static func findings(_ input: ScanInput, usesReportedLine: Bool) throws(ParseError) -> [Finding] {
        let archive = try ArchiveReader(input)
        guard let fvdl = archive.entries.first(where: { !$0.isDirectory && $0.path.hasSuffix("audit.fvdl") }) else {
            throw ParseError(.missingField, "No audit.fvdl file found in the FPR archive.")
        }
        var audit = FortifyAuditLog()
        if let auditXML = archive.entries.first(where: { !$0.isDirectory && $0.path.hasSuffix("audit.xml") }) {
            audit = try archive.withTemporaryFile(auditXML) { (entry) throws(ParseError) in try FortifyAuditLog.read(entry) }
        }
        return try archive.withTemporaryFile(fvdl) { (entry) throws(ParseError) in
            try findings(fvdl: entry, audit: audit, usesReportedLine: usesReportedLine)
        }
    }

    private static func findings(fvdl input: ScanInput, audit: FortifyAuditLog, usesReportedLine: Bool) throws(ParseError) -> [Finding] {
        let reader = XMLRecordReader(
            records: ["/FVDL/Vulnerabilities/*", "/FVDL/Description", "/FVDL/Snippets/*", "/FVDL/EngineData/RuleInfo/*"],
            rootNames: ["FVDL"], formatName: "Fortify FVDL")
        var vulnerabilities: [Vulnerability] = []
        var snippetIDs: Set<String> = []
        var classIDs: Set<String> = []
        var snippets: [String: Snippet] = [:]
        var descriptions: [String: Description] = [:]
        var rules: [String: Rule] = [:]
        _ = try reader.read(input) { (record: XMLRecord) throws(ParseError) in
            let element = record.element
            switch record.parent?.localName {
            case "Vulnerabilities":
                let vulnerability = Self.vulnerability(element)
                if let id = vulnerability.snippetID { snippetIDs.insert(id) }
                if let id = vulnerability.classID { classIDs.insert(id) }
                vulnerabilities.append(vulnerability)
            case "Snippets":
                guard let id = element.attribute("id"), !id.isEmpty, snippetIDs.contains(id) else { return }
                snippets[id] = Snippet(
                    fileName: element.findText("{*}File"), startLine: element.findText("{*}StartLine"),
                    text: element.findText("{*}Text"))
            case "RuleInfo":
                guard let id = element.attribute("id"), !id.isEmpty, classIDs.contains(id) else { return }
                let meta = element.find("{*}MetaInfo")
                func group(_ name: String) -> String? { meta?.findText("{*}Group[@name='\(name)']") }
                let cwe = group("altcategoryCWE").flatMap { $0.firstMatch(of: #/CWE ID (\d+)/#) }.flatMap { Int($0.1) }
                rules[id] = Rule(accuracy: group("Accuracy"), impact: group("Impact"), probability: group("Probability"), cwe: cwe)
            default:
                guard element.localName == "Description", let id = element.attribute("classID"), !id.isEmpty,
                      classIDs.contains(id) else { return }
                descriptions[id] = Description(
                    abstract: element.findText("{*}Abstract"), explanation: element.findText("{*}Explanation"),
                    recommendations: element.findText("{*}Recommendations"), tips: element.findText("{*}Tips"))
            }
        }
        return vulnerabilities.map { vulnerability in
            let snippet = vulnerability.snippetID.flatMap { snippets[$0] }
            let description = vulnerability.classID.flatMap { descriptions[$0] }
            let rule = vulnerability.classID.flatMap { rules[$0] }
            return finding(vulnerability, snippet: snippet, description: description, rule: rule, audit: audit, usesReportedLine: usesReportedLine)
        }
    }

    private static func vulnerability(_ element: XMLElementNode) -> Vulnerability {
        var result = Vulnerability(position: element.position)
        if let instance = element.find("{*}InstanceInfo") {
            result.instanceID = instance.findText("{*}InstanceID")
            result.instanceSeverity = instance.findText("{*}InstanceSeverity")
            result.confidence = instance.findText("{*}Confidence")
        }
        if let info = element.find("{*}ClassInfo") {
            result.type = info.findText("{*}Type")
            result.classID = info.findText("{*}ClassID")
            result.kingdom = info.findText("{*}Kingdom")
            result.analyzerName = info.findText("{*}AnalyzerName")
            result.defaultSeverity = info.findText("{*}DefaultSeverity")
        }
        // The first Entry of Unified/Trace/Primary with a Node/SourceLocation.
        if let primary = element.find("{*}AnalysisInfo/{*}Unified/{*}Trace/{*}Primary") {
            for entry in primary.findAll("{*}Entry") {
                guard let location = entry.find("{*}Node/{*}SourceLocation") else { continue }
                result.path = location.attribute("path")
                result.line = location.attribute("line")
                result.lineEnd = location.attribute("lineEnd")
                result.columnStart = location.attribute("colStart")
                result.columnEnd = location.attribute("colEnd")
                result.snippetID = location.attribute("snippet")
                break
            }
        }
        return result
    }

    private static func text(_ value: String?) -> String { value ?? "None" }

    private static func finding(
        _ vulnerability: Vulnerability, snippet: Snippet?, description: Description?, rule: Rule?,
        audit: FortifyAuditLog, usesReportedLine: Bool
    ) -> Finding {
        var line = snippet?.startLine.flatMap { $0.isEmpty ? nil : $0 } ?? vulnerability.line
        if usesReportedLine, let reported = vulnerability.line, !reported.isEmpty { line = reported }
        let fileName = (vulnerability.path ?? "").split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        let title = "\(text(vulnerability.type)) - \(fileName): \(text(line)) (\(text(vulnerability.classID)))"
        var body = "##Catagory: \(text(vulnerability.type))\n"
        if let description { body += "###Abstract:\n\(text(description.abstract))\n" }
        body += "**SourceLocationPath:** \(text(vulnerability.path))\n**SourceLocationLine:** \(text(vulnerability.line))\n"
        body += "**SourceLocationLineEnd:** \(text(vulnerability.lineEnd))\n"
        body += "**SourceLocationColStart:** \(text(vulnerability.columnStart))\n"
        body += "**SourceLocationColEnd:** \(text(vulnerability.columnEnd))\n"
        if let snippet {
            body += "##Source:\nThis snippet provides more context on the execution path that leads to this finding. \n"
            body += "###Snippet:\n**File: \(text(snippet.fileName)): \(text(snippet.startLine))**\n```\n\(text(snippet.text))\n```\n"
        }
        if let description { body += "##Explanation:\n \(text(description.explanation))" }
        body += "##Details: \(text(vulnerability.instanceID))\n**InstanceID:** \(text(vulnerability.instanceID))\n"
        body += "**InstanceSeverity:** \(text(vulnerability.instanceSeverity))\n**Confidence:** \(text(vulnerability.confidence))\n"
        body += "**ClassID:** \(text(vulnerability.classID))\n**Kingdom:** \(text(vulnerability.kingdom))\n"
        body += "**AnalyzerName:** \(text(vulnerability.analyzerName))\n**DefaultSeverity:** \(text(vulnerability.defaultSeverity))\n"
        var finding = Finding(title: title, severity: severity(vulnerability, rule: rule), description: body)
        finding.staticFinding = true
        var mitigation = ""
        if let recommendations = description?.recommendations, !recommendations.isEmpty {
            mitigation += "###Recommendation:\n \(recommendations)\n"
        }
        if let tips = description?.tips, !tips.isEmpty { mitigation += "###Tips:\n \(tips)" }
        finding.mitigation = mitigation
        let isAudited = vulnerability.instanceID.map { audit.auditedIDs.contains($0) } ?? false
        finding.active = !isAudited
        finding.falsePositive = isAudited
        let comments = vulnerability.instanceID.flatMap { audit.comments[$0] } ?? []
        finding.impact = comments.isEmpty ? "" : "Threaded Comments:\n" + comments.map { $0 + "\n" }.joined()
        if let cwe = rule?.cwe, cwe != 0 { finding.cwe = cwe }
        finding.filePath = vulnerability.path
        finding.line = line.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        finding.uniqueIDFromTool = vulnerability.instanceID
        return finding
    }

    /// Fortify's priority: impact against likelihood = accuracy × confidence × probability / 25
    /// (rounded to one decimal), each side split at 2.5.
    static func severity(_ vulnerability: Vulnerability, rule: Rule?) -> Severity {
        guard let rule, let impactText = rule.impact, !impactText.isEmpty else { return .info }
        guard let impact = Double(impactText), let confidence = vulnerability.confidence.flatMap(Double.init),
              let accuracy = rule.accuracy.flatMap(Double.init), let probability = rule.probability.flatMap(Double.init)
        else { return .info }
        let likelihood = ((accuracy * confidence * probability) / 25 * 10).rounded(.toNearestOrEven) / 10
        switch (impact >= 2.5, likelihood >= 2.5) {
        case (true, true): return .critical
        case (true, false): return .high
        case (false, true): return .medium
        case (false, false): return .low
        }
    }
}

/// The issues listed in an FPR's `audit.xml`: any listed instance counts as audited (DefectDojo
/// marks it inactive and a false positive), and its threaded comments become the impact.
struct FortifyAuditLog {
    var auditedIDs: Set<String> = []
    var comments: [String: [String]] = [:]

    static func read(_ input: ScanInput) throws(ParseError) -> FortifyAuditLog {
        var log = FortifyAuditLog()
        let reader = XMLRecordReader(records: ["/Audit/IssueList/Issue"], formatName: "Fortify audit.xml")
        _ = try reader.read(input) { (record: XMLRecord) throws(ParseError) in
            guard let id = record.element.attribute("instanceId"), !id.isEmpty else { return }
            log.auditedIDs.insert(id)
            if let thread = record.element.find("{*}ThreadedComments") {
                log.comments[id] = thread.findAll("{*}Comment").map { comment in
                    "\(comment.findText("{*}Timestamp") ?? "") - (\(comment.findText("{*}Username") ?? "")): \(comment.findText("{*}Content") ?? "")"
                }
            }
        }
        return log
    }
}
