import BulwarkCore

/// Reads a `.nessus` (NessusClientData_v2) report one `<ReportItem>` at a time and merges items
/// with the same severity and plugin name into one finding, each host an endpoint.
struct TenableXMLReport {
    private(set) var findings: [Finding] = []
    private var indexByKey: [String: Int] = [:]

    /// Schemes `hyperlink` knows a default port for (`SCHEME_PORT_MAP` keys).
    private static let knownSchemes: Set<String> = [
        "acap", "afp", "dict", "dns", "file", "ftp", "git", "gopher", "http", "https", "imap", "ipp", "ipps",
        "irc", "ircs", "ldap", "ldaps", "mms", "msrp", "msrps", "mtqp", "nfs", "nntp", "nntps", "pop", "prospero",
        "redis", "rsync", "rtsp", "rtsps", "rtspu", "sftp", "smb", "snmp", "ssh", "steam", "svn", "telnet",
        "ventrilo", "vnc", "wais", "ws", "wss", "xmpp",
    ]

    mutating func read(_ input: ScanInput) throws(ParseError) {
        let reader = XMLRecordReader(
            records: ["ReportHost/ReportItem"], headers: ["ReportHost/HostProperties"],
            rootNames: ["NessusClientData_v2"], formatName: "Nessus (NessusClientData_v2)")
        var report = self
        try reader.read(input) { (record: XMLRecord) throws(ParseError) in
            guard let host = record.ancestor("ReportHost") else { return }
            // A HostProperties header belongs to this host only when it started after the host.
            let properties = record.header("HostProperties").flatMap { $0.line >= host.line ? $0 : nil }
            try report.add(record.element, host: host, properties: properties)
        }
        self = report
    }

    private mutating func add(_ item: XMLElementNode, host: XMLElementNode, properties: XMLElementNode?) throws(ParseError) {
        let ip = host.attribute("name") ?? "None"
        let fqdn = properties?.children.first { $0.localName == "tag" && $0.attribute("name") == "host-fqdn" }
            .flatMap { Self.text($0) }
        let title = item.attribute("pluginName") ?? "None"
        let port = try Self.integer(item.attribute("port"), of: item, name: "port")
        let protocolName = Self.protocolName(of: item)

        var description = ""
        if let synopsis = Self.text(item.find("synopsis")) { description = "\(synopsis)\n\n" }
        var pluginOutput: String?
        if let output = Self.text(item.find("plugin_output")) {
            let portText = port.map { ":\($0)" } ?? ""
            let block = "Plugin Output: \(ip)\(portText)\n```\n\(output)\n```\n\n"
            pluginOutput = block
            description += block
        }
        var severity = Self.severity(id: try Self.integer(item.attribute("severity"), of: item, name: "severity") ?? 0)
        if let score = Self.text(item.find("cvss3_base_score")) {
            guard let value = Double(PythonText.strip(score)) else {
                throw item.error(.invalidValue, "The <cvss3_base_score> \"\(score)\" is not a number.")
            }
            severity = Self.severity(cvss: value)
        }

        let key = severity.rawValue + title
        if let index = indexByKey[key] {
            if let pluginOutput { findings[index].description += "\n\n\(pluginOutput)" }
        } else {
            var finding = Finding(title: title, severity: severity, description: description)
            finding.impact = Self.impact(of: item)
            finding.mitigation = Self.text(item.find("solution")) ?? "N/A"
            finding.references = Self.references(of: item)
            finding.cwe = Self.text(item.find("cwe")).flatMap(Self.firstNumber)
            if let vector = Self.text(item.find("cvss3_vector")) {
                finding.cvssV3 = CVSS3Vector.cleaned(vector.contains("CVSS:3.0/") ? vector : "CVSS:3.0/\(vector)")
            }
            finding.cvssV3Score = Self.text(item.find("cvssv3")).flatMap { Double(PythonText.strip($0)) }
            indexByKey[key] = findings.count
            findings.append(finding)
        }
        guard let index = indexByKey[key] else { return }
        if let cve = Self.text(item.find("cve")) { findings[index].vulnerabilityIDs.append(cve) }
        findings[index].endpoints.append(Self.endpoint(fqdn: fqdn, ip: ip, protocolName: protocolName, port: port))
    }

    private static func endpoint(fqdn: String?, ip: String, protocolName: String, port: Int?) -> EndpointURL {
        if let fqdn, fqdn.contains("://"), let url = try? EndpointURL.parse(fqdn) { return url }
        if protocolName == "general" { return EndpointURL(host: fqdn ?? ip) }
        return EndpointURL(protocol: protocolName, host: fqdn ?? ip, port: port)
    }

    /// `svc_name` reduced to scheme characters, `www` read as `http`, and the `protocol` attribute
    /// when the service is no known scheme.
    private static func protocolName(of item: XMLElementNode) -> String {
        var name = schemeCharacters(item.attribute("svc_name") ?? "")
        guard !name.isEmpty else { return "" }
        if name == "www" { name = "http" }
        if !knownSchemes.contains(name) {
            name = schemeCharacters(item.attribute("protocol") ?? name)
        }
        return name
    }

    private static func schemeCharacters(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "+") })
    }

    private static func impact(of item: XMLElementNode) -> String {
        var impact = ""
        if let text = text(item.find("description")) { impact = text + "\n\n" }
        let lines: [(String, String)] = [
            ("cvss", "CVSS Score"), ("cvssv3", "CVSSv3 Score"), ("cvss_vector", "CVSS Vector"),
            ("cvss3_vector", "CVSSv3 Vector"), ("cvss_base_score", "CVSS Base Score"),
            ("cvss_temporal_score", "CVSS Temporal Score"),
        ]
        for (element, label) in lines {
            if let value = text(item.find(element)) { impact += "\(label): \(value)\n" }
        }
        return impact
    }

    private static func references(of item: XMLElementNode) -> String {
        var references = ""
        for node in descendants(of: item, named: "see_also") {
            guard let text = text(node) else { continue }
            for word in text.split(whereSeparator: { $0.unicodeScalars.allSatisfy(PythonText.isWhitespace) }) {
                references += word + "\n"
            }
        }
        for node in descendants(of: item, named: "xref") {
            if let text = text(node) { references += text + "\n" }
        }
        return references
    }

    /// ElementTree `iter(tag)`: the node itself and every descendant with that name, in document order.
    private static func descendants(of node: XMLElementNode, named name: String) -> [XMLElementNode] {
        var result: [XMLElementNode] = node.tag == name ? [node] : []
        for child in node.children { result += descendants(of: child, named: name) }
        return result
    }

    /// The element's text, `nil` when the element is absent or its text empty.
    private static func text(_ node: XMLElementNode?) -> String? {
        guard let text = node?.text, !text.isEmpty else { return nil }
        return text
    }

    /// Python `int(value or "0") or None`.
    private static func integer(_ value: String?, of item: XMLElementNode, name: String) throws(ParseError) -> Int? {
        guard let value, !value.isEmpty else { return nil }
        guard let number = Int(PythonText.strip(value)) else {
            throw item.error(.invalidValue, "The <ReportItem> \"\(name)\" attribute \"\(value)\" is not an integer.")
        }
        return number == 0 ? nil : number
    }

    private static func firstNumber(_ text: String) -> Int? {
        let digits = text.drop { !("0"..."9").contains($0) }.prefix { ("0"..."9").contains($0) }
        return Int(digits.prefix(9))
    }

    static func severity(id: Int) -> Severity {
        switch id {
        case 4: .critical
        case 3: .high
        case 2: .medium
        case 1: .low
        default: .info
        }
    }

    private static func severity(cvss score: Double) -> Severity {
        if score >= 9.0 { return .critical }
        if score >= 7.0 { return .high }
        if score >= 5.0 { return .medium }
        if score > 0.0 { return .low }
        return .info
    }
}
