// Nmap Scan — Nmap XML output (`nmap -oX`), streamed one <host> at a time.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/nmap/{no_vuln,one_vuln,many_vulns,vulners}.xml,
// plus entity bomb / external entity, truncated and wrong-root reports.
//
// Field mapping (DefectDojo dojo/tools/nmap/parser.py):
//   one Info finding per open port number, titled "Open port: <port>/<protocol>"; the description
//   lists the host (IPv4 address, host names, OS matches), port, service product/version/extra
//   info and the first script's id and output; the first script id → vuln_id_from_tool;
//   mitigation "N/A", impact "No impact provided"; nmaprun@start (UTC) → date. The same port on
//   another host appends its description and endpoint to the first finding.
//   Endpoint: PTR host name (else the IPv4 address), the port's protocol (tcp/udp) and number.
//   vulners script tables: one finding per vulnerability id (title and vuln_id_from_tool), CVSS →
//   severity, CPE product/version → component, type "cve" → vulnerability_ids; repeats merge
//   (description appended, endpoint added, nb_occurences counted).
import BulwarkCore
import Foundation

/// Parses Nmap XML reports (`Nmap Scan`).
public struct NmapParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Nmap Scan", label: "Nmap Scan", summary: "Nmap XML output (use -oX).", version: 1, dedupe: .legacy),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        let reader = XMLRecordReader(records: ["/nmaprun/host"], rootNames: ["nmaprun"], formatName: "Nmap XML")
        var report = NmapReport()
        do {
            try reader.read(input) { (record: XMLRecord) throws(ParseError) in
                try report.add(host: record.element, start: record.root.attribute("start"))
            }
        } catch {
            throw error.naming(scanType)
        }
        return ParseResult(findings: report.findings)
    }
}

/// Findings of one Nmap report, merged by port number and by vulners id.
struct NmapReport {
    private(set) var findings: [Finding] = []
    private var indexByKey: [String: Int] = [:]

    mutating func add(host: XMLElementNode, start: String?) throws(ParseError) {
        let date = start.flatMap { Int(PythonText.strip($0)) }
            .map { CalendarDate(utcDayOf: Date(timeIntervalSince1970: TimeInterval($0))) }
        guard let address = host.find("address[@addrtype='ipv4']") else {
            throw host.error(.missingField, "A <host> has no IPv4 <address>.")
        }
        let ip = try address.requiredAttribute("addr")
        let fqdn = host.find("hostnames/hostname[@type='PTR']")?.attribute("name")
        var hostInfo = "### Host\n\n**IP Address:** \(ip)\n"
        for name in host.find("hostnames")?.children ?? [] {
            hostInfo += "**\(try name.requiredAttribute("type")):** \(try name.requiredAttribute("name"))\n"
        }
        hostInfo += "\n\n"
        for os in Self.descendants(of: host, named: "os") {
            for match in Self.descendants(of: os, named: "osmatch") {
                if let name = match.attribute("name") { hostInfo += "**Host OS:** \(name)\n" }
                if let accuracy = match.attribute("accuracy") { hostInfo += "**Accuracy:** \(accuracy)%\n" }
            }
            hostInfo += "\n\n"
        }
        for portElement in host.findAll("ports/port") {
            let protocolName = try portElement.requiredAttribute("protocol")
            let portID = portElement.attribute("portid") ?? ""
            let port = portID.utf8.allSatisfy { (0x30...0x39).contains($0) } ? Int(portID) : nil
            let endpoint = EndpointURL(protocol: protocolName, host: fqdn ?? ip, port: port)
            guard portElement.find("state")?.attribute("state") == "open" else { continue }
            let portText = port.map(String.init) ?? "None"
            var description = hostInfo + "**Port/Protocol:** \(portText)/\(protocolName)\n"
            if let service = portElement.find("service") {
                description += "\n\n"
                if let product = service.attribute("product") { description += "**Product:** \(product)\n" }
                if let version = service.attribute("version") { description += "**Version:** \(version)\n" }
                if let extra = service.attribute("extrainfo") { description += "**Extra Info:** \(extra)\n" }
            }
            var scriptID: String?
            if let script = portElement.find("script") {
                if let id = script.attribute("id"), !id.isEmpty {
                    scriptID = id
                    description += "**Script ID:** \(id)\n"
                }
                if let output = script.attribute("output"), !output.isEmpty { description += "**Script Output:** \(output)\n" }
            }
            description += "\n\n"
            for script in portElement.findAll("script[@id='vulners']") {
                try addVulners(script, endpoint: endpoint, date: date)
            }
            let key = "nmap:" + portText
            if let index = indexByKey[key] {
                findings[index].description += description
                findings[index].endpoints.append(endpoint)
            } else {
                var finding = Finding(title: "Open port: \(portText)/\(protocolName)", severity: .info, description: description)
                finding.mitigation = "N/A"
                finding.impact = "No impact provided"
                finding.vulnIDFromTool = scriptID
                finding.date = date
                finding.endpoints = [endpoint]
                indexByKey[key] = findings.count
                findings.append(finding)
            }
        }
    }

    private mutating func addVulners(_ script: XMLElementNode, endpoint: EndpointURL, date: CalendarDate?) throws(ParseError) {
        for component in script.findAll("table") {
            let cpe = try component.requiredAttribute("key")
            let cpeParts = cpe.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            for vulnerability in component.findAll("table") {
                var keys: [String] = []
                var values: [String: String] = [:]
                for element in vulnerability.findAll("elem") {
                    let key = try element.requiredAttribute("key").lowercased()
                    if values[key] == nil { keys.append(key) }
                    values[key] = element.text ?? ""
                }
                guard let id = values["id"] else {
                    throw vulnerability.error(.missingField, "A vulners table has no \"id\" element.")
                }
                guard let cvssText = values["cvss"], let cvss = Double(PythonText.strip(cvssText)) else {
                    throw vulnerability.error(.invalidValue, "The vulners entry \(id) has no numeric \"cvss\" element.")
                }
                var description = "### Vulnerability\n\n**ID**: `\(id)`\n**CPE**: \(cpe)\n"
                for key in keys { description += "**\(key)**: `\(values[key] ?? "")`\n" }
                if let index = indexByKey[id] {
                    findings[index].description += "\n-----\n\n" + description
                    findings[index].endpoints.append(endpoint)
                    findings[index].numberOfOccurrences = (findings[index].numberOfOccurrences ?? 0) + 1
                    continue
                }
                var finding = Finding(title: id, severity: Self.severity(cvss: cvss), description: description)
                finding.componentName = cpeParts.count > 3 ? cpeParts[3] : ""
                finding.componentVersion = cpeParts.count > 4 ? cpeParts[4] : ""
                finding.vulnIDFromTool = id
                finding.numberOfOccurrences = 1
                finding.endpoints = [endpoint]
                if values["type"] == "cve" { finding.vulnerabilityIDs = [id] }
                finding.date = date
                indexByKey[id] = findings.count
                findings.append(finding)
            }
        }
    }

    private static func severity(cvss: Double) -> Severity {
        if cvss == 0 { return .info }
        if cvss < 4.0 { return .low }
        if cvss < 7.0 { return .medium }
        if cvss < 9.0 { return .high }
        return .critical
    }

    /// ElementTree `iter(tag)`: the node and every descendant with that name, in document order.
    static func descendants(of node: XMLElementNode, named name: String) -> [XMLElementNode] {
        var result: [XMLElementNode] = node.tag == name ? [node] : []
        for child in node.children { result += descendants(of: child, named: name) }
        return result
    }
}
