// Burp Dastardly Scan — Burp Dastardly (free CI scanner) JUnit XML reports.
//
// Formats: the JUnit-style XML Dastardly writes (`testsuites` → `testsuite` per crawled URL →
// `testcase` → `failure`), streamed one `<testcase>` at a time through ``XMLRecordReader``
// (entity declarations refused).
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/burp_dastardly/{no_vuln,one_vuln,many_vulns}.xml,
// plus malformed variants (truncated, wrong root, bad severity, entities).
//
// Field mapping (DefectDojo dojo/tools/burp_dastardly/parser.py), one finding per `<failure>` of
// a testsuite whose `failures` attribute is not 0:
//   failure message → title   failure type → severity   failure text → description
//   dynamic true. DefectDojo keeps the testsuite name (the URL) in `Finding.url`, which the API
//   does not expose and Bulwark does not store; no endpoint is attached, as in DefectDojo.
import BulwarkCore

/// Parses Burp Dastardly JUnit XML reports (`Burp Dastardly Scan`).
public struct BurpDastardlyParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Burp Dastardly Scan", label: "Burp Dastardly Scan",
            summary: "Import Burp Dastardly XML files.", version: 1, dedupe: .legacy),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do {
            return ParseResult(findings: try Self.findings(in: input))
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func findings(in input: ScanInput) throws(ParseError) -> [Finding] {
        let reader = XMLRecordReader(
            records: ["/testsuites/testsuite/testcase"], rootNames: ["testsuites"], formatName: "Burp Dastardly JUnit XML")
        var findings: [Finding] = []
        try reader.read(input) { record throws(ParseError) in
            guard let suite = record.parent else { return }
            let failures = try suite.requiredAttribute("failures")
            guard let count = Int(PythonText.strip(failures)) else {
                throw suite.error(.invalidValue, "The testsuite's failures attribute \"\(failures)\" is not a number.")
            }
            guard count != 0 else { return }
            for failure in record.element.findAll("failure") {
                let title = try failure.requiredAttribute("message")
                let severity = try Severity.sanitizedOrThrow(try failure.requiredAttribute("type"), at: failure.position)
                var finding = Finding(title: title, severity: severity, description: failure.text ?? "")
                finding.dynamicFinding = true
                findings.append(finding)
            }
        }
        return findings
    }
}
