import BulwarkCore
import Foundation

/// Maps one member of a Generic JSON finding onto ``Finding`` (DefectDojo field names).
enum GenericJSONFieldReader {
    static func read(_ member: String, into finding: inout Finding, from fields: LooseFields) throws(ParseError) {
        switch member {
        case "cwe": finding.cwe = fields.integer("cwe", nullDefault: nil, absentDefault: 0)
        case "cve": finding.cve = try fields.string("cve")
        case "epss_score": finding.epssScore = fields.double("epss_score")
        case "epss_percentile": finding.epssPercentile = fields.double("epss_percentile")
        case "cvssv3": finding.cvssV3 = try fields.string("cvssv3")
        case "cvssv3_score": finding.cvssV3Score = fields.double("cvssv3_score")
        case "cvssv4": finding.cvssV4 = try fields.string("cvssv4")
        case "cvssv4_score": finding.cvssV4Score = fields.double("cvssv4_score")
        case "mitigation": finding.mitigation = try fields.string("mitigation")
        case "impact": finding.impact = try fields.string("impact")
        case "steps_to_reproduce": finding.stepsToReproduce = try fields.string("steps_to_reproduce")
        case "severity_justification": finding.severityJustification = try fields.string("severity_justification")
        case "references": finding.references = try fields.string("references")
        case "param": finding.param = try fields.string("param")
        case "payload": finding.payload = try fields.string("payload")
        case "line": finding.line = fields.integer("line", nullDefault: nil, absentDefault: nil)
        case "file_path": finding.filePath = try fields.string("file_path")
        case "component_name": finding.componentName = try fields.string("component_name")
        case "component_version": finding.componentVersion = try fields.string("component_version")
        case "unique_id_from_tool": finding.uniqueIDFromTool = try fields.string("unique_id_from_tool")
        case "vuln_id_from_tool": finding.vulnIDFromTool = try fields.string("vuln_id_from_tool")
        case "service": finding.service = try fields.string("service")
        case "fix_available": finding.fixAvailable = try fields.bool("fix_available")
        case "fix_version": finding.fixVersion = try fields.string("fix_version")
        case "tags": finding.tags = try fields.stringList("tags") ?? []
        case "vulnerability_ids": finding.vulnerabilityIDs = try fields.stringList("vulnerability_ids") ?? []
        case "endpoints", "files", "cwes": try readCollection(member, into: &finding, from: fields)
        default: try readStatusOrExtra(member, into: &finding, from: fields)
        }
    }

    private static func readStatusOrExtra(_ member: String, into finding: inout Finding, from fields: LooseFields) throws(ParseError) {
        switch member {
        case "active": finding.active = try fields.bool(member) ?? true
        case "verified": finding.verified = try fields.bool(member) ?? false
        case "false_p": finding.falsePositive = try fields.bool(member) ?? false
        case "out_of_scope": finding.outOfScope = try fields.bool(member) ?? false
        case "risk_accepted": finding.riskAccepted = try fields.bool(member) ?? false
        case "under_review": finding.underReview = try fields.bool(member) ?? false
        case "is_mitigated": finding.isMitigated = try fields.bool(member) ?? false
        case "static_finding": finding.staticFinding = try fields.bool(member) ?? false
        case "dynamic_finding": finding.dynamicFinding = try fields.bool(member) ?? true
        case "known_exploited": finding.knownExploited = try fields.bool(member) ?? false
        case "ransomware_used": finding.ransomwareUsed = try fields.bool(member) ?? false
        case "thread_id": finding.threadID = fields.integer(member, nullDefault: 0, absentDefault: 0) ?? 0
        case "scanner_confidence": finding.scannerConfidence = fields.integer(member, nullDefault: nil, absentDefault: nil)
        case "sast_source_line": finding.sastSourceLine = fields.integer(member, nullDefault: nil, absentDefault: nil)
        case "nb_occurences": finding.numberOfOccurrences = fields.integer(member, nullDefault: nil, absentDefault: nil)
        case "sast_source_object": finding.sastSourceObject = try fields.string(member)
        case "sast_sink_object": finding.sastSinkObject = try fields.string(member)
        case "sast_source_file_path": finding.sastSourceFilePath = try fields.string(member)
        case "publish_date": finding.publishDate = try fields.date(member)
        case "kev_date": finding.kevDate = try fields.date(member)
        case "planned_remediation_date": finding.plannedRemediationDate = try fields.date(member)
        case "planned_remediation_version": finding.plannedRemediationVersion = try fields.string(member)
        case "effort_for_fixing": finding.effortForFixing = try fields.string(member)
        default: break
        }
    }

    private static func readCollection(_ member: String, into finding: inout Finding, from fields: LooseFields) throws(ParseError) {
        switch member {
        case "endpoints":
            for (index, item) in (try fields.list(member) ?? []).enumerated() {
                finding.endpoints.append(try GenericJSONFinding.endpoint(item, position: fields.position(member, index)))
            }
        case "files":
            for (index, item) in (try fields.list(member) ?? []).enumerated() {
                guard let object = item.objectValue, let encoded = object["data"]?.stringValue,
                      let data = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters) else {
                    throw ParseError(.invalidValue, "A file needs base64 \"data\".", position: fields.position(member, index))
                }
                finding.files.append(FindingFile(title: object["title"]?.pythonString ?? "<No title>", data: data))
            }
        default:
            // "cwes": the full list; the first one becomes the primary CWE only when "cwe" is
            // missing or 0.
            guard let cwes = try fields.list(member), !cwes.isEmpty else { return }
            let numbers = cwes.map { GenericJSONFinding.cweNumber($0.pythonString) }
            if finding.cwe == nil || finding.cwe == 0 { finding.cwe = numbers[0] }
            var seen = Set<Int>()
            finding.cwes = numbers.compactMap { $0 }.filter { seen.insert($0).inserted }
        }
    }
}
