import BulwarkCore

/// Reads SSLyze 1.x/2.x XML output (`document` → `results` → `target` → one element per scan
/// command), streamed one command element at a time.
///
/// Reported, Info and dynamic, titled "<command title> | <host>": Heartbleed, CCS injection and
/// insecure renegotiation, plus, per supported protocol (`sslv2` … `tlsv1_3`), the weak suites it
/// accepts or prefers. Identical title and description are reported once (the first target's
/// endpoint: host, port and the target's wrapped protocol).
enum SslyzeXMLReport {
    private static let protocols: Set<String> = ["sslv2", "sslv3", "tlsv1", "tlsv1_1", "tlsv1_2", "tlsv1_3"]
    private static let commands: Set<String> = protocols.union(["heartbleed", "openssl_ccs", "reneg"])

    static func findings(in input: ScanInput) throws(ParseError) -> [Finding] {
        let reader = XMLRecordReader(records: commands.sorted().map { XMLRecordPattern("/*/results/*/\($0)") }, formatName: "SSLyze XML")
        var findings: [Finding] = []
        var seen: Set<String> = []
        var resultsLine: Int?
        let summary = try reader.read(input) { record throws(ParseError) in
            try checkRoot(record.root)
            guard record.ancestors.count == 3 else { return }
            let results = record.ancestors[1]
            let target = record.ancestors[2]
            // DefectDojo reads the first <results> only.
            if resultsLine == nil { resultsLine = results.line }
            guard results.line == resultsLine, results.tag == "results", commands.contains(record.element.tag) else { return }
            let host = try target.requiredAttribute("host")
            guard let (title, description) = try problem(in: record.element, host: host) else { return }
            guard seen.insert(description + title).inserted else { return }
            var finding = Finding(title: title, severity: .info, description: description)
            finding.dynamicFinding = true
            finding.endpoints = [EndpointURL(
                protocol: try target.requiredAttribute("tlsWrappedProtocol"), host: host, port: try port(of: target))]
            findings.append(finding)
        }
        try checkRoot(summary.root)
        return findings
    }

    /// DefectDojo accepts any root whose tag contains "document".
    private static func checkRoot(_ root: XMLElementNode) throws(ParseError) {
        guard root.tag.contains("document") else {
            throw root.error(
                .unsupportedFormat,
                "The report is XML but not an SSLyze XML report: the root element is <\(root.qualifiedName)>, expected <document>.")
        }
    }

    /// `int(port or "0") or None`.
    private static func port(of target: XMLElementNode) throws(ParseError) -> Int? {
        let text = try target.requiredAttribute("port")
        if text.isEmpty { return nil }
        guard let number = LooseFields.pythonInt(text) else {
            throw target.error(.invalidValue, "The <target> port \"\(text)\" is not a number.")
        }
        return number == 0 ? nil : number
    }

    /// The title and description of a command element that shows a problem, or `nil`.
    private static func problem(in element: XMLElementNode, host: String) throws(ParseError) -> (String, String)? {
        let tag = element.tag
        if protocols.contains(tag) {
            guard try element.requiredAttribute("isProtocolSupported") == "True" else { return nil }
            var weak: [String] = []
            for list in element.children where list.tag == "preferredCipherSuite" || list.tag == "acceptedCipherSuites" {
                for cipher in list.children {
                    let name = try cipher.requiredAttribute("name")
                    if SslyzeCipherLists.weakXML.contains(name), !weak.contains(name) { weak.append(name) }
                }
            }
            guard !weak.isEmpty else { return nil }
            return ("\(tag) | Weak Ciphers | \(host)", "**Protocol** : \(tag)\n\n**Weak Ciphers** : " + weak.joined(separator: ",\n\n"))
        }
        let (child, attribute, alarm, label) = switch tag {
        case "heartbleed": ("openSslHeartbleed", "isVulnerable", "True", "heartbleed")
        case "openssl_ccs": ("openSslCcsInjection", "isVulnerable", "True", "openssl_ccs")
        default: ("sessionRenegotiation", "isSecure", "False", "Session Renegotiation")
        }
        let result = try element.requiredElement(child)
        guard result.attribute(attribute) == alarm else { return nil }
        let title = try element.requiredAttribute("title")
        return ("\(title) | \(host)", "**\(label)** : Vulnerable\n\n**title** : \(title)")
    }
}
