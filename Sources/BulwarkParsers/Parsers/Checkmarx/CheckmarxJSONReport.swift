import BulwarkCore
import Foundation

/// Reads a Checkmarx JSON report (`scanResults` → `sast` / `sca` / `kics`) the way DefectDojo's
/// Checkmarx parser does for a `.json` upload (see CheckmarxParser.swift for the mapping). Both
/// scan types give the same findings for JSON.
enum CheckmarxJSONReport {
    static func findings(in data: Data) throws(ParseError) -> [Finding] {
        let root = try OrderedJSONParser.parse(data)
        guard let report = root.objectValue else {
            throw ParseError(.unsupportedFormat, "The report is JSON but not a Checkmarx JSON report: expected an object.", position: .jsonPath("$"))
        }
        // `data.get("scanResults", [])`: a report without results has no findings.
        guard let resultsValue = report["scanResults"] else { return [] }
        if resultsValue.arrayValue?.isEmpty == true { return [] }
        let results = try object(resultsValue, at: "$.scanResults")
        var findings: [Finding] = []
        for (type, section) in results.members where !section.isNull {
            let path = "$.scanResults" + JSONPath.member(type)
            switch type {
            case "sast": try readSAST(try object(section, at: path), path: path, into: &findings)
            case "sca": try readSCA(try object(section, at: path), path: path, into: &findings)
            case "kics": try readKICS(try object(section, at: path), path: path, into: &findings)
            default: continue
            }
        }
        return findings
    }

    private static func readSAST(_ section: JSONObject, path: String, into findings: inout [Finding]) throws(ParseError) {
        for (languageIndex, language) in try list(section, "languages", at: path).enumerated() {
            let languagePath = "\(path).languages[\(languageIndex)]"
            let language = try object(language, at: languagePath)
            for (queryIndex, query) in try list(language, "queries", at: languagePath).enumerated() {
                let queryPath = "\(languagePath).queries[\(queryIndex)]"
                let query = try object(query, at: queryPath)
                let fields = LooseFields(object: query, path: queryPath)
                let title = try fields.requiredText("queryName").replacingOccurrences(of: "_", with: " ")
                let description = try fields.string("description") ?? ""
                for (index, vulnerability) in try list(query, "vulnerabilities", at: queryPath).enumerated() {
                    let vulnerabilityPath = "\(queryPath).vulnerabilities[\(index)]"
                    let fields = LooseFields(object: try object(vulnerability, at: vulnerabilityPath), path: vulnerabilityPath)
                    var finding = try baseFinding(fields, title: title, description: description)
                    let status = try fields.string("status")
                    finding.active = status != "Not exploitable"
                    finding.verified = status != "To verify"
                    finding.cwe = fields.integer("cweId", nullDefault: nil, absentDefault: nil)
                    if let nodes = fields.object["nodes"], nodes.isTruthy, let last = nodes.arrayValue?.last {
                        let node = LooseFields(object: try object(last, at: "\(vulnerabilityPath).nodes[-1]"), path: "\(vulnerabilityPath).nodes[-1]")
                        finding.filePath = try node.string("fileName")
                        finding.line = node.integer("line", nullDefault: nil, absentDefault: nil)
                    }
                    finding.tags = ["sast"]
                    findings.append(finding)
                }
            }
        }
    }

    private static func readSCA(_ section: JSONObject, path: String, into findings: inout [Finding]) throws(ParseError) {
        for (packageIndex, package) in try list(section, "packages", at: path).enumerated() {
            let packagePath = "\(path).packages[\(packageIndex)]"
            let package = try object(package, at: packagePath)
            let nameParts = try LooseFields(object: package, path: packagePath).requiredText("name")
                .split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard nameParts.count >= 2 else {
                throw ParseError(.invalidValue, "The package name must be \"<name>-<version>\".", position: .jsonPath(packagePath + ".name"))
            }
            let componentName = nameParts[nameParts.count - 2]
            let componentVersion = nameParts[nameParts.count - 1]
            for (index, vulnerability) in try list(package, "vulnerabilities", at: packagePath).enumerated() {
                let vulnerabilityPath = "\(packagePath).vulnerabilities[\(index)]"
                let fields = LooseFields(object: try object(vulnerability, at: vulnerabilityPath), path: vulnerabilityPath)
                let cve = try fields.string("cveId")
                var finding = try baseFinding(
                    fields, title: "\(componentName):\(componentVersion) | \(CheckmarxParser.python(cve))",
                    description: try fields.string("description") ?? "")
                finding.active = try fields.string("status") != "Not exploitable"
                finding.verified = try fields.string("state") != "To verify"
                finding.componentName = componentName
                finding.componentVersion = componentVersion
                guard let cwe = fields.integer("cwe", nullDefault: nil, absentDefault: 0) else {
                    throw ParseError(.invalidValue, "\"cwe\" must be a number.", position: fields.position("cwe"))
                }
                finding.cwe = cwe
                if let cve, !cve.isEmpty { finding.vulnerabilityIDs = [cve] }
                finding.tags = ["sca"]
                findings.append(finding)
            }
        }
    }

    private static func readKICS(_ section: JSONObject, path: String, into findings: inout [Finding]) throws(ParseError) {
        for (resultIndex, result) in try list(section, "results", at: path).enumerated() {
            let resultPath = "\(path).results[\(resultIndex)]"
            let result = try object(result, at: resultPath)
            let name = try LooseFields(object: result, path: resultPath).string("name")
            for (index, vulnerability) in try list(result, "vulnerabilities", at: resultPath).enumerated() {
                let vulnerabilityPath = "\(resultPath).vulnerabilities[\(index)]"
                let fields = LooseFields(object: try object(vulnerability, at: vulnerabilityPath), path: vulnerabilityPath)
                var finding = try baseFinding(
                    fields, title: "\(CheckmarxParser.python(name)) | \(CheckmarxParser.python(try fields.string("issueType")))",
                    description: try fields.string("description") ?? "")
                finding.active = try fields.string("status") != "Not exploitable"
                finding.verified = try fields.string("state") != "To verify"
                finding.filePath = try fields.string("fileName")
                finding.line = fields.integer("line", nullDefault: nil, absentDefault: 0)
                finding.severityJustification = try fields.string("actualValue")
                finding.tags = ["kics"] + (name.map { [$0] } ?? [])
                findings.append(finding)
            }
        }
    }

    /// Title, description, severity, date, static flag and unique id, common to every section.
    private static func baseFinding(_ fields: LooseFields, title: String, description: String) throws(ParseError) -> Finding {
        guard case .string(let rawSeverity)? = fields.object["severity"] else {
            throw ParseError(.invalidValue, "\"severity\" must be text.", position: fields.position("severity"))
        }
        let titled = CheckmarxParser.pythonTitle(rawSeverity)
        guard let severity = Severity.sanitized(titled) else {
            throw ParseError.unsupportedSeverity(titled, position: fields.position("severity"))
        }
        var finding = Finding(title: title, severity: severity, description: description)
        finding.date = try date(fields)
        finding.staticFinding = true
        if let id = fields.object["id"], id.isTruthy {
            finding.uniqueIDFromTool = id.pythonString
        } else {
            finding.uniqueIDFromTool = (fields.object["similarityId"] ?? .null).pythonString
        }
        return finding
    }

    /// `firstFoundDate`: a date text (its own day) or `{"seconds": n}` (the UTC day).
    private static func date(_ fields: LooseFields) throws(ParseError) -> CalendarDate? {
        switch fields.object["firstFoundDate"] {
        case .string(let text)?:
            guard let date = DateParsing.flexible(text)?.calendarDate else {
                throw ParseError(.invalidValue, "\"firstFoundDate\" is not a date: \"\(text)\".", position: fields.position("firstFoundDate"))
            }
            return date
        case .object(let timestamp)?:
            guard case .integer(let seconds)? = timestamp["seconds"] else { return nil }
            // Python's datetime covers years 1 to 9999.
            guard (-62_135_596_800...253_402_300_799).contains(seconds) else {
                throw ParseError(.invalidValue, "\"firstFoundDate\" seconds are out of range.", position: fields.position("firstFoundDate"))
            }
            return CalendarDate(utcDayOf: Date(timeIntervalSince1970: TimeInterval(seconds)))
        default:
            return nil
        }
    }

    private static func object(_ value: JSONValue, at path: String) throws(ParseError) -> JSONObject {
        guard let object = value.objectValue else {
            throw ParseError(.invalidValue, "Expected an object.", position: .jsonPath(path))
        }
        return object
    }

    /// `obj.get(key, [])`: absent is empty; anything but an array is an error.
    private static func list(_ object: JSONObject, _ key: String, at path: String) throws(ParseError) -> [JSONValue] {
        guard let value = object[key] else { return [] }
        guard let items = value.arrayValue else {
            throw ParseError(.invalidValue, "\"\(key)\" must be an array.", position: .jsonPath(path + JSONPath.member(key)))
        }
        return items
    }
}
