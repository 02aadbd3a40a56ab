// Dependency Track Finding Packaging Format (FPF) Export — OWASP Dependency-Track's findings export.
//
// Formats: FPF 1.x JSON: `{"version": …, "meta": …, "project": …, "findings": [ {component,
// vulnerability, analysis, matrix}, … ]}` from Dependency-Track 3.4 to 4.x. An empty object, or no
// `findings` (missing, null or empty), means no findings.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/dependency_track/{no_vuln,one_vuln,many_vulns}.json,
// plus aliases, a false positive, a component without version or purl, Unicode, CRLF and
// malformed reports.
//
// Field mapping (DefectDojo dojo/tools/dependency_track/parser.py):
//   "<component>:<version> affected by: <vulnId> (<source>)" → title
//   vulnerability.severity CRITICAL/HIGH/MEDIUM/LOW/INFO… → severity; anything else → Info (warning)
//   vulnId plus the aliases' cveId, ghsaId, osvId, snykId, sonatypeId, gsdId and vulnDbId → vulnerability_ids
//     (DefectDojo uses a Python set, so its order varies; ours is vulnId first, then report order)
//   cweId → cwe (1035 "known vulnerable component" when absent)
//   component name / version → component_name / component_version; purl → file_path ("unknown" without)
//   vulnerability.uuid → vuln_id_from_tool; matrix (the vulnerability's, else the finding's) → unique_id_from_tool
//   cvssV3Vector → cvssv3 (cleaned) and cvssv3_score (computed; else cvssV3BaseScore)
//   cvssV4Vector → cvssv4 (cleaned); the 4.0 score is not computed
//   epssScore / epssPercentile, references (a list is joined by new lines), published → publish_date
//   analysis.state FALSE_POSITIVE → false positive, mitigated and inactive; analysis.detail → description
//   description: component, vulnerability id and source, purl, title, subtitle, description. static true.
import BulwarkCore

/// Parses Dependency-Track FPF exports (`Dependency Track Finding Packaging Format (FPF) Export`).
public struct DependencyTrackParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Dependency Track Finding Packaging Format (FPF) Export",
            label: "Dependency Track Finding Packaging Format (FPF) Export",
            summary: "The Finding Packaging Format (FPF) from OWASP Dependency Track can be imported in JSON format.",
            version: 1,
            dedupe: .uniqueIDFromToolOrHashCode(fields: [.componentName, .componentVersion, .vulnerabilityIDs])),
    ]

    private static let aliasSources = ["cveId", "ghsaId", "osvId", "snykId", "sonatypeId", "gsdId", "vulnDbId"]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let root = LooseFields(object: try JSONReportDocument.rootObject(input, format: "Dependency-Track FPF export"), path: "$")
            guard let list = root.object["findings"], list.isTruthy else { return ParseResult(findings: []) }
            var warnings: [String] = []
            var findings: [Finding] = []
            var vectors: [String: CVSSVectorData?] = [:]
            for (index, item) in try root.requiredArray("findings").enumerated() {
                let entry = try root.element(item, of: "findings", at: index)
                findings.append(try Self.finding(from: entry, vectors: &vectors, warnings: &warnings))
            }
            return ParseResult(findings: findings, warnings: warnings)
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func finding(
        from entry: LooseFields, vectors: inout [String: CVSSVectorData?], warnings: inout [String]
    ) throws(ParseError) -> Finding {
        guard entry.contains("vulnerability") else { throw missing("vulnerability", "finding", entry) }
        let vulnerability = try entry.requiredObject("vulnerability")
        guard vulnerability.contains("vulnId") else { throw missing("vulnId", "vulnerability", vulnerability) }
        guard vulnerability.contains("source") else { throw missing("source", "vulnerability", vulnerability) }
        guard entry.contains("component") else { throw missing("component", "finding", entry) }
        let component = try entry.requiredObject("component")
        guard component.contains("name") else { throw missing("name", "component", component) }
        let vulnID = vulnerability.pythonText("vulnId") ?? "None"
        let source = vulnerability.pythonText("source") ?? "None"
        let componentName = component.pythonText("name") ?? "None"
        let componentVersion = try component.string("version")

        let title = "\(componentName):\(componentVersion ?? "") affected by: \(vulnID) (\(source))"
        var description = "You are using a component with a known vulnerability. "
        description += componentVersion.map { "Version \($0) of the \(componentName) component" } ?? "The \(componentName) component"
        description += " is affected by the vulnerability with an id of \(vulnID) as identified by \(source)."
        let purl = try component.string("purl")
        if let purl { description += "\nThe purl of the affected component is: \(purl)." }
        for (key, label) in [("title", "Title"), ("subtitle", "Subtitle"), ("description", "Description")] {
            if let text = try vulnerability.string(key) { description += "\nVulnerability \(label): \(text)" }
        }

        let analysis = try entry.optionalObject("analysis")
        let isFalsePositive = analysis?.object["state"] == .string("FALSE_POSITIVE")
        if let detail = analysis?.object["detail"], detail.isTruthy { description += "\nAudit Detail: \(detail.pythonString)" }

        let severity = try severity(of: vulnerability, title: title, warnings: &warnings)
        var finding = Finding(title: title, severity: severity, description: description)
        finding.cwe = try cwe(of: vulnerability)
        finding.falsePositive = isFalsePositive
        if isFalsePositive {
            finding.isMitigated = true
            finding.active = false
        }
        finding.componentName = componentName
        finding.componentVersion = componentVersion
        finding.filePath = purl ?? "unknown"
        let outerMatrix = try entry.string("matrix")
        finding.uniqueIDFromTool = try vulnerability.string("matrix") ?? outerMatrix
        finding.vulnIDFromTool = try vulnerability.string("uuid")
        finding.references = try references(of: vulnerability)
        finding.vulnerabilityIDs = try vulnerabilityIDs(of: vulnerability, vulnID: vulnID)
        try score(&finding, from: vulnerability, vectors: &vectors)
        if let published = try vulnerability.string("published"), !published.isEmpty {
            guard let day = DateParsing.flexible(published)?.calendarDate else {
                throw ParseError(.invalidValue, "\"published\" value \"\(published)\" is not a date.", position: vulnerability.position("published"))
            }
            finding.publishDate = day
        }
        if let epss = vulnerability.double("epssScore"), epss != 0 { finding.epssScore = epss }
        if let epss = vulnerability.double("epssPercentile"), epss != 0 { finding.epssPercentile = epss }
        finding.staticFinding = true
        finding.dynamicFinding = false
        return finding
    }

    private static func missing(_ key: String, _ node: String, _ fields: LooseFields) -> ParseError {
        ParseError(.missingField, "Missing '\(key)' node from \(node)!", position: fields.position())
    }

    private static func severity(of vulnerability: LooseFields, title: String, warnings: inout [String]) throws(ParseError) -> Severity {
        let raw = try vulnerability.requiredValue("severity").pythonString
        switch raw.lowercased() {
        case "critical": return .critical
        case "high": return .high
        case "medium": return .medium
        case "low": return .low
        case let other where other.hasPrefix("info"): return .info
        default:
            warnings.append("Severity \(raw) of \(title) could not be mapped; it is Info.")
            return .info
        }
    }

    private static func cwe(of vulnerability: LooseFields) throws(ParseError) -> Int {
        guard let value = vulnerability.object["cweId"], !value.isNull else { return 1035 }
        guard let number = value.looseInteger else {
            throw ParseError(.invalidValue, "\"cweId\" must be a number.", position: vulnerability.position("cweId"))
        }
        return number
    }

    private static func references(of vulnerability: LooseFields) throws(ParseError) -> String? {
        guard let value = vulnerability.object["references"], value.isTruthy else { return nil }
        if let items = value.arrayValue { return items.map(\.pythonString).joined(separator: "\n") }
        return try vulnerability.string("references")
    }

    /// vulnId first, then each alias's ids in report order, without repeats.
    private static func vulnerabilityIDs(of vulnerability: LooseFields, vulnID: String) throws(ParseError) -> [String] {
        var ids = [vulnID]
        for (index, alias) in (try vulnerability.list("aliases") ?? []).enumerated() {
            let fields = try vulnerability.element(alias, of: "aliases", at: index)
            for source in aliasSources {
                if let id = try fields.string(source), !ids.contains(id) { ids.append(id) }
            }
        }
        return ids
    }

    private static func score(
        _ finding: inout Finding, from vulnerability: LooseFields, vectors: inout [String: CVSSVectorData?]
    ) throws(ParseError) {
        func parsed(_ key: String) throws(ParseError) -> CVSSVectorData? {
            guard let text = try vulnerability.string(key), !text.isEmpty else { return nil }
            if let known = vectors[text] { return known }
            let data = CVSSVectorText.parse(text)
            vectors[text] = data
            return data
        }
        var v3Score = vulnerability.double("cvssV3BaseScore")
        if let data = try parsed("cvssV3Vector") {
            finding.cvssV3 = data.version == .v3 ? data.cleanVector : nil
            v3Score = data.version == .v3 ? data.score : nil
        }
        if let v3Score, v3Score != 0 { finding.cvssV3Score = v3Score }
        if let data = try parsed("cvssV4Vector"), data.version == .v4 { finding.cvssV4 = data.cleanVector }
    }
}
