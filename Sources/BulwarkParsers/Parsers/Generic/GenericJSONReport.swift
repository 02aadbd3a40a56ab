import BulwarkCore
import Foundation

/// Reads a Generic Findings Import JSON document, streaming its `findings` array so large
/// reports never exist as one tree.
enum GenericJSONReport {
    static func parse(_ data: Data, defaultName: String) throws(ParseError) -> ParseResult {
        var findings: [Finding] = []
        let topLevel = try OrderedJSONParser.parseObject(data, streaming: "findings") { (item, index) throws(ParseError) in
            findings.append(try GenericJSONFinding.finding(from: item, path: "$.findings[\(index)]"))
        }
        guard case .object(let document, let sawFindings) = topLevel else {
            throw ParseError(
                .unsupportedFormat,
                "The report is JSON but not a Generic Findings Import document: expected an object with \"findings\".",
                position: .jsonPath("$"))
        }
        guard sawFindings else {
            throw ParseError(
                .unsupportedFormat,
                "The report is JSON but not a Generic Findings Import document: the \"findings\" array is missing.",
                position: .jsonPath("$"))
        }
        if let findingsValue = document["findings"], !findingsValue.isNull {
            // Present but not streamed: it is not an array.
            throw ParseError(.invalidValue, "\"findings\" must be a list.", position: .jsonPath("$.findings"))
        }
        let fields = LooseFields(object: document, path: "$")
        return ParseResult(
            findings: findings, toolType: try fields.string("type") ?? defaultName,
            testName: try fields.string("name") ?? defaultName, toolVersion: try fields.string("version"),
            testDescription: try fields.string("description"), isStaticTool: try fields.bool("static_tool"),
            isDynamicTool: try fields.bool("dynamic_tool"))
    }
}

/// One finding of a Generic JSON report, validated like DefectDojo's `GenericJSONParser`.
enum GenericJSONFinding {
    private static let required: Set<String> = ["title", "severity", "description"]
    /// Members removed before DefectDojo checks the allowed fields.
    private static let collections: Set<String> = ["endpoints", "files", "tags", "vulnerability_ids", "cwes"]
    private static let allowed: Set<String> = required.union([
        "date", "cwe", "cve", "epss_score", "epss_percentile", "cvssv3", "cvssv3_score", "cvssv4",
        "cvssv4_score", "mitigation", "impact", "steps_to_reproduce", "severity_justification",
        "references", "active", "verified", "false_p", "out_of_scope", "risk_accepted", "under_review",
        "is_mitigated", "thread_id", "mitigated", "numerical_severity", "param", "payload", "line",
        "file_path", "component_name", "component_version", "static_finding", "dynamic_finding",
        "scanner_confidence", "unique_id_from_tool", "vuln_id_from_tool", "sast_source_object",
        "sast_sink_object", "sast_source_line", "sast_source_file_path", "nb_occurences",
        "publish_date", "service", "planned_remediation_date", "planned_remediation_version",
        "effort_for_fixing", "tags", "kev_date", "known_exploited", "ransomware_used",
        "fix_available", "fix_version",
    ])

    static func finding(from item: JSONValue, path: String) throws(ParseError) -> Finding {
        guard let object = item.objectValue else {
            throw ParseError(.invalidValue, "Each finding must be a JSON object.", position: .jsonPath(path))
        }
        let fields = LooseFields(object: object, path: path)

        // DefectDojo parses the dates before it checks for missing or unknown fields.
        let date = try fields.date("date")
        let mitigated = try fields.dateTime("mitigated")
        var missing: [String] = []
        for key in required where !object.contains(key) { missing.append(key) }
        if !missing.isEmpty {
            throw ParseError(.missingField, "Required fields are missing: \(pythonList(missing.sorted()))", position: fields.position())
        }
        let unknown = object.keys.filter { !allowed.contains($0) && !collections.contains($0) }
        if !unknown.isEmpty {
            throw ParseError(.unexpectedField, "Not allowed fields are present: \(pythonList(unknown.sorted()))", position: fields.position())
        }

        let severityText = try fields.requiredText("severity")
        var finding = Finding(
            title: try fields.requiredText("title"),
            severity: try Severity.sanitizedOrThrow(severityText, at: fields.position("severity")),
            description: try fields.requiredText("description"))
        finding.date = date
        finding.mitigated = mitigated?.instant
        // Only the members present are read, which keeps large reports fast.
        for key in object.keys where key != "cwes" {
            try GenericJSONFieldReader.read(key, into: &finding, from: fields)
        }
        // After "cwe": the list only fills the primary CWE when "cwe" is missing or 0.
        try GenericJSONFieldReader.read("cwes", into: &finding, from: fields)
        if let cve = finding.cve, !cve.isEmpty {
            // The legacy `cve` comes first, then the listed ids.
            finding.vulnerabilityIDs.insert(cve, at: 0)
        }
        return finding
    }

    /// An endpoint given as a URL string (with or without scheme) or as an object of parts.
    static func endpoint(_ item: JSONValue, position: ParseError.Position) throws(ParseError) -> EndpointURL {
        if let text = item.stringValue {
            do {
                return try EndpointURL.parse(text.contains("://") ? text : "//" + text)
            } catch {
                throw ParseError(.invalidValue, "Endpoint \"\(text)\" is not a usable URL: \(error).", position: position)
            }
        }
        guard let object = item.objectValue else {
            throw ParseError(.invalidValue, "An endpoint must be a URL string or an object of URL parts.", position: position)
        }
        let known: Set<String> = ["protocol", "userinfo", "host", "port", "path", "query", "fragment"]
        let unknown = object.keys.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw ParseError(.unexpectedField, "Unknown endpoint fields: \(pythonList(unknown.sorted()))", position: position)
        }
        func text(_ key: String) -> String? { object[key].flatMap { $0.isNull ? nil : $0.pythonString } }
        var port: Int?
        if let value = object["port"], !value.isNull {
            guard let number = value.looseInteger else {
                throw ParseError(.invalidValue, "Endpoint port \"\(value.pythonString)\" is not a number.", position: position)
            }
            port = number
        }
        return EndpointURL(
            protocol: text("protocol"), userinfo: text("userinfo"), host: text("host"), port: port,
            path: text("path"), query: text("query"), fragment: text("fragment"))
    }

    /// `cwe_number`: `79`, `"79"` or `"CWE-79"` → 79; anything else → `nil`.
    static func cweNumber(_ text: String) -> Int? {
        var token = PythonText.strip(text).uppercased()
        if token.hasPrefix("CWE-") { token.removeFirst(4) }
        guard !token.isEmpty, token.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let number = Int(token),
              (1...9_999_999).contains(number) else { return nil }
        return number
    }

    /// Python's repr of a list of strings: `['a', 'b']`.
    static func pythonList(_ items: [String]) -> String {
        "[" + items.map { "'\($0)'" }.joined(separator: ", ") + "]"
    }
}
