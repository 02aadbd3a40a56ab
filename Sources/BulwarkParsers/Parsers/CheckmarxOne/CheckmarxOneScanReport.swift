import BulwarkCore
import Foundation

/// Checkmarx One's scan report (`scanResults`, `iacScanResults`, `scaScanResults`,
/// `vulnerabilityDetails`), read like DefectDojo's `parse_vulnerabilities_from_scan_list`:
/// one finding per SAST vulnerability instance, then one per IaC result. SCA packages give none.
///
/// SAST: queryPath (else queryName, else "SAST Finding") with `_` as spaces → title; the query
/// description and the CWE's cause, then each instance's nodes → description; the CWE's risk →
/// impact; its general recommendations → mitigation; categories → references (Markdown list);
/// cweId → cwe; destinationFileName/destinationLine → file_path/line; foundDate → date; tag "sast".
/// IaC: "<technology>: <queryName>" → title; query description, category, issue type and viewer
/// link → description; actual and expected values → mitigation; fileName → file_path;
/// lastDetectionDate → date; tag "iac".
enum CheckmarxOneScanReport {
    static func findings(_ root: LooseFields) throws(ParseError) -> [Finding] {
        let cweStore = try root.list("vulnerabilityDetails").map { $0.compactMap(\.objectValue) } ?? []
        var findings: [Finding] = []
        if let sast = try section(root, "scanResults", list: "resultsList") {
            for (index, item) in sast.items.enumerated() {
                findings += try sastFindings(try sast.fields.element(item, of: "resultsList", at: index), cweStore: cweStore)
            }
        }
        if let iac = try section(root, "iacScanResults", list: "technology") {
            for (index, item) in iac.items.enumerated() {
                findings += try iacFindings(try iac.fields.element(item, of: "technology", at: index))
            }
        }
        return findings
    }

    /// `(data.get(member) or {}).get(list)` when that list is present and not null.
    private static func section(
        _ root: LooseFields, _ member: String, list: String
    ) throws(ParseError) -> (fields: LooseFields, items: [JSONValue])? {
        guard let fields = try root.optionalObject(member), let value = fields.object[list], !value.isNull else { return nil }
        return (fields, try fields.requiredArray(list))
    }

    private static func sastFindings(_ result: LooseFields, cweStore: [JSONObject]) throws(ParseError) -> [Finding] {
        let cweValue = result.object["cweId"]
        let cweInfo = cweValue.flatMap { (cwe) -> JSONObject? in
            cwe.isNull ? nil : cweStore.first { ($0["cweId"] ?? .integer(0)) == cwe }
        } ?? JSONObject()
        let info = LooseFields(object: cweInfo, path: "$.vulnerabilityDetails")
        let titleSource = result.contains("queryPath") ? result.pythonText("queryPath") : (result.pythonText("queryName") ?? "SAST Finding")
        let title = (titleSource ?? "None").replacingOccurrences(of: "_", with: " ")
        let baseDescription = "\(result.pythonText("description") ?? "None")\n\n\(info.pythonText("cause") ?? "")"
        var references = ""
        for (index, item) in (try result.list("categories") ?? []).enumerated() {
            let category = try result.element(item, of: "categories", at: index)
            references += "- \(category.pythonText("name") ?? "None")\n"
            for sub in try category.list("subCategories") ?? [] { references += "\t- \(sub.pythonString)\n" }
        }

        var findings: [Finding] = []
        for (index, item) in try result.requiredArray("vulnerabilities").enumerated() {
            let instance = try result.element(item, of: "vulnerabilities", at: index)
            var finding = Finding(title: title, severity: try CheckmarxOneParser.titledSeverity(of: instance), description: baseDescription)
            finding.references = references
            finding.impact = info.pythonText("risk") ?? ""
            finding.mitigation = info.pythonText("generalRecommendations") ?? ""
            finding.cwe = cweValue.flatMap { $0.isNull ? nil : $0.looseInteger }
            finding.date = try CheckmarxOneParser.date(instance.object["foundDate"], at: instance.position("foundDate"))
            finding.filePath = try instance.string("destinationFileName")
            finding.line = instance.integer("destinationLine", nullDefault: nil, absentDefault: nil)
            CheckmarxOneParser.applyState(of: instance, to: &finding)
            let snippets = try (instance.list("nodes") ?? []).enumerated().map { (offset, node) throws(ParseError) -> String in
                let fields = try instance.element(node, of: "nodes", at: offset)
                return "**File Name**: \(fields.pythonText("fileName") ?? "None")\n**Method**: \(fields.pythonText("method") ?? "None")\n"
                    + "**Line**: \(fields.pythonText("line") ?? "None")\n**Code Snippet**: \(fields.pythonText("code") ?? "None")\n"
            }
            if !snippets.isEmpty { finding.description += "\n---\n" + snippets.joined(separator: "\n---\n") }
            finding.tags = ["sast"]
            findings.append(finding)
        }
        return findings
    }

    private static func iacFindings(_ technology: LooseFields) throws(ParseError) -> [Finding] {
        let name = technology.pythonText("name") ?? "IaC Finding"
        var findings: [Finding] = []
        for (queryIndex, queryItem) in (try technology.list("queries") ?? []).enumerated() {
            let query = try technology.element(queryItem, of: "queries", at: queryIndex)
            let title = "\(name): \(query.pythonText("queryName") ?? "None")"
            let baseDescription = "\(query.pythonText("description") ?? "None")\n\n**Category**: \(query.pythonText("category") ?? "None")\n"
            for (index, item) in try query.requiredArray("resultsList").enumerated() {
                let instance = try query.element(item, of: "resultsList", at: index)
                var finding = Finding(
                    title: title, severity: try CheckmarxOneParser.titledSeverity(of: instance),
                    description: baseDescription + "**Issue Type**: \(instance.pythonText("issueType") ?? "None")\n"
                        + "[View in Checkmarx One](\(instance.pythonText("resultViewerLink") ?? "None"))")
                finding.date = try CheckmarxOneParser.date(instance.object["lastDetectionDate"], at: instance.position("lastDetectionDate"))
                finding.filePath = try instance.string("fileName")
                finding.mitigation = "**Actual Value**: \(instance.pythonText("actualValue") ?? "None")\n"
                    + "**Expected Value**: \(instance.pythonText("expectedValue") ?? "None")\n"
                CheckmarxOneParser.applyState(of: instance, to: &finding)
                finding.tags = ["iac"]
                findings.append(finding)
            }
        }
        return findings
    }
}
