import BulwarkCore
import Foundation

/// Reads sonar-report's HTML report (`/html/body/div.detail/table/tbody`: the detected issues,
/// then the known security rules) and its JSON export (`rules` with `htmlDesc`, `issues`).
enum SonarQubeHTMLReport {
    /// The issues of an HTML report; none when the report has no issue table.
    static func issues(html: String) throws(ParseError) -> [SonarQubeRuleIssue] {
        let document = try SonarQubeHTMLTreeBuilder.build(html)
        let tables = detailBodies(in: document)
        // Without detected vulnerabilities, the first table is absent.
        guard tables.count == 2 else { return [] }
        var rules: [String: SonarQubeHTMLNode] = [:]
        for row in tables[1].children where row.name == "tr" {
            let cells = row.descendants(named: "td")
            guard cells.count >= 2, let name = cells[0].firstDescendant(named: "a")?.text,
                  let details = cells[1].firstDescendant(named: "details") else { continue }
            rules[PythonText.strip(name)] = details
        }
        var issues: [SonarQubeRuleIssue] = []
        for row in tables[0].descendants(named: "tr") {
            let cells = row.descendants(named: "td")
            func cell(_ index: Int) -> String? {
                guard index < cells.count else { return nil }
                return cells[index].text.map(PythonText.strip)
            }
            let ruleName = (cells.first?.firstDescendant(named: "a")?.text).map(PythonText.strip) ?? ""
            guard let title = cell(4), let mitigation = cell(5) else {
                throw ParseError(
                    .missingField, "An issue of rule \"\(ruleName)\" has no title or no message.",
                    position: nil)
            }
            let details = rules[ruleName].map { SonarQubeRuleDetails(ruleName: ruleName, details: $0) } ?? .missing
            issues.append(SonarQubeRuleIssue(
                title: title, severity: SonarQubeSeverity.fromSonar(cell(1)), filePath: cell(2), line: cell(3),
                mitigation: mitigation, key: cell(6), description: details.description,
                references: details.references, cwe: details.cwe))
        }
        return issues
    }

    /// The issues of sonar-report's JSON export (`date`, `projectName`, `rules`, `issues`).
    static func issues(json: JSONObject) throws(ParseError) -> [SonarQubeRuleIssue] {
        let rules = json["rules"]?.objectValue
        guard let list = json["issues"]?.arrayValue else {
            throw ParseError(.missingField, "The sonar-report JSON has no \"issues\" list.", position: .jsonPath("$.issues"))
        }
        var parsedRules: [String: SonarQubeRuleDetails] = [:]
        var issues: [SonarQubeRuleIssue] = []
        for (index, value) in list.enumerated() {
            let path = "$.issues[\(index)]"
            guard let issue = value.objectValue else {
                throw ParseError(.invalidValue, "An issue is not an object.", position: .jsonPath(path))
            }
            let ruleID = issue["rule"]?.pythonString ?? "None"
            guard let title = issue["description"]?.stringValue, let mitigation = issue["message"]?.stringValue else {
                throw ParseError(
                    .missingField, "The issue of rule \"\(ruleID)\" has no description or no message.",
                    position: .jsonPath(path))
            }
            let details: SonarQubeRuleDetails
            if let known = parsedRules[ruleID] {
                details = known
            } else if let html = rules?[ruleID]?["htmlDesc"]?.stringValue {
                let fragment = try SonarQubeHTMLTreeBuilder.build(html)
                details = SonarQubeRuleDetails(ruleName: ruleID, details: wrapped(fragment))
                parsedRules[ruleID] = details
            } else {
                details = .missing
            }
            issues.append(SonarQubeRuleIssue(
                title: title, severity: SonarQubeSeverity.fromSonar(issue["severity"]?.stringValue),
                filePath: issue["component"]?.stringValue, line: issue["line"]?.pythonString ?? "None",
                mitigation: mitigation, key: issue["key"]?.stringValue, description: details.description,
                references: details.references, cwe: details.cwe))
        }
        return issues
    }

    /// lxml wraps an HTML fragment in `<html><body>`; the description is read from that root.
    private static func wrapped(_ fragment: SonarQubeHTMLNode) -> SonarQubeHTMLNode {
        let html = SonarQubeHTMLNode(name: "html", attributes: [])
        let body = SonarQubeHTMLNode(name: "body", attributes: [])
        body.text = fragment.text
        body.children = fragment.children
        html.children = [body]
        return html
    }

    /// `/html/body/div[contains(@class,'detail')]/table/tbody`, in document order.
    private static func detailBodies(in document: SonarQubeHTMLNode) -> [SonarQubeHTMLNode] {
        let html = document.children.filter { $0.name == "html" }
        let bodies = html.isEmpty ? [document] : html.flatMap { $0.children.filter { $0.name == "body" } }
        var found: [SonarQubeHTMLNode] = []
        for body in bodies {
            for div in body.children where div.name == "div" && (div.attribute("class") ?? "").contains("detail") {
                for table in div.children where table.name == "table" {
                    found.append(contentsOf: table.children.filter { $0.name == "tbody" })
                }
            }
        }
        return found
    }
}
