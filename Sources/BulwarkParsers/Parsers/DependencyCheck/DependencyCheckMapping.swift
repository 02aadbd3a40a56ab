import BulwarkCore
import Foundation

/// Builds the findings of one Dependency-Check `<dependency>` (see DependencyCheckParser.swift for
/// the mapping). Paths are ElementTree paths in the report's namespace.
struct DependencyCheckMapping {
    let names: DependencyCheckNames

    private static let severities: [String: Severity] = [
        "info": .info, "low": .low, "moderate": .medium, "medium": .medium, "high": .high, "critical": .critical,
    ]
    private static let cvssFields: [(field: String, abbreviation: String, values: [String: String])] = {
        let noneLowHigh = ["NONE": "N", "LOW": "L", "HIGH": "H", "N": "N", "L": "L", "H": "H"]
        return [
            ("attackVector", "AV", ["NETWORK": "N", "ADJACENT": "A", "LOCAL": "L", "PHYSICAL": "P", "N": "N", "A": "A", "L": "L", "P": "P"]),
            ("attackComplexity", "AC", ["LOW": "L", "HIGH": "H", "L": "L", "H": "H"]),
            ("privilegesRequired", "PR", noneLowHigh),
            ("userInteraction", "UI", ["NONE": "N", "REQUIRED": "R", "N": "N", "R": "R"]),
            ("scope", "S", ["UNCHANGED": "U", "CHANGED": "C", "U": "U", "C": "C"]),
            ("confidentialityImpact", "C", noneLowHigh),
            ("integrityImpact", "I", noneLowHigh),
            ("availabilityImpact", "A", noneLowHigh),
        ]
    }()

    private func tag(_ name: String) -> String { names.tag(name) }

    /// Python's `str()` of an optional text: `None` when absent.
    private static func python(_ text: String?) -> String { text ?? "None" }

    /// The findings of the dependency's vulnerabilities, then of its suppressed ones.
    func findings(of dependency: XMLElementNode) throws(ParseError) -> [Finding] {
        guard let vulnerabilities = dependency.find(tag("vulnerabilities")) else { return [] }
        let related = relatedBlock(of: dependency)
        var findings: [Finding] = []
        for vulnerability in vulnerabilities.findAll(tag("vulnerability")) + vulnerabilities.findAll(tag("suppressedVulnerability")) {
            var finding = try finding(dependency: dependency, vulnerability: vulnerability)
            finding.description += related
            findings.append(finding)
        }
        return findings
    }

    /// `"\n**Related Filepaths:**\n- name (path)…"`, or `""`.
    private func relatedBlock(of dependency: XMLElementNode) -> String {
        guard let related = dependency.find(tag("relatedDependencies")) else { return "" }
        var entries: [String] = []
        for entry in related.findAll(tag("relatedDependency")) {
            guard let fileName = entry.findText(tag("fileName")), !fileName.isEmpty else { continue }
            let filePath = PythonText.strip(entry.findText(tag("filePath")) ?? "")
            entries.append(filePath.isEmpty ? "- \(fileName)" : "- \(fileName) (\(filePath))")
        }
        return entries.isEmpty ? "" : "\n**Related Filepaths:**\n" + entries.joined(separator: "\n")
    }

    private func finding(dependency: XMLElementNode, vulnerability: XMLElementNode) throws(ParseError) -> Finding {
        guard let fileName = dependency.findText(tag("fileName")) else {
            throw dependency.error(.missingField, "A <dependency> with vulnerabilities has no <fileName>.")
        }
        let filePath = dependency.findText(tag("filePath"))
        guard let name = vulnerability.findText(tag("name")) else {
            throw vulnerability.error(.missingField, "A <\(vulnerability.localName)> has no <name>.")
        }
        guard var description = vulnerability.findText(tag("description")) else {
            throw vulnerability.error(.missingField, "The <\(vulnerability.localName)> \"\(name)\" has no <description>.")
        }
        if let source = vulnerability.attribute("source"), !source.isEmpty {
            description += "\n**Source:** \(source)"
        }
        let cweTexts: [String]
        if let cwes = vulnerability.find(tag("cwes")) {
            cweTexts = cwes.findAll(tag("cwe")).compactMap { $0.text }.filter { !$0.isEmpty }
        } else if let cwe = vulnerability.findText(tag("cwe")), !cwe.isEmpty {
            cweTexts = [cwe]
        } else {
            cweTexts = []
        }
        let parsedCWEs = cweTexts.compactMap(Self.leadingCWENumber)
        let (foundName, componentVersion) = try component(of: dependency)
        let componentName = foundName ?? fileName
        let update = "Update \(componentName):\(Self.python(componentVersion)) to at least the version recommended in the description"

        let meta = try severityAndCVSS(of: vulnerability)
        var finding = Finding(title: "\(componentName):\(Self.python(componentVersion)) | \(name)", severity: meta.severity)
        finding.filePath = fileName
        finding.cwe = parsedCWEs.first ?? 1035
        if !parsedCWEs.isEmpty { finding.cwes = parsedCWEs }
        finding.cvssV3 = meta.vector
        finding.cvssV3Score = meta.score
        finding.componentName = componentName
        finding.componentVersion = componentVersion
        finding.references = references(of: vulnerability)
        finding.dynamicFinding = false
        finding.staticFinding = true
        if vulnerability.tag == tag("suppressedVulnerability") {
            var notes = vulnerability.findText(".//" + tag("notes"))
            if notes == nil {
                notes = "Document on why we are suppressing this vulnerability is missing!"
                finding.tags.append("no_suppression_document")
            }
            finding.mitigation = "**This vulnerability is mitigated and/or suppressed:** \(notes ?? "")\n" + update
            finding.isMitigated = true
            finding.active = false
            finding.tags.append("suppressed")
        } else {
            finding.mitigation = update
            description += "\n**Filepath:** \(Self.python(filePath))"
            finding.active = true
        }
        finding.description = description
        let identifier = String(String.UnicodeScalarView(name.unicodeScalars.prefix(28)))
        if identifier.hasPrefix("CVE") { finding.vulnerabilityIDs = [identifier] }
        return finding
    }

    /// `re.match(r"^(CWE-)?(\d+)", text)` → the number.
    private static func leadingCWENumber(_ text: String) -> Int? {
        let body = text.hasPrefix("CWE-") ? text.dropFirst(4) : Substring(text)
        let digits = body.prefix { $0.isASCII && $0.isNumber }
        return digits.isEmpty ? nil : Int(digits)
    }

    private func references(of vulnerability: XMLElementNode) -> String? {
        guard let node = vulnerability.find(tag("references")) else { return nil }
        var text = ""
        for reference in node.findAll(tag("reference")) {
            let source = Self.python(reference.findText(tag("source")))
            let url = reference.findText(tag("url"))
            let name = reference.findText(tag("name"))
            text += "**Source:** \(source)\n**URL:** \(Self.python(url))\n"
            if url != name { text += "**Name:** \(Self.python(name))\n" }
            text += "\n"
        }
        return text
    }

    /// Component name and version from the identifiers or the collected evidence.
    private func component(of dependency: XMLElementNode) throws(ParseError) -> (String?, String?) {
        if let identifiers = dependency.find(tag("identifiers")) {
            if let package = identifiers.find(".//" + tag("package")) {
                guard let id = package.findText(tag("id")) else {
                    throw package.error(.missingField, "A <package> identifier has no <id>.")
                }
                let purl: PackageURL
                do {
                    purl = try PackageURL(parsing: PythonText.strip(id))
                } catch {
                    throw package.error(.invalidValue, "The package id is not a package URL: \(error.description).")
                }
                let name = (purl.namespace.map { $0 + ":" } ?? "") + purl.name
                return (name.isEmpty ? nil : name, purl.version ?? "")
            }
            // ElementTree's `if cpe_node:` is true only for an element with children.
            if let cpe = identifiers.find(".//" + tag("identifier") + "[@type='cpe']"), !cpe.children.isEmpty {
                let id = cpe.findText(tag("name")) ?? ""
                guard let parts = Self.cpeParts(id) else {
                    throw cpe.error(.invalidValue, "The CPE identifier \"\(id)\" is not a CPE name.")
                }
                let name = parts.vendor + ":" + parts.product
                return (name, parts.version)
            }
            if let maven = identifiers.find(".//" + tag("identifier") + "[@type='maven']") {
                guard let coordinates = maven.findText(tag("name")) else {
                    throw maven.error(.missingField, "A maven identifier has no <name>.")
                }
                let parts = coordinates.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                if parts.count == 3 { return (parts[0] + ":" + parts[1], parts[2]) }
            }
        }
        if let evidence = dependency.find(tag("evidenceCollected")),
           let product = evidence.find(".//" + tag("evidence") + "[@type='product']") {
            let version = evidence.find(".//" + tag("evidence") + "[@type='version']")?.findText(tag("value"))
            return (product.findText(tag("value")), version)
        }
        return (nil, nil)
    }

    /// Vendor, product and version of a CPE 2.2 URI (`cpe:/a:vendor:product:version`) or 2.3
    /// formatted string (`cpe:2.3:a:vendor:product:version:…`); `nil` for anything else.
    static func cpeParts(_ id: String) -> (vendor: String, product: String, version: String)? {
        let components: [String]
        if id.hasPrefix("cpe:2.3:") {
            components = Array(splitUnescaped(id.dropFirst(8)))
            guard components.count == 11 else { return nil }
        } else if id.hasPrefix("cpe:/") {
            components = id.dropFirst(5).split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard !components.isEmpty, components.count <= 7 else { return nil }
        } else {
            return nil
        }
        func component(_ index: Int) -> String { index < components.count ? components[index] : "" }
        guard ["a", "o", "h", "*", "-", ""].contains(component(0)) else { return nil }
        return (component(1), component(2), component(3))
    }

    /// Splits on `:` not escaped with a backslash.
    private static func splitUnescaped(_ text: Substring) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                current.append(character)
                escaped = true
            } else if character == ":" {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }

    /// Severity, CVSS v3 vector and score, as DefectDojo's `get_severity_and_cvss_meta`.
    private func severityAndCVSS(of vulnerability: XMLElementNode) throws(ParseError) -> (severity: Severity, vector: String?, score: Double?) {
        var raw = vulnerability.findText(tag("severity"))
        var vector: String?
        var score: Double?
        if let cvss3 = vulnerability.find(tag("cvssV3")) {
            var parts: [String] = []
            for field in Self.cvssFields {
                guard let value = cvss3.findText(tag(field.field)).flatMap({ field.values[$0] }) else { break }
                parts.append("\(field.abbreviation):\(value)")
            }
            // DefectDojo reads `version` without the namespace, so namespaced reports say 3.1.
            let version = cvss3.findText("version").flatMap { $0.isEmpty ? nil : $0 } ?? "3.1"
            if parts.count == Self.cvssFields.count, let parsed = CVSS3Vector("CVSS:\(version)/" + parts.joined(separator: "/")) {
                vector = parsed.data.cleanVector
                score = parsed.data.score
                raw = parsed.data.severity
            }
        } else if let cvss2 = vulnerability.find(tag("cvssV2")) {
            guard let severity = cvss2.findText(tag("severity")) else {
                throw cvss2.error(.missingField, "A <cvssV2> has no <severity>.")
            }
            raw = severity.lowercased().prefix(1).uppercased() + severity.lowercased().dropFirst()
        }
        let severity = raw.flatMap { $0.isEmpty ? nil : Self.severities[PythonText.strip($0).lowercased()] } ?? .medium
        return (severity, vector, score)
    }
}
