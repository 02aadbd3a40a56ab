import BulwarkCore

/// What the report's sections say, gathered section by section, then turned into findings.
struct BurpSuiteDASTReport {
    /// One issue title: the rows of the issue tables and the content of its issue containers.
    private struct Entry {
        var title: String
        var severity: String?
        var cwe: Int?
        var cwes: [Int] = []
        var vulnerabilityIDs: [String] = []
        var description: String?
        var impact: String?
        var mitigation: String?
        var references: String?
        var endpoints: [String] = []
        var pairs: [RequestResponsePair] = []
    }

    /// One heading and the `<div>` after it, kept until every table is read.
    private struct Block {
        var heading: String
        var container: HTMLElement
    }

    private var entries: [Entry] = []
    private var indexByTitle: [String: Int] = [:]
    /// Issue containers in document order: title and their heading blocks.
    private var issues: [(title: String, blocks: [Block])] = []

    mutating func read(_ section: HTMLElement) throws(ParseError) {
        let isTableSection = section.classContains("section")
            && section.hasDescendant { $0.name == "table" && $0.classContains("issue-table") }
        if isTableSection { try readTables(section) }
        if section.classContains("section details") {
            for issue in section.children(named: "div") where issue.classContains("issue-container") {
                try readIssue(issue)
            }
        }
    }

    private mutating func readTables(_ section: HTMLElement) throws(ParseError) {
        guard let heading = section.children(named: "h1").first, let headingText = heading.text else {
            throw ParseError(.missingField, "An issue table's section has no \"Issues found on …\" heading.")
        }
        let site = PythonString.removingSuffix(PythonString.replace(headingText, "Issues found on ", ""), "/")
        var title: String?
        for table in section.children(named: "table") where table.classContains("issue-table") {
            for body in table.children(named: "tbody") {
                for row in body.children(named: "tr") {
                    let cells = row.children(named: "td")
                    guard let first = cells.first, let firstText = first.text else {
                        throw ParseError(.missingField, "A row of the issue table for \(site) has no text in its first cell.")
                    }
                    if row.classNames.contains("issue-type-row") {
                        let words = PythonString.split(PythonLiteral.stripped(firstText), " ")
                        let name = words.dropLast().joined(separator: " ")
                        title = name
                        if indexByTitle[name] == nil {
                            indexByTitle[name] = entries.count
                            entries.append(Entry(title: name))
                        }
                        continue
                    }
                    guard let title, let index = indexByTitle[title] else {
                        throw ParseError(.missingField, "The issue table for \(site) lists a URL before any issue type.")
                    }
                    guard cells.count > 1, let severity = cells[1].text else {
                        throw ParseError(.missingField, "A row of \"\(title)\" in the issue table for \(site) has no severity cell.")
                    }
                    let path = PythonLiteral.stripped(firstText)
                    entries[index].endpoints.append(site + "/" + (path.hasPrefix("/") ? String(path.dropFirst()) : path))
                    entries[index].severity = PythonLiteral.stripped(severity)
                }
            }
        }
    }

    private mutating func readIssue(_ issue: HTMLElement) throws(ParseError) {
        guard let heading = issue.children(named: "h2").first, let titleText = heading.text else {
            throw ParseError(.missingField, "An issue container has no <h2> title.")
        }
        var blocks = try Self.blocks(in: issue)
        for evidence in issue.children(named: "div") where evidence.classContains("evidence-container") {
            blocks += try Self.blocks(in: evidence)
        }
        issues.append((PythonLiteral.stripped(titleText), blocks))
    }

    /// Each `<h3>` child followed directly by a `<div>` sibling.
    private static func blocks(in element: HTMLElement) throws(ParseError) -> [Block] {
        var blocks: [Block] = []
        for (index, child) in element.children.enumerated() where child.name == "h3" {
            guard index + 1 < element.children.count, element.children[index + 1].name == "div" else { continue }
            guard let text = child.text else {
                throw ParseError(.missingField, "An <h3> heading of an issue has no text before its first child element.")
            }
            blocks.append(Block(heading: PythonLiteral.stripped(text), container: element.children[index + 1]))
        }
        return blocks
    }

    /// The findings, in the order the issue tables first name their titles.
    func result() throws(ParseError) -> ParseResult {
        var entries = entries
        for issue in issues {
            guard let index = indexByTitle[issue.title] else {
                throw ParseError(.missingField, "The issue \"\(issue.title)\" is described but listed in no issue table.")
            }
            var requests: [String] = []
            var responses: [String] = []
            for block in issue.blocks {
                Self.apply(block, to: &entries[index], requests: &requests, responses: &responses)
            }
            entries[index].pairs = (0..<max(requests.count, responses.count)).map { position in
                RequestResponsePair(
                    request: position < requests.count ? requests[position] : "",
                    response: position < responses.count ? responses[position] : "")
            }
        }
        var findings: [Finding] = []
        var warnings: [String] = []
        for entry in entries {
            let severity: Severity
            if let raw = entry.severity {
                severity = try Severity.sanitizedOrThrow(raw, at: nil)
            } else {
                severity = .info
            }
            var finding = Finding(title: entry.title, severity: severity, description: entry.description ?? "")
            finding.cwe = entry.cwe
            finding.cwes = entry.cwes
            finding.vulnerabilityIDs = entry.vulnerabilityIDs
            finding.impact = entry.impact
            finding.mitigation = entry.mitigation
            finding.references = entry.references
            finding.staticFinding = false
            finding.dynamicFinding = true
            finding.requestResponsePairs = entry.pairs
            for url in entry.endpoints {
                do {
                    finding.endpoints.append(try EndpointURL.parse(url))
                } catch {
                    warnings.append("Skipped the endpoint \"\(url)\" of \"\(entry.title)\": \(error).")
                }
            }
            findings.append(finding)
        }
        return ParseResult(findings: findings, warnings: warnings)
    }

    private static let descriptionHeadings: Set<String> = ["issue detail", "issue description"]
    private static let impactHeadings: Set<String> = ["issue background", "issue remediation"]
    private static let mitigationHeadings: Set<String> = ["remediation detail", "remediation background"]
    private static let referenceHeadings: Set<String> = ["vulnerability classifications", "references"]

    /// DefectDojo's `_set_or_append_content` for one heading.
    private static func apply(_ block: Block, to entry: inout Entry, requests: inout [String], responses: inout [String]) {
        let heading = PythonString.replace(block.heading, ":", "")
        let key = heading.lowercased()
        let content: String
        let field: WritableKeyPath<Entry, String?>
        if descriptionHeadings.contains(key) {
            field = \.description
            content = BurpSuiteDASTContent.text(of: block.container)
        } else if impactHeadings.contains(key) {
            field = \.impact
            content = BurpSuiteDASTContent.text(of: block.container)
        } else if mitigationHeadings.contains(key) {
            field = \.mitigation
            content = BurpSuiteDASTContent.text(of: block.container)
        } else if referenceHeadings.contains(key) {
            field = \.references
            let links = BurpSuiteDASTContent.bulletedLinks(of: block.container)
            content = links.formatted
            if key == "vulnerability classifications" {
                for text in links.texts {
                    let identifier = PythonString.split(text, ":").first ?? text
                    if let cwe = BurpSuiteDASTContent.cwe(in: identifier) {
                        if entry.cwe == nil { entry.cwe = cwe }
                        entry.cwes.append(cwe)
                    }
                    entry.vulnerabilityIDs.append(identifier)
                }
            }
        } else if key == "request" {
            requests.append(BurpSuiteDASTContent.text(of: block.container))
            return
        } else if key == "response" {
            responses.append(BurpSuiteDASTContent.text(of: block.container))
            return
        } else {
            return
        }
        let formatted = "**\(heading)**:\n\(content)\n\n---\n"
        if let existing = entry[keyPath: field] {
            if !PythonLiteral.contains(existing, heading) { entry[keyPath: field] = existing + formatted }
        } else {
            entry[keyPath: field] = formatted
        }
    }
}
