import BulwarkCore
import Foundation

/// Maps Veracode Findings REST API v2 JSON like DefectDojo's JSON parser: one finding per
/// STATIC, DYNAMIC or SCA entry that is not CLOSED, titled by its category (or CWE name), the
/// description built from "### Meta Information" facts and the HTML description's sections.
enum VeracodeJSONReport {
    private static let severities: [Int: Severity] = [0: .info, 1: .info, 2: .low, 3: .medium, 4: .high, 5: .critical]
    private static let exploitability: [Int: String] = [
        -2: "Very Unlikely", -1: "Unlikely", 0: "Neutral", 1: "Likely", 2: "Very Likely",
    ]
    private static let licenseRisks: [Int: (String, String)] = [
        0: ("Non OSS", "Non-OSS indicates that this file could be subject to commercial license terms. If so, you should refer to your applicable license agreement with such vendor for additional information."),
        1: ("Unrecognized", "Unrecognized indicates that no license was found for the component. However, this does not indicate that there is no risk associated with the license."),
        2: ("Low", "Low-risk licenses are typically permissive licenses that require you to preserve the copyright and license notices, but allow distribution under different terms without disclosing source code."),
        3: ("Medium", "Medium-risk licenses are typically weak copyleft licenses that require you to preserve the copyright and license notices, and require distributors to make the source code of the component and any modifications under the same terms."),
        4: ("High", "High-risk licenses are typically strong copyleft licenses that require you to preserve the copyright and license notices, and require distributors to make the source code of the component and any modifications under the same terms."),
    ]

    static func findings(_ data: Data) throws(ParseError) -> [Finding] {
        guard case .object(let root) = try OrderedJSONParser.parse(data) else {
            throw ParseError(.unsupportedFormat, "The report is JSON but not a Veracode findings object.", position: .jsonPath("$"))
        }
        var items = root["findings"]?.arrayValue ?? []
        var base = "$.findings"
        if items.isEmpty, let embedded = root["_embedded"]?["findings"]?.arrayValue {
            items = embedded
            base = "$._embedded.findings"
        }
        // An object without either list gives no findings, as in DefectDojo.
        var findings: [Finding] = []
        for (index, item) in items.enumerated() {
            let path = "\(base)[\(index)]"
            guard let vuln = item.objectValue else {
                throw ParseError(.invalidValue, "A finding is not an object.", position: .jsonPath(path))
            }
            if vuln["finding_status"]?["status"]?.stringValue == "CLOSED" { continue }
            let scanType = vuln["scan_type"]?.stringValue
            guard scanType == "STATIC" || scanType == "DYNAMIC" || scanType == "SCA" else { continue }
            let details = vuln["finding_details"]?.objectValue ?? JSONObject()
            var finding = try baseFinding(details, scanType: scanType ?? "", policyViolated: vuln["violates_policy"]?.isTruthy == true, path: path)
            switch scanType {
            case "STATIC": addStaticDetails(details, to: &finding)
            case "DYNAMIC": addDynamicDetails(details, to: &finding)
            default: addSCADetails(details, to: &finding)
            }
            if let status = vuln["finding_status"]?.objectValue, let last = status["last_found_date"]?.stringValue {
                finding.date = (DateParsing.iso8601(last) ?? DateParsing.flexible(last))?.calendarDate
            }
            addDescription(vuln["description"]?.stringValue ?? "", scanType: scanType ?? "", to: &finding)
            finding.numberOfOccurrences = vuln["count"]?.looseInteger ?? 1
            findings.append(finding)
        }
        return findings
    }

    private static func baseFinding(
        _ details: JSONObject, scanType: String, policyViolated: Bool, path: String
    ) throws(ParseError) -> Finding {
        let level = details["severity"]?.looseInteger ?? 1
        guard let severity = severities[level] else {
            throw ParseError.unsupportedSeverity("\(level)", position: .jsonPath("\(path).finding_details.severity"))
        }
        var finding = Finding(title: "\(scanType) Finding", severity: severity, description: "### Meta Information\n")
        if policyViolated { finding.tags.append("policy-violation") }
        if let cwe = details["cwe"]?.objectValue, !cwe.isEmpty {
            finding.cwe = cwe["id"]?.looseInteger
        }
        switch details["cvss"] {
        case .string(let vector)? where !vector.isEmpty:
            if vector.hasPrefix("CVSS:3.1/") || vector.hasPrefix("CVSS:3.0/") {
                finding.cvssV3 = VeracodeCVSS.cleaned(vector)
            } else if !vector.hasPrefix("CVSS") {
                finding.cvssV3 = VeracodeCVSS.cleaned("CVSS:3.1/" + vector)
            }
        case .integer(let score)? where score != 0:
            finding.cvssV3Score = Double(score)
        case .number(let score)? where score != 0:
            finding.cvssV3Score = score
        default:
            break
        }
        return finding
    }

    /// The category name, else the CWE name, else the default title.
    private static func categoryTitle(_ details: JSONObject) -> String? {
        if let name = details["finding_category"]?["name"], name.isTruthy { return name.pythonString }
        if let name = details["cwe"]?["name"], name.isTruthy { return name.pythonString }
        return nil
    }

    private static func addStaticDetails(_ details: JSONObject, to finding: inout Finding) {
        finding.staticFinding = true
        finding.dynamicFinding = false
        if let title = categoryTitle(details) { finding.title = title }
        if let file = details["file_path"], file.isTruthy {
            finding.filePath = file.pythonString
            finding.sastSourceFilePath = file.pythonString
        }
        if let line = details["file_line_number"], line.isTruthy, let number = line.looseInteger {
            finding.line = number
            finding.sastSourceLine = number
        }
        if let procedure = details["procedure"]?.stringValue, !procedure.isEmpty {
            finding.sastSourceObject = procedure
            finding.sastSinkObject = procedure
        }
        if let score = details["exploitability"], score.isTruthy {
            finding.description += "**Exploitability Predication**: \(score.looseInteger.flatMap { exploitability[$0] } ?? "None")\n"
        }
        if let vector = details["attack_vector"], vector.isTruthy { finding.description += "**Attack Vector**: \(vector.pythonString)\n" }
        if let module = details["module"], module.isTruthy { finding.description += "**Module**: \(module.pythonString)\n" }
    }

    private static func addDynamicDetails(_ details: JSONObject, to finding: inout Finding) {
        finding.staticFinding = false
        finding.dynamicFinding = true
        if let title = categoryTitle(details) { finding.title = title }
        if let url = details["url"]?.stringValue, !url.isEmpty, let endpoint = try? EndpointURL.parse(url) {
            finding.endpoints = [endpoint]
        } else if details["url"] == nil || details["url"]?.isTruthy == false {
            finding.endpoints = [EndpointURL(
                host: details["hostname"]?.stringValue, port: details["port"]?.looseInteger, path: details["path"]?.stringValue)]
        }
        if let plugin = details["plugin"], plugin.isTruthy { finding.description += "**Plugin**: \(plugin.pythonString)\n" }
        if let vector = details["attack_vector"], vector.isTruthy { finding.description += "**Attack Vector**: \(vector.pythonString)\n" }
        if let parameter = details["vulnerable_parameter"], parameter.isTruthy {
            finding.description += "**Vulnerable Parameter**: \(parameter.pythonString)\n"
        }
        if details["discovered_by_vsa"]?.isTruthy == true {
            finding.description += "**Note**: This finding was discovered by Virtual Scan Appliance\n"
        }
    }

    private static func addSCADetails(_ details: JSONObject, to finding: inout Finding) {
        finding.staticFinding = false
        finding.dynamicFinding = false
        var title = details["cwe"]?["name"].flatMap { $0.isNull ? nil : $0.pythonString }
        var vulnID: String?
        if let cve = details["cve"]?.objectValue, !cve.isEmpty {
            vulnID = cve["name"]?.stringValue
            if let vulnID { finding.vulnerabilityIDs.append(vulnID) }
            if finding.cvssV3 == nil, let vector = cve["cvss3"]?["vector"]?.stringValue, !vector.isEmpty {
                finding.cvssV3 = VeracodeCVSS.cleaned("CVSS:3.1/" + vector)
            }
        }
        for (key, label) in [("product_id", "Product ID"), ("component_id", "Component ID"), ("language", "Language")] {
            if let value = details[key], value.isTruthy { finding.description += "**\(label)**: \(value.pythonString)\n" }
        }
        if let paths = details["component_path"]?.arrayValue, !paths.isEmpty {
            finding.description += "#### Component Locations\n" + paths.map { "- \($0["path"]?.pythonString ?? "None")\n" }.joined()
        }
        if let licenses = details["licenses"]?.arrayValue, !licenses.isEmpty {
            finding.description += "#### Licenses\n"
            for license in licenses {
                let risk = licenseRisks[license["risk_rating"]?.looseInteger ?? 5] ?? ("Unknown", "")
                finding.description += "- \(license["license_id"]?.pythonString ?? "None"): \(risk.0)\n    - \(risk.1)\n"
            }
        }
        if let fileName = details["component_filename"]?.stringValue, !fileName.isEmpty {
            if let version = details["version"]?.stringValue, !version.isEmpty { finding.componentVersion = version }
            var name = fileName
            if let version = finding.componentVersion { name = name.replacingOccurrences(of: version, with: "") }
            name = name.replacingOccurrences(of: "-.", with: ".").replacingOccurrences(of: "_.", with: ".")
            if name.hasSuffix("-") || name.hasSuffix("_") { name.removeLast() }
            finding.componentName = name
        }
        if title?.isEmpty ?? true { title = "\(finding.componentName ?? "None") - \(vulnID ?? "None")" }
        finding.title = title ?? finding.title
    }

    /// The HTML description's `<span>` sections: details, then mitigation and references.
    private static func addDescription(_ body: String, scanType: String, to finding: inout Finding) {
        guard scanType != "SCA" else {
            finding.description += "### Details\n\(body)"
            return
        }
        let marker = scanType == "STATIC" ? "References:" : "<a href"
        let sections = body.components(separatedBy: "<span>").filter { !$0.isEmpty }
            .map { PythonText.strip($0.replacingOccurrences(of: "</span>", with: "")) }
        if let first = sections.first { finding.description += "### Details\n\(first)" }
        if sections.count > 1 {
            if sections[1].contains(marker) {
                finding.references = references(sections[1])
            } else {
                finding.mitigation = sections[1]
            }
        }
        if sections.count > 2, sections[2].contains(marker) {
            finding.references = references(sections[2])
        }
    }

    /// `- [label](link)` lines for the anchors of a references section.
    static func references(_ text: String) -> String {
        let sections = text.replacingOccurrences(of: "References: ", with: "").components(separatedBy: "<a ")
            .filter { !$0.isEmpty }.map(PythonText.strip)
        var result = ""
        for section in sections {
            guard let match = section.firstMatch(of: #/href=\"(.*)\">(.*)</a>/#) else { continue }
            let link = String(match.1)
            let label = String(match.2)
            if !link.isEmpty, !label.isEmpty {
                result += "- [\(label)](\(link))\n"
            } else if !link.isEmpty {
                result += "- \(link)\n"
            }
        }
        return result
    }
}

/// CVSS v3 vectors as the `cvss` package's `clean_vector` writes them: metrics in the
/// specification's order, optional metrics set to `X` left out.
enum VeracodeCVSS {
    private static let order = [
        "AV", "AC", "PR", "UI", "S", "C", "I", "A", "E", "RL", "RC", "CR", "IR", "AR",
        "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA",
    ]
    private static let base: Set<String> = ["AV", "AC", "PR", "UI", "S", "C", "I", "A"]

    /// The cleaned vector, or `nil` when a base metric is missing.
    static func cleaned(_ vector: String) -> String? {
        let parts = vector.split(separator: "/").map(String.init)
        guard let prefix = parts.first, prefix.hasPrefix("CVSS:") else { return nil }
        var metrics: [String: String] = [:]
        for part in parts.dropFirst() {
            let pair = part.split(separator: ":", maxSplits: 1).map(String.init)
            guard pair.count == 2, order.contains(pair[0]) else { return nil }
            metrics[pair[0]] = pair[1]
        }
        guard base.isSubset(of: Set(metrics.keys)) else { return nil }
        let kept = order.compactMap { key -> String? in
            guard let value = metrics[key], base.contains(key) || value != "X" else { return nil }
            return "\(key):\(value)"
        }
        return ([prefix] + kept).joined(separator: "/")
    }
}
