// Snyk Code Scan — Snyk Code's SARIF output (`snyk code test --sarif`).
//
// Format: SARIF 2.1.0 as read by the SARIF parser (one finding per result location, rules,
// CWEs, fingerprints, suppressions), with Snyk's result properties `priorityScore` and
// `isAutofixable`. The run's tool (`SnykCode`) names the test type, as for SARIF.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/snyk_code/{no_vuln,one_vuln,many_vulns}.sarif, plus
// a result without location and malformed variants.
//
// Field mapping (DefectDojo dojo/tools/snyk_code/parser.py, a subclass of its SARIF parser),
// where it differs from SARIF:
//   "<ruleId>_<artifact uri>" (or the rule id alone without a location) → title
//   ruleId, ruleIndex, message text, priorityScore, isAutofixable and the location's uri,
//   uriBaseId, start/end line and column → description ("**key**: value" lines)
//   priorityScore ≤399 → Low, ≤699 → Medium, ≤899 → High, else Critical (missing → 0 → Low).
import BulwarkCore
import Foundation

/// Parses Snyk Code SARIF reports (`Snyk Code Scan`).
public struct SnykCodeParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Snyk Code Scan", label: "Snyk Code Scan",
            summary: "Snyk Code SARIF output (snyk code test --sarif).", version: 1,
            dedupe: .hashCode(fields: [.vulnIDFromTool, .filePath]), namesToolInReport: true),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            return try SarifParser.parseLog(try input.readData(), dialect: SnykCodeDialect())
        } catch {
            throw error.naming(scanType)
        }
    }
}

/// Snyk Code's changes to the SARIF mapping.
struct SnykCodeDialect: SarifDialect {
    func title(result: JSONObject, rule: JSONObject?, location: JSONObject?, path: String) throws(ParseError) -> String {
        let ruleID = result["ruleId"].map(PythonLiteral.str) ?? ""
        let uri = Self.artifact(location)?["uri"].map(PythonLiteral.str) ?? ""
        return !ruleID.isEmpty && !uri.isEmpty ? "\(ruleID)_\(uri)" : ruleID
    }

    func description(result: JSONObject, rule: JSONObject?, location: JSONObject?) -> String {
        let properties = result["properties"]
        var parts = [
            "**ruleId**: " + (result["ruleId"].map(PythonLiteral.str) ?? ""),
            "**ruleIndex**: " + (result["ruleIndex"].map(PythonLiteral.str) ?? ""),
            "**message**: " + (result["message"]?["text"].map(PythonLiteral.str) ?? ""),
            "**score**: " + (properties?["priorityScore"].map(PythonLiteral.str) ?? "0"),
            "**isAutofixable**: " + (properties?["isAutofixable"].map(PythonLiteral.str) ?? "False"),
        ]
        if let location, !location.isEmpty {
            let artifact = Self.artifact(location)
            let region = location["physicalLocation"]?["region"]
            for (label, value) in [("uri", artifact?["uri"]), ("uriBaseId", artifact?["uriBaseId"])] {
                if let value, value.isTruthy { parts.append("**\(label)**: \(PythonLiteral.str(value))") }
            }
            for key in ["startLine", "endLine", "startColumn", "endColumn"] {
                if let value = region?[key], value.isTruthy { parts.append("**\(key)**: \(PythonLiteral.str(value))") }
            }
        }
        return parts.joined(separator: "\n")
    }

    func customize(_ finding: inout Finding, result: JSONObject, rule: JSONObject?, location: JSONObject?) {
        let score = result["properties"]?["priorityScore"].flatMap(Self.number) ?? 0
        finding.severity = switch score {
        case ...399: .low
        case ...699: .medium
        case ...899: .high
        default: .critical
        }
    }

    private static func artifact(_ location: JSONObject?) -> JSONValue? {
        location?["physicalLocation"]?["artifactLocation"]
    }

    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .integer(let number): Double(number)
        case .number(let number): number
        default: nil
        }
    }
}
