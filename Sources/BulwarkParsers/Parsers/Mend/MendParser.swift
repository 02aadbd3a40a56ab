// Mend (formerly WhiteSource) — software composition analysis, JSON exports.
//
// Accepts the four JSON shapes DefectDojo reads, chosen by the first top-level member present:
//   - `libraries`: the Unified Agent's `-generateScanReport` output, vulnerabilities nested in
//     each library;
//   - `vulnerabilities`: the manual "vulnerabilities" export of a project (library per alert);
//   - `components`: Mend Platform / API 3.0 SCA output, findings under each component's `response`;
//   - `response`: Mend Platform API 3.0 findings list; only findings whose
//     `findingInfo.status` is `ACTIVE` are read.
// An object with none of these members has no findings (as in DefectDojo).
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/mend/{no_vuln,one_vuln,many_vulns}.json (manual
// export), platform_response.json (API 3.0 response, inactive entries, topFix, locations),
// platform_components.json, agent_libraries.json (libraries form, repeated alerts),
// unknown_shape.json, truncated.json, not_an_object.json, bad_severity.json.
//
// Field mapping (DefectDojo dojo/tools/mend/parser.py), see MendMapping.swift: "<name> | <library>"
// → title; cvss3_severity (else vulnerability.severity, else severity) lower-cased then
// capitalised → severity; cwe 1035; descriptions, mitigation (topFix), impact, file_path
// (sourceFiles), steps_to_reproduce (locations), severity_justification, cvssv3 vector and
// score, kev_date, fix_available, known_exploited, ransomware_used; name → vulnerability_ids.
// Findings with the same description and title are kept once.
import BulwarkCore
import Foundation

/// Parses Mend (WhiteSource) JSON exports (`Mend Scan`).
public struct MendParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Mend Scan", label: "Mend Scan", summary: "Import JSON report", version: 1,
            dedupe: .hashCode(fields: [.title, .severity, .description])),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do {
            return ParseResult(findings: try Self.findings(in: try input.readData()))
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func findings(in data: Data) throws(ParseError) -> [Finding] {
        guard let report = try OrderedJSONParser.parse(data).objectValue else {
            throw ParseError(.unsupportedFormat, "The report is JSON but not a Mend export: expected an object.", position: .jsonPath("$"))
        }
        let root = LooseFields(object: report, path: "$")
        var findings: [Finding] = []
        if report.contains("libraries") {
            for library in try objects(root, "libraries") {
                let vulnerabilities = try library.list("vulnerabilities") ?? []
                for node in try objects(vulnerabilities, path: library.position("vulnerabilities").description) {
                    findings.append(try MendMapping.finding(node, libraryName: try library.string("name")))
                }
            }
        } else if report.contains("vulnerabilities") {
            for node in try objects(root, "vulnerabilities") {
                findings.append(try MendMapping.finding(node, libraryName: nil))
            }
        } else if report.contains("components") {
            for component in try objects(root, "components") {
                let response = try component.list("response") ?? []
                for node in try objects(response, path: component.position("response").description) {
                    findings.append(try MendMapping.finding(node, libraryName: try component.string("name")))
                }
            }
        } else if report.contains("response") {
            for node in try objects(root, "response") {
                guard case .string("ACTIVE")? = node.object["findingInfo"]?["status"] else { continue }
                findings.append(try MendMapping.finding(node, libraryName: nil))
            }
        }
        // DefectDojo keeps the first finding of each description and title.
        var seen = Set<String>()
        return findings.filter { seen.insert($0.description + "\u{0}" + $0.title).inserted }
    }

    /// The objects of a list member (absent or null is an empty list).
    private static func objects(_ fields: LooseFields, _ key: String) throws(ParseError) -> [LooseFields] {
        try objects(try fields.list(key) ?? [], path: fields.position(key).description)
    }

    private static func objects(_ items: [JSONValue], path: String) throws(ParseError) -> [LooseFields] {
        var result: [LooseFields] = []
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard let object = item.objectValue else {
                throw ParseError(.invalidValue, "Each entry must be an object.", position: .jsonPath("\(path)[\(index)]"))
            }
            result.append(LooseFields(object: object, path: "\(path)[\(index)]"))
        }
        return result
    }
}
