import BulwarkCore
import Foundation

/// Turns Trivy `Results` entries into findings, as DefectDojo's `get_result_items` does.
///
/// One mapping serves a whole report: it remembers the CVSS vectors it has read, which repeat
/// across thousands of vulnerabilities in large reports.
struct TrivyMapping {
    private typealias CVSSData = (v3: CVSS3Calculator?, v4: String?, severity: Severity?)
    private var cvssCache: [String: CVSSData?] = [:]

    private static let severities: [String: Severity] = [
        "CRITICAL": .critical, "HIGH": .high, "MEDIUM": .medium, "LOW": .low, "UNKNOWN": .info,
    ]
    private static let severitySources = ["nvd", "ghsa", "redhat", "bitnami"]

    /// Findings of a list of results (legacy reports and Kubernetes resources).
    mutating func findings(results: [JSONValue], service: String?, path: String) throws(ParseError) -> [Finding] {
        var findings: [Finding] = []
        for (index, result) in results.enumerated() {
            try append(result: result, service: service, path: "\(path)[\(index)]", to: &findings)
        }
        return findings
    }

    /// Appends the findings of one result: vulnerabilities, misconfigurations, secrets, licenses.
    mutating func append(result: JSONValue, service: String?, path: String, to findings: inout [Finding]) throws(ParseError) {
        guard let target = result["Target"], result.objectValue != nil else { return }
        let context = Context(
            target: target.pythonString, targetClass: result.text("Class"), type: result.pythonText("Type", default: ""),
            typeTag: result.text("Type"), service: service)
        for (index, vulnerability) in result.list("Vulnerabilities").enumerated() where vulnerability.objectValue != nil {
            if let finding = try self.vulnerability(vulnerability, context, path: "\(path).Vulnerabilities[\(index)]") {
                findings.append(finding)
            }
        }
        for misconfiguration in result.list("Misconfigurations") {
            findings.append(Self.misconfiguration(misconfiguration, context))
        }
        for (index, secret) in result.list("Secrets").enumerated() {
            findings.append(try Self.secret(secret, context, path: "\(path).Secrets[\(index)]"))
        }
        for (index, license) in result.list("Licenses").enumerated() {
            findings.append(try Self.license(license, context, path: "\(path).Licenses[\(index)]"))
        }
    }

    /// What every finding of one result shares.
    struct Context {
        let target: String
        let targetClass: String?
        /// `Type` as the description prints it (`""` when absent).
        let type: String
        /// `Type` for tags (absent or empty means no tag).
        let typeTag: String?
        let service: String?

        func base(title: String, severity: Severity, description: String) -> Finding {
            var finding = Finding(title: title, severity: severity, description: description)
            finding.staticFinding = true
            finding.dynamicFinding = false
            finding.service = service
            return finding
        }

        func tags(_ first: String?) -> [String] {
            [first, targetClass].compactMap { $0 }.filter { !$0.isEmpty }
        }
    }

    // MARK: Vulnerabilities

    private mutating func vulnerability(_ vuln: JSONValue, _ context: Context, path: String) throws(ParseError) -> Finding? {
        // DefectDojo skips a vulnerability without a package name or with an unknown severity.
        guard let packageName = vuln["PkgName"].map(\.pythonString) else { return nil }
        var severity: Severity?
        if let raw = vuln.member("Severity"), raw.isTruthy {
            guard let known = Self.severities[raw.pythonString] else { return nil }
            severity = known
        }
        var finding = context.base(title: "", severity: .info, description: "")
        let cvss = vuln.member("CVSS")
        var cvssClass: JSONValue?
        for source in [vuln.text("SeveritySource")] + Self.severitySources.map(Optional.some) {
            if let source, let candidate = cvss?[source], !candidate.isNull {
                cvssClass = candidate
                break
            }
        }
        if let cvssClass {
            if let data = cvssData(cvssClass.text("V40Vector")) {
                finding.cvssV4 = data.v4
                severity = severity ?? data.severity
            } else if let score = cvssClass.member("V4Score") {
                finding.cvssV4Score = score.looseDouble
                severity = severity ?? Self.scoreSeverity(score)
            } else if let data = cvssData(cvssClass.text("V3Vector")) {
                finding.cvssV3 = data.v3?.cleanVector
                finding.cvssV3Score = data.v3?.environmentalScore
                severity = severity ?? data.severity
            } else if let score = cvssClass.member("V3Score") {
                finding.cvssV3Score = score.looseDouble
                severity = severity ?? Self.scoreSeverity(score)
            } else if let score = cvssClass.member("V2Score") {
                severity = severity ?? Self.scoreSeverity(score)
            }
        }
        finding.severity = severity ?? .info
        switch context.targetClass {
        case "os-pkgs", "lang-pkgs": finding.filePath = vuln.text("PkgPath") ?? context.target
        case "config": finding.filePath = context.target
        default: break
        }

        let id = vuln.pythonText("VulnerabilityID", default: "0")
        let version = vuln.pythonText("InstalledVersion", default: "")
        let fixed: String? = vuln["FixedVersion"].map { $0.isNull ? nil : $0.pythonString } ?? ""
        finding.title = "\(id) \(packageName) \(version)"
        finding.description = "\(vuln.pythonText("Title", default: ""))\n**Target:** \(context.target)\n**Type:** \(context.type)\n"
            + "**Fixed version:** \(fixed ?? "None")\n\n\(vuln.pythonText("Description", default: ""))\n"
        finding.references = vuln.list("References").map(\.pythonString).joined(separator: "\n")
        finding.mitigation = fixed
        finding.fixAvailable = !(fixed ?? "").isEmpty
        finding.impact = vuln["Status"].map { $0.isNull ? nil : $0.pythonString } ?? ""
        Self.applyStatus(vuln.text("Status"), to: &finding)
        let cwes = try vuln.list("CweIDs").enumerated().map { (index, item) throws(ParseError) -> Int in
            try Self.cweNumber(item.pythonString, path: path, index: index)
        }
        finding.cwe = cwes.first ?? 0
        finding.cwes = cwes
        finding.componentName = packageName
        finding.componentVersion = vuln["InstalledVersion"].map { $0.isNull ? nil : $0.pythonString } ?? ""
        finding.tags = context.tags(context.typeTag)
        if let vulnID = vuln["VulnerabilityID"], !vulnID.isTruthy {
            // An explicit empty or null id gives no vulnerability id.
        } else {
            finding.vulnerabilityIDs = [id]
        }
        return finding
    }

    /// `int("CWE-79".split("-")[1])`.
    private static func cweNumber(_ text: String, path: String, index: Int) throws(ParseError) -> Int {
        // Fast path for the usual "CWE-<digits>".
        let utf8 = text.utf8
        if utf8.count > 4, utf8.count < 12, text.hasPrefix("CWE-"), utf8.dropFirst(4).allSatisfy({ (0x30...0x39).contains($0) }) {
            return utf8.dropFirst(4).reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count > 1, let number = LooseFields.pythonInt(String(parts[1])) else {
            throw ParseError(
                .invalidValue, "CWE id \"\(text)\" is not of the form CWE-<number>.", position: .jsonPath("\(path).CweIDs[\(index)]"))
        }
        return number
    }

    /// DefectDojo's `convert_cvss_score`.
    private static func scoreSeverity(_ value: JSONValue) -> Severity {
        guard let score = value.looseDouble else { return .info }
        if score == 0 { return .info }
        switch score {
        case ..<4: return .low
        case ..<7: return .medium
        case ..<9: return .high
        default: return .critical
        }
    }

    /// `parse_cvss_data`: `nil` when the text holds no valid vector.
    private mutating func cvssData(_ text: String?) -> CVSSData? {
        guard let text, !text.isEmpty else { return nil }
        if let known = cvssCache[text] { return known }
        let data: CVSSData?
        switch CVSSText.firstVector(in: text) {
        case .v3(let cvss)?: data = (cvss, nil, Severity.sanitized(CVSSText.severity(ofScore: cvss.baseScore)))
        case .v4(let text)?: data = (nil, text, nil)
        case .v2?: data = (nil, nil, nil)
        case nil: data = nil
        }
        cvssCache[text] = data
        return data
    }

    /// DefectDojo's `convert_trivy_status`.
    private static func applyStatus(_ status: String?, to finding: inout Finding) {
        switch status {
        case "unknown": finding.verified = false
        case "not_affected":
            finding.active = false
            finding.verified = true
            finding.isMitigated = true
        case "affected", "fixed", "will_not_fix", "fix_deferred", "end_of_life":
            finding.active = true
            finding.verified = true
        case "under_investigation":
            finding.active = true
            finding.verified = false
        default: break
        }
    }

    // MARK: Misconfigurations, secrets, licenses

    private static func misconfiguration(_ item: JSONValue, _ context: Context) -> Finding {
        let id = item["ID"]
        let avdID = item["AVDID"] ?? id
        let description = item.pythonText("Description", default: "")
        var message = item.pythonText("Message", default: "")
        let lines = item.member("CauseMetadata")?.member("Code")?["Lines"] ?? .array([])
        if let rows = lines.arrayValue {
            message += "\nNumber\tContent\n" + rows.map {
                "\($0.pythonText("Number", default: ""))\t\($0.pythonText("Content", default: ""))\n"
            }.joined()
        }
        let primaryURL = item.text("PrimaryURL")
        var references: [String] = []
        if let primaryURL, !primaryURL.isEmpty { references.append(primaryURL) }
        references += item.list("References").map(\.pythonString).filter { $0 != primaryURL }
        var finding = context.base(
            title: "\(id?.pythonString ?? "None") - \(item.pythonText("Title", default: "Unknown Misconfiguration"))",
            severity: severities[item.pythonText("Severity", default: "Low")] ?? .info,
            description: "**Target:** \(context.target)\n**Type:** \(item.pythonText("Type"))\n\n\(description)\n\(message)\n")
        finding.mitigation = item.text("Resolution")
        finding.references = references.isEmpty ? nil : references.joined(separator: "\n")
        finding.filePath = context.target
        finding.impact = item["Description"].map { $0.isNull ? nil : $0.pythonString } ?? ""
        finding.fixAvailable = true
        if let avdID, avdID.isTruthy { finding.vulnerabilityIDs = [avdID.pythonString] }
        finding.tags = context.tags(context.typeTag)
        return finding
    }

    private static func secret(_ item: JSONValue, _ context: Context, path: String) throws(ParseError) -> Finding {
        let title = item.pythonText("Title")
        let rawSeverity = item.pythonText("Severity")
        guard let severity = severities[rawSeverity] else {
            throw ParseError.unsupportedSeverity(rawSeverity, position: .jsonPath(path + ".Severity"))
        }
        var finding = context.base(
            title: "Secret detected in \(context.target) - \(title)", severity: severity,
            description: "\(title)\n**Category:** \(item.pythonText("Category"))\n**Match:** \(item.pythonText("Match"))\n")
        finding.filePath = context.target
        finding.line = item.member("StartLine")?.looseInteger
        finding.fixAvailable = true
        finding.tags = context.tags(nil)
        return finding
    }

    private static func license(_ item: JSONValue, _ context: Context, path: String) throws(ParseError) -> Finding {
        let name = item.pythonText("Name")
        let rawSeverity = item.pythonText("Severity")
        guard let severity = severities[rawSeverity] else {
            throw ParseError.unsupportedSeverity(rawSeverity, position: .jsonPath(path + ".Severity"))
        }
        var finding = context.base(
            title: "License detected in \(context.target) - \(name)", severity: severity,
            description: "\(name)\n**Category:** \(item.pythonText("Category"))\n**Package:** \(item.pythonText("PkgName"))\n")
        finding.filePath = item.member("FilePath").map(\.pythonString)
        finding.scannerConfidence = item.member("Confidence")?.looseInteger
        finding.fixAvailable = true
        finding.tags = context.tags(nil)
        return finding
    }
}
