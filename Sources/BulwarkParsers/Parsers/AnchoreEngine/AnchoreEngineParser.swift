// Anchore Engine Scan — vulnerability reports of anchore-cli / Anchore Engine (JSON).
//
// Formats: the classic `anchore-cli image vuln <image> all` report (`{"vulnerabilities": [...]}`,
// snake_case members, image_digest or imageDigest) and the newer policy-evaluation shape with
// `metadata` and `securityEvaluation` (camelCase members), chosen as DefectDojo does: a
// non-empty `metadata` object means the newer shape.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/anchore_engine/{no_vuln,one_vuln,many_vulns,
// security_evaluation}.json, plus malformed variants.
//
// Field mapping (DefectDojo dojo/tools/anchore_engine/parser.py), classic shape:
//   "<vuln> - <package>(<package_type>)" → title; severity Negligible/Unknown → Info
//   image digest, package, path, type, feed/group, CPE, description → description (Markdown)
//   "Upgrade to <package_name> <fix>\nURL: <url>\n" → mitigation; fix != "None" → fix_available
//   nvd_data[0] (feeds nvdv2 / vulnerabilities) or vendor_data[0|1] cvss_v3.base_score, only
//   within 0…10 → cvssv3_score; url → references; package_path → file_path;
//   package_name / package_version → component; vuln → vuln_id_from_tool and vulnerability_ids.
//   Repeats of (digest, feed, group, package name, version, path, vuln) keep the first.
// Newer shape: "<vulnerabilityId>-<package>(<packageType>)" → title; the description grows
// with every item (DefectDojo appends each package to one running text); cves → cve;
// fixAvailable → "Upgrade to: a or b\n\nURL: <link>" mitigation; nvdCvssBaseScore → score;
// path → file_path; package → component_name. Repeats of (cves, package, type, path,
// severity) keep the first. static true, dynamic false.
import BulwarkCore
import Foundation

/// Parses Anchore Engine vulnerability reports (`Anchore Engine Scan`).
public struct AnchoreEngineParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Anchore Engine Scan", label: "Anchore Engine Scan",
            summary: "Anchore-CLI JSON vulnerability report format.", version: 1,
            dedupe: .hashCode(fields: [.title, .severity, .componentName, .componentVersion, .filePath])),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let report = try JSONReport.object(try JSONReport.read(input), tool: "Anchore Engine")
            if let metadata = report.member("metadata"), metadata.isTruthy {
                return ParseResult(findings: try Self.evaluationFindings(report, metadata: metadata))
            }
            guard let vulnerabilities = report.member("vulnerabilities")?.arrayValue else {
                throw ParseError(.missingField, "The report has no \"vulnerabilities\" list.", position: .jsonPath("$.vulnerabilities"))
            }
            return ParseResult(findings: try Self.classicFindings(vulnerabilities))
        } catch {
            throw error.naming(scanType)
        }
    }

    // MARK: Classic report

    private static func classicFindings(_ items: [JSONValue]) throws(ParseError) -> [Finding] {
        var findings: [Finding] = []
        var seen: Set<String> = []
        for (index, item) in items.enumerated() {
            let path = "$.vulnerabilities[\(index)]"
            func required(_ key: String) throws(ParseError) -> String {
                guard let value = item.text(key) else {
                    throw ParseError(.missingField, "Required field \"\(key)\" is missing.", position: .jsonPath(path + JSONPath.member(key)))
                }
                return value
            }
            let vuln = try required("vuln"), package = try required("package"), packageType = try required("package_type")
            let packagePath = try required("package_path"), feed = try required("feed"), feedGroup = try required("feed_group")
            let cpe = try required("package_cpe"), rawSeverity = try required("severity")
            let packageName = try required("package_name"), fix = try required("fix"), url = try required("url")
            let packageVersion = try required("package_version")
            let digest = item.text("image_digest") ?? item.text("imageDigest") ?? "None"

            let key = [digest, feed, feedGroup, packageName, packageVersion, packagePath, vuln].joined(separator: "|")
            guard seen.insert(key).inserted else { continue }

            let severityText = rawSeverity == "Negligible" || rawSeverity == "Unknown" ? "Info" : rawSeverity
            var description = "**Image hash**: \(digest)\n\n**Package**: \(package)\n\n"
            description += "**Package path**: \(packagePath)\n\n**Package type**: \(packageType)\n\n"
            description += "**Feed**: \(feed)/\(feedGroup)\n\n**CPE**: \(cpe)\n\n"
            description += "**Description**: \(item.text("description") ?? "<None>")\n\n"
            var finding = Finding(
                title: "\(vuln) - \(package)(\(packageType))",
                severity: try Severity.sanitizedOrThrow(severityText, at: .jsonPath(path + ".severity")),
                description: description)
            finding.mitigation = "Upgrade to \(packageName) \(fix)\nURL: \(url)\n"
            finding.fixAvailable = fix != "None"
            finding.cvssV3Score = classicScore(item, feed: feed).flatMap { (0...10).contains($0) ? $0 : nil }
            finding.references = url
            finding.filePath = packagePath
            finding.componentName = packageName
            finding.componentVersion = packageVersion
            finding.staticFinding = true
            finding.dynamicFinding = false
            finding.vulnIDFromTool = vuln
            if !vuln.isEmpty { finding.vulnerabilityIDs = [vuln] }
            findings.append(finding)
        }
        return findings
    }

    /// The CVSS v3 base score from the NVD data, or from the first vendor entry that has one.
    private static func classicScore(_ item: JSONValue, feed: String) -> Double? {
        if feed == "nvdv2" || feed == "vulnerabilities" {
            return item.list("nvd_data").first?.member("cvss_v3")?.member("base_score")?.looseDouble
        }
        // Anchore writes -1 for "not set" and may keep the real value in the second entry.
        for vendor in item.list("vendor_data").prefix(2) {
            if let score = vendor.member("cvss_v3")?.member("base_score")?.looseDouble, score != -1 { return score }
        }
        return nil
    }

    // MARK: Policy evaluation report

    private static func evaluationFindings(_ report: JSONValue, metadata: JSONValue) throws(ParseError) -> [Finding] {
        var findings: [Finding] = []
        var seen: Set<String> = []
        var details = "**Image hash**: \(metadata.text("imageDigest") ?? metadata.text("image_digest") ?? "None") \n\n"
        for (index, item) in report.list("securityEvaluation").enumerated() {
            let vulnerabilityID = item.text("vulnerabilityId") ?? "Unknown"
            let package = item.text("package") ?? "Unknown"
            let packageType = item.text("packageType") ?? "Unknown"
            details += "**Package**: \(package)\n\n**Package path**: \(item.text("path") ?? "Unknown")\n\n"
            details += "**Package type**: \(packageType)\n\n"
            let rawSeverity = item.text("severity") ?? "Unknown"
            let lowered = rawSeverity.lowercased()

            let key = ["cves", "package", "packageType", "path", "severity"].map { item.text($0) ?? "None" }.joined(separator: "|")
            guard seen.insert(key).inserted else { continue }

            var finding = Finding(
                title: "\(vulnerabilityID)-\(package)(\(packageType))",
                severity: try Severity.sanitizedOrThrow(
                    lowered == "negligible" || lowered == "unknown" ? "Info" : rawSeverity,
                    at: .jsonPath("$.securityEvaluation[\(index)].severity")),
                description: details)
            finding.mitigation = "No fix available."
            finding.fixAvailable = false
            if let fixes = item.member("fixAvailable"), fixes.isTruthy, let text = item.text("fixAvailable"), text != "None" {
                finding.mitigation = "Upgrade to: \(text.components(separatedBy: ",").joined(separator: " or "))\n\n"
                    + "URL: \(item.text("link") ?? "None")"
                finding.fixAvailable = true
            }
            finding.cvssV3Score = evaluationScore(item.member("nvdCvssBaseScore"))
            finding.cve = item.text("cves")
            finding.references = item.text("link")
            finding.filePath = item.text("path")
            finding.componentName = item.text("package")
            finding.staticFinding = true
            finding.dynamicFinding = false
            finding.vulnIDFromTool = vulnerabilityID
            if !vulnerabilityID.isEmpty { finding.vulnerabilityIDs = [vulnerabilityID] }
            findings.append(finding)
        }
        return findings
    }

    /// A number, or text of digits with at most one dot; anything else gives no score.
    private static func evaluationScore(_ value: JSONValue?) -> Double? {
        switch value {
        case .integer(let number)?: return Double(number)
        case .number(let number)?: return number.isFinite ? number : nil
        case .string(let text)?:
            let digits = text.replacingOccurrences(of: ".", with: "", options: [], range: text.range(of: "."))
            guard !digits.isEmpty, digits.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
            return Double(text)
        default: return nil
        }
    }
}
