import BulwarkCore
import Foundation

/// The Generic Findings Import JSON document.
struct GenericJSONReport: Decodable {
    var name: String?
    var type: String?
    var version: String?
    var description: String?
    var dynamicTool: Bool?
    var staticTool: Bool?
    var findings: [GenericJSONFinding]

    init(from decoder: any Decoder) throws {
        let container: KeyedDecodingContainer<AnyCodingKey>
        do {
            container = try decoder.container(keyedBy: AnyCodingKey.self)
        } catch {
            throw ParseError(
                .unsupportedFormat, "The report is JSON but not a Generic Findings Import document: expected an object with \"findings\".",
                position: .jsonPath("$"))
        }
        guard container.contains(AnyCodingKey("findings")) else {
            throw ParseError(
                .unsupportedFormat, "The report is JSON but not a Generic Findings Import document: the \"findings\" array is missing.",
                position: .jsonPath("$"))
        }
        let fields = LooseFields(container: container, path: decoder.codingPath)
        name = try fields.string("name")
        type = try fields.string("type")
        version = try fields.string("version")
        description = try fields.string("description")
        dynamicTool = try fields.bool("dynamic_tool")
        staticTool = try fields.bool("static_tool")
        findings = try container.decode([GenericJSONFinding].self, forKey: AnyCodingKey("findings"))
    }

    func parseResult(defaultName: String) -> ParseResult {
        ParseResult(
            findings: findings.map(\.finding), toolType: type ?? defaultName, testName: name ?? defaultName,
            toolVersion: version, testDescription: description, isStaticTool: staticTool, isDynamicTool: dynamicTool)
    }
}

/// One finding of a Generic JSON report, validated like DefectDojo's `GenericJSONParser`.
struct GenericJSONFinding: Decodable {
    var finding: Finding

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

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        let fields = LooseFields(container: container, path: decoder.codingPath)
        let keys = Set(container.allKeys.map(\.stringValue)).subtracting(Self.collections)

        // DefectDojo parses the dates before it checks for missing or unknown fields.
        let date = try fields.date("date")
        let mitigated = try fields.dateTime("mitigated")
        let missing = Self.required.subtracting(keys).sorted()
        if !missing.isEmpty {
            throw ParseError(.missingField, "Required fields are missing: \(Self.pythonList(missing))", position: fields.position())
        }
        let unknown = keys.subtracting(Self.allowed).sorted()
        if !unknown.isEmpty {
            throw ParseError(.unexpectedField, "Not allowed fields are present: \(Self.pythonList(unknown))", position: fields.position())
        }

        let severityText = try fields.requiredText("severity")
        var finding = Finding(
            title: try fields.requiredText("title"),
            severity: try Severity.sanitizedOrThrow(severityText, at: fields.position("severity")),
            description: try fields.requiredText("description"))
        finding.date = date
        finding.mitigated = mitigated?.instant
        try Self.readScalars(into: &finding, from: fields)
        try Self.readCollections(into: &finding, from: fields)
        self.finding = finding
    }

    private static func readScalars(into finding: inout Finding, from fields: LooseFields) throws {
        finding.cwe = try fields.integer("cwe", nullDefault: nil, absentDefault: 0)
        finding.cve = try fields.string("cve")
        finding.epssScore = try fields.double("epss_score")
        finding.epssPercentile = try fields.double("epss_percentile")
        finding.cvssV3 = try fields.string("cvssv3")
        finding.cvssV3Score = try fields.double("cvssv3_score")
        finding.cvssV4 = try fields.string("cvssv4")
        finding.cvssV4Score = try fields.double("cvssv4_score")
        finding.mitigation = try fields.string("mitigation")
        finding.impact = try fields.string("impact")
        finding.stepsToReproduce = try fields.string("steps_to_reproduce")
        finding.severityJustification = try fields.string("severity_justification")
        finding.references = try fields.string("references")
        finding.active = try fields.bool("active") ?? true
        finding.verified = try fields.bool("verified") ?? false
        finding.falsePositive = try fields.bool("false_p") ?? false
        finding.outOfScope = try fields.bool("out_of_scope") ?? false
        finding.riskAccepted = try fields.bool("risk_accepted") ?? false
        finding.underReview = try fields.bool("under_review") ?? false
        finding.isMitigated = try fields.bool("is_mitigated") ?? false
        finding.threadID = try fields.integer("thread_id", nullDefault: 0, absentDefault: 0) ?? 0
        finding.param = try fields.string("param")
        finding.payload = try fields.string("payload")
        finding.line = try fields.integer("line", nullDefault: nil, absentDefault: nil)
        finding.filePath = try fields.string("file_path")
        finding.componentName = try fields.string("component_name")
        finding.componentVersion = try fields.string("component_version")
        finding.staticFinding = try fields.bool("static_finding") ?? false
        finding.dynamicFinding = try fields.bool("dynamic_finding") ?? true
        finding.scannerConfidence = try fields.integer("scanner_confidence", nullDefault: nil, absentDefault: nil)
        finding.uniqueIDFromTool = try fields.string("unique_id_from_tool")
        finding.vulnIDFromTool = try fields.string("vuln_id_from_tool")
        finding.sastSourceObject = try fields.string("sast_source_object")
        finding.sastSinkObject = try fields.string("sast_sink_object")
        finding.sastSourceLine = try fields.integer("sast_source_line", nullDefault: nil, absentDefault: nil)
        finding.sastSourceFilePath = try fields.string("sast_source_file_path")
        finding.numberOfOccurrences = try fields.integer("nb_occurences", nullDefault: nil, absentDefault: nil)
        finding.publishDate = try fields.date("publish_date")
        finding.service = try fields.string("service")
        finding.plannedRemediationDate = try fields.date("planned_remediation_date")
        finding.plannedRemediationVersion = try fields.string("planned_remediation_version")
        finding.effortForFixing = try fields.string("effort_for_fixing")
        finding.kevDate = try fields.date("kev_date")
        finding.knownExploited = try fields.bool("known_exploited") ?? false
        finding.ransomwareUsed = try fields.bool("ransomware_used") ?? false
        finding.fixAvailable = try fields.bool("fix_available")
        finding.fixVersion = try fields.string("fix_version")
    }

    private static func readCollections(into finding: inout Finding, from fields: LooseFields) throws {
        if let endpoints = try fields.list("endpoints") {
            for (index, item) in endpoints.enumerated() {
                finding.endpoints.append(try endpoint(item, position: fields.position("endpoints", index)))
            }
        }
        if let files = try fields.list("files") {
            for (index, item) in files.enumerated() {
                let position = fields.position("files", index)
                guard let object = item.objectValue, let encoded = object["data"]?.stringValue,
                      let data = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters) else {
                    throw ParseError(.invalidValue, "A file needs base64 \"data\".", position: position)
                }
                finding.files.append(FindingFile(title: object["title"]?.pythonString ?? "<No title>", data: data))
            }
        }
        finding.tags = try fields.stringList("tags") ?? []
        // The legacy `cve` comes first, then the listed ids.
        if let cve = finding.cve, !cve.isEmpty { finding.vulnerabilityIDs = [cve] }
        finding.vulnerabilityIDs += try fields.stringList("vulnerability_ids") ?? []
        if let cwes = try fields.list("cwes"), !cwes.isEmpty {
            let numbers = cwes.map { GenericJSONFinding.cweNumber($0.pythonString) }
            if finding.cwe == nil || finding.cwe == 0 { finding.cwe = numbers[0] }
            var seen = Set<Int>()
            finding.cwes = numbers.compactMap { $0 }.filter { seen.insert($0).inserted }
        }
    }

    /// An endpoint given as a URL string (with or without scheme) or as an object of parts.
    private static func endpoint(_ item: JSONValue, position: ParseError.Position) throws(ParseError) -> EndpointURL {
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
            guard let number = SarifMapping.integer(value) else {
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
        guard !token.isEmpty, token.allSatisfy(\.isASCIIDigitCharacter), let number = Int(token),
              (1...9_999_999).contains(number) else { return nil }
        return number
    }

    static func pythonList(_ items: [String]) -> String {
        "[" + items.map { "'\($0)'" }.joined(separator: ", ") + "]"
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
