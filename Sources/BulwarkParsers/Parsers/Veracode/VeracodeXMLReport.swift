import BulwarkCore
import Foundation

/// Streams a Veracode detailed XML report (`detailedreport`, format 1.5) one flaw or one SCA
/// component at a time and maps it like DefectDojo: per category, its static flaws, then its
/// dynamic flaws (first flaw of each issue id wins); then every SCA vulnerability.
enum VeracodeXMLReport {
    private static let severities: [Int: Severity] = [1: .info, 2: .low, 3: .medium, 4: .high, 5: .critical]
    private static let category = "/detailedreport/severity/category"

    static func findings(_ input: ScanInput) throws(ParseError) -> [Finding] {
        let reader = XMLRecordReader(
            records: [
                XMLRecordPattern("\(category)/cwe/staticflaws/flaw"), XMLRecordPattern("\(category)/cwe/dynamicflaws/flaw"),
                "/detailedreport/software_composition_analysis/vulnerable_components/component",
            ],
            headers: [XMLRecordPattern("\(category)/recommendations")],
            rootNames: ["detailedreport"], formatName: "Veracode detailed XML")
        var sast: [Finding] = []
        var sca: [Finding] = []
        var seenIssueIDs: Set<String> = []
        var categoryLine: Int?
        var staticFlaws: [(String, Finding)] = []
        var dynamicFlaws: [(String, Finding)] = []
        func flushCategory() {
            for (issueID, finding) in staticFlaws + dynamicFlaws where seenIssueIDs.insert(issueID).inserted {
                sast.append(finding)
            }
            staticFlaws = []
            dynamicFlaws = []
        }
        _ = try reader.read(input) { (record: XMLRecord) throws(ParseError) in
            let root = record.root
            if record.element.localName == "component" {
                let reportDate = root.attribute("last_update_time").flatMap(parseDate)
                sca += try scaFindings(record.element, reportDate: reportDate)
                return
            }
            let categoryNode = record.ancestor("category")
            if categoryNode?.line != categoryLine {
                flushCategory()
                categoryLine = categoryNode?.line
            }
            let recommendations = record.header("recommendations").flatMap { header in
                (categoryNode.map { header.line >= $0.line } ?? false) ? header : nil
            }
            let mitigation = try mitigationText(recommendations, category: categoryNode ?? record.element)
            let flaw = record.element
            let issueID = try flaw.requiredAttribute("issueid")
            let appID = try root.requiredAttribute("app_id")
            var finding = try flawFinding(flaw, appID: appID, issueID: issueID, mitigation: mitigation)
            if record.parent?.localName == "staticflaws" {
                addStaticDetails(flaw, to: &finding)
                staticFlaws.append((issueID, finding))
            } else {
                try addDynamicDetails(flaw, to: &finding)
                dynamicFlaws.append((issueID, finding))
            }
        }
        flushCategory()
        return sast + sca
    }

    /// The first recommendation paragraph and its bullet items.
    private static func mitigationText(_ recommendations: XMLElementNode?, category: XMLElementNode) throws(ParseError) -> String {
        guard let paragraph = recommendations?.find("{*}para"), let text = paragraph.attribute("text") else {
            throw category.error(.missingField, "The flaw's category has no <recommendations><para text=…> element.")
        }
        var mitigation = text + "\n\n"
        for bullet in recommendations?.findAll("{*}para/{*}bulletitem") ?? [] {
            mitigation += "    * \(bullet.attribute("text") ?? "None")\n"
        }
        return mitigation
    }

    private static func severity(of node: XMLElementNode) throws(ParseError) -> Severity {
        let raw = try node.requiredAttribute("severity")
        guard let level = Int(raw.trimmingCharacters(in: .whitespaces)) else {
            throw node.error(.unsupportedSeverity, "The severity \"\(raw)\" is not a Veracode severity level (1-5).")
        }
        return severities[level] ?? .info
    }

    private static func flawFinding(
        _ flaw: XMLElementNode, appID: String, issueID: String, mitigation: String
    ) throws(ParseError) -> Finding {
        let description = try flaw.requiredAttribute("description").replacingOccurrences(of: ". ", with: ".\n")
        var finding = Finding(title: try flaw.requiredAttribute("categoryname"), severity: try severity(of: flaw), description: description)
        finding.mitigation = mitigation
        finding.uniqueIDFromTool = "app-\(appID)_issue-\(issueID)"
        guard let cwe = Int(try flaw.requiredAttribute("cweid")) else {
            throw flaw.error(.invalidValue, "The flaw's cweid is not a number.")
        }
        finding.cwe = cwe
        finding.impact = "CIA Impact: " + (flaw.attribute("cia_impact") ?? "").uppercased()
        var references = "None"
        let scalars = description.unicodeScalars
        if let range = description.range(of: "References:") {
            let start = scalars.distance(from: scalars.startIndex, to: range.lowerBound) + 13
            let tail = start <= scalars.count ? String(String.UnicodeScalarView(scalars.dropFirst(start))) : ""
            references = tail.replacingOccurrences(of: ")  ", with: ")\n")
        }
        finding.references = references + "\n\nVulnerable Module: \(flaw.attribute("module") ?? "None")"
            + "\nType: \(flaw.attribute("type") ?? "None")\nVeracode issue ID: \(issueID)"
        finding.date = flaw.attribute("date_last_occurrence").flatMap(parseDate)?.calendarDate
        var isMitigated = false
        var mitigatedAt: Date?
        if flaw.attribute("mitigation_status")?.lowercased() == "accepted" {
            if flaw.attribute("remediation_status")?.lowercased() == "fixed" {
                isMitigated = true
            } else {
                for item in flaw.findAll("{*}mitigations/{*}mitigation") {
                    isMitigated = true
                    mitigatedAt = try mitigationDate(item)
                }
            }
        }
        finding.isMitigated = isMitigated
        finding.mitigated = mitigatedAt
        finding.active = !isMitigated
        if isMitigated {
            let status = (flaw.attribute("remediation_status") ?? "").lowercased()
            finding.falsePositive = status.contains("false positive") || status.contains("falsepositive")
        }
        return finding
    }

    private static func addStaticDetails(_ flaw: XMLElementNode, to finding: inout Finding) {
        finding.staticFinding = true
        finding.dynamicFinding = false
        if let line = flaw.attribute("line"), let offset = flaw.attribute("functionrelativelocation"),
           isDigits(line), isDigits(offset), let base = Int(line), let relative = Int(offset) {
            let (sum, overflow) = base.addingReportingOverflow(relative)
            if !overflow {
                finding.line = sum
                finding.sastSourceLine = sum
            }
        }
        let sourceFile = flaw.attribute("sourcefile")
        let sourcePath = flaw.attribute("sourcefilepath")
        if sourceFile != nil || sourcePath != nil {
            finding.filePath = (sourcePath ?? "") + (sourceFile ?? "")
            finding.sastSourceFilePath = finding.filePath
        }
        if let prototype = flaw.attribute("functionprototype"), !prototype.isEmpty {
            finding.sastSourceObject = prototype
        }
        finding.tags = ["sast"]
    }

    private static func addDynamicDetails(_ flaw: XMLElementNode, to finding: inout Finding) throws(ParseError) {
        finding.staticFinding = false
        finding.dynamicFinding = true
        let url = flaw.attribute("url") ?? ""
        do {
            finding.endpoints = [try EndpointURL.parse(url)]
        } catch {
            throw flaw.error(.invalidValue, "The dynamic flaw's url \"\(url)\" is not a usable URL: \(error).")
        }
        finding.tags = ["dast"]
    }

    private static func scaFindings(_ component: XMLElementNode, reportDate: ParsedDateTime?) throws(ParseError) -> [Finding] {
        var library = try component.requiredAttribute("library")
        if let libraryID = component.attribute("library_id"), libraryID.hasPrefix("maven:") {
            let parts = libraryID.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count > 2 { library = String(parts[2]) }
        }
        let version = try component.requiredAttribute("version")
        var findings: [Finding] = []
        for vulnerability in component.findAll("{*}vulnerabilities/{*}vulnerability") {
            let severity = try severity(of: vulnerability)
            let cve = try vulnerability.requiredAttribute("cve_id")
            let score = try vulnerability.requiredAttribute("cvss_score")
            let description = "This library has known vulnerabilities.\n**CVE:** \(cve) (\(vulnerability.attribute("first_found_date") ?? "None"))\n"
                + "CVS Score: \(score) (\(severity.rawValue))\nSummary: \n>\(try vulnerability.requiredAttribute("cve_summary"))\n\n-----\n\n"
            var finding = Finding(title: "Vulnerable component: \(library):\(version)", severity: severity, description: description)
            finding.staticFinding = true
            finding.dynamicFinding = false
            guard let cvss = Double(score.trimmingCharacters(in: .whitespaces)) else {
                throw vulnerability.error(.invalidValue, "The cvss_score \"\(score)\" is not a number.")
            }
            finding.cvssV3Score = cvss
            finding.vulnerabilityIDs = [cve]
            let cwes = (vulnerability.attribute("cwe_id") ?? "").matches(of: #/(?i)CWE-(\d+)/#).compactMap { Int($0.1) }
            finding.cwe = cwes.first
            finding.cwes = cwes
            finding.componentName = library
            finding.componentVersion = version
            finding.date = reportDate?.calendarDate
            finding.tags = ["sca"]
            var isMitigated = false
            var mitigatedAt: Date?
            if vulnerability.attribute("mitigation")?.lowercased() == "true" {
                for item in vulnerability.findAll("{*}mitigations/{*}mitigation") {
                    isMitigated = true
                    mitigatedAt = try mitigationDate(item)
                }
            }
            finding.isMitigated = isMitigated
            finding.mitigated = mitigatedAt
            finding.active = !isMitigated
            findings.append(finding)
        }
        return findings
    }

    private static func mitigationDate(_ mitigation: XMLElementNode) throws(ParseError) -> Date? {
        let raw = try mitigation.requiredAttribute("date")
        guard let date = parseDate(raw)?.instant else {
            throw mitigation.error(.invalidValue, "The mitigation date \"\(raw)\" is not \"YYYY-MM-DD hh:mm:ss UTC\".")
        }
        return date
    }

    /// `%Y-%m-%d %H:%M:%S %Z` with a UTC/GMT zone name, read as UTC.
    static func parseDate(_ raw: String) -> ParsedDateTime? {
        let parts = raw.split(separator: " ")
        guard parts.count == 3, ["UTC", "GMT", "Z"].contains(parts[2].uppercased()) else { return nil }
        return DateParsing.iso8601("\(parts[0]) \(parts[1])")
    }

    private static func isDigits(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }
}
