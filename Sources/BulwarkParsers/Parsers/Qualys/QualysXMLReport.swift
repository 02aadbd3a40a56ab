import BulwarkCore
import Foundation

/// The Qualys asset data report (`ASSET_DATA_REPORT`), read in one streaming pass: every
/// detection (`HOST_LIST/HOST/VULN_INFO_LIST/VULN_INFO`) is kept as a few strings, the knowledge
/// base entries (`GLOSSARY/VULN_DETAILS_LIST/VULN_DETAILS`, which follow the hosts) are kept once
/// per QID, and findings are built at the end. See QualysParser.swift for the mapping.
enum QualysXMLReport {
    /// One `VULN_INFO` with the host it was found on.
    private struct Detection {
        var line: Int
        var host: String?
        var gid: String
        var port: String?
        var category: String?
        var result: String?
        var firstFound: String?
        var lastFound: String?
        var timesFound: String?
        var type: String?
        var status: String?
        var lastFixed: String?
        var cvss: QualysCVSS
    }

    /// One `VULN_DETAILS`, with its HTML texts already converted (once per QID).
    private struct Details {
        var title: String?
        var threat: String
        var solution: String?
        var impact: String?
        var severity: String?
        var glossaryCVSS3: String?
        var glossaryCVSSFinal: String?
        var cves: [(id: String?, url: String?)]
    }

    private static let types = ["Ig": "INFORMATION GATHERED", "Practice": "POTENTIAL", "Vuln": "CONFIRMED"]
    private static let activeStatuses: Set<String> = ["Active", "Re-Opened", "New"]

    static func findings(in input: ScanInput) throws(ParseError) -> [Finding] {
        let reader = XMLRecordReader(
            records: ["/*/HOST_LIST/*", "GLOSSARY/VULN_DETAILS_LIST/VULN_DETAILS"], formatName: "Qualys XML")
        var detections: [Detection] = []
        var glossary: [String: Details] = [:]
        var hostListLine: Int?
        try reader.read(input) { record throws(ParseError) in
            let element = record.element
            if record.parent?.localName == "HOST_LIST", record.ancestors.count == 2 {
                // DefectDojo reads the first HOST_LIST only.
                let line = record.parent?.line ?? 0
                if hostListLine == nil { hostListLine = line }
                guard hostListLine == line else { return }
                detections += try Self.detections(of: element)
            } else if let id = element.attribute("id"), glossary[id] == nil {
                glossary[id] = details(of: element)
            }
        }
        var findings: [Finding] = []
        findings.reserveCapacity(detections.count)
        for detection in detections {
            guard let details = glossary[detection.gid] else {
                throw ParseError(
                    .missingField, "The QID \"\(detection.gid)\" has no VULN_DETAILS entry in the GLOSSARY.",
                    position: .text(line: detection.line, column: 1))
            }
            findings.append(try finding(detection, details))
        }
        return findings
    }

    private static func detections(of host: XMLElementNode) throws(ParseError) -> [Detection] {
        let ip = host.findText("IP")
        let fqdn = host.findText("DNS")
        let endpointHost = (fqdn?.isEmpty ?? true) ? ip : fqdn
        var detections: [Detection] = []
        for info in host.findAll("VULN_INFO_LIST/VULN_INFO") {
            guard let qid = info.find("QID") else {
                throw info.error(.missingField, "A VULN_INFO has no QID.")
            }
            guard let gid = qid.attribute("id") else {
                throw qid.error(.missingField, "A QID has no id attribute.")
            }
            var cvss = QualysCVSS()
            if let cvss3 = info.findText("CVSS3_FINAL"), cvss3 != "-" {
                cvss.read(cvss3)
            } else if let cvss2 = info.findText("CVSS_FINAL"), cvss2 != "-" {
                cvss.read(cvss2)
                cvss.vector = nil
            }
            detections.append(Detection(
                line: info.line, host: endpointHost, gid: gid, port: info.findText("PORT"),
                category: info.findText("CATEGORY"), result: info.findText("RESULT"),
                firstFound: info.findText("FIRST_FOUND"), lastFound: info.findText("LAST_FOUND"),
                timesFound: info.findText("TIMES_FOUND"), type: info.findText("TYPE"),
                status: info.findText("VULN_STATUS"), lastFixed: info.findText("LAST_FIXED"), cvss: cvss))
        }
        return detections
    }

    private static func details(of element: XMLElementNode) -> Details {
        Details(
            title: element.findText("TITLE"),
            threat: HTMLToText.convert(element.findText("THREAT") ?? "None"),
            solution: element.findText("SOLUTION").map(HTMLToText.convert),
            impact: element.findText("IMPACT").map(HTMLToText.convert),
            severity: element.findText("SEVERITY"),
            glossaryCVSS3: element.findText("CVSS3_SCORE/CVSS3_BASE"),
            glossaryCVSSFinal: element.findText("CVSS_FINAL"),
            cves: element.findAll("CVE_ID_LIST/CVE_ID").map { ($0.findText("ID"), $0.findText("URL")) })
    }

    private static func finding(_ detection: Detection, _ details: Details) throws(ParseError) -> Finding {
        let position = ParseError.Position.text(line: detection.line, column: 1)
        guard let title = details.title else {
            throw ParseError(.missingField, "The GLOSSARY entry of \"\(detection.gid)\" has no TITLE.", position: position)
        }
        let severity: Severity
        if let raw = details.severity, !raw.isEmpty {
            guard let number = PythonLiteral.int(raw) else {
                throw ParseError(.invalidValue, "The SEVERITY \"\(raw)\" of \"\(detection.gid)\" is not a number.", position: position)
            }
            severity = QualysFields.legacySeverities[number] ?? .info
        } else {
            severity = .info
        }
        let qid = String(String.UnicodeScalarView(detection.gid.unicodeScalars.dropFirst(4)))
        let type = detection.type.flatMap { types[$0] } ?? "Unknown"
        let lines = [
            "Type: " + type, "Category: " + (detection.category ?? "None"), "QID: " + detection.gid,
            "Port: " + (detection.port ?? "None"), "Result Evidence: " + (detection.result ?? "None"),
            "First Found: " + (detection.firstFound ?? "None"), "Last Found: " + (detection.lastFound ?? "None"),
            "Times Found: " + (detection.timesFound ?? "None"),
        ]
        let description = ([details.threat] + lines.map(HTMLToText.convert)).joined(separator: "\n")

        var finding = Finding(title: "QID-" + qid + " | " + title, severity: severity, description: description)
        finding.mitigation = details.solution
        finding.impact = details.impact
        finding.vulnIDFromTool = detection.gid
        finding.date = detection.lastFound.flatMap { QualysFields.strptime($0, "%Y-%m-%dT%H:%M:%SZ")?.calendarDate }
        if details.cves.isEmpty {
            finding.references = detection.gid
        } else {
            // DefectDojo stores the list of links itself, which the database keeps as Python's str(list).
            let links = details.cves.compactMap { $0.url.flatMap { $0.isEmpty ? nil : $0 } }
            finding.references = "[" + links.map(PythonLiteral.quote).joined(separator: ", ") + "]"
        }
        finding.vulnerabilityIDs = details.cves.compactMap { $0.id.flatMap { $0.isEmpty ? nil : $0 } }
        if let status = detection.status, activeStatuses.contains(status) {
            finding.active = true
            finding.isMitigated = false
        } else {
            finding.active = false
            finding.isMitigated = true
            if let lastFixed = detection.lastFixed {
                guard let fixed = QualysFields.strptime(lastFixed, "%Y-%m-%dT%H:%M:%SZ")?.instant else {
                    throw ParseError(
                        .invalidValue, "The LAST_FIXED \"\(lastFixed)\" of \"\(detection.gid)\" is not a date like 2019-07-31T21:57:48Z.",
                        position: position)
                }
                finding.mitigated = fixed
            }
        }
        var cvss = detection.cvss
        if cvss.score == nil {
            if let cvss3 = details.glossaryCVSS3, cvss3 != "-" {
                cvss.read(cvss3)
            } else if let cvss2 = details.glossaryCVSSFinal, cvss2 != "-" {
                cvss.read(cvss2)
                cvss.vector = nil
            }
        }
        cvss.apply(to: &finding)
        finding.verified = true
        finding.endpoints = [EndpointURL(host: detection.host)]
        return finding
    }
}
