import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

/// Snyk details the goldens show less clearly: DefectDojo's severity bands and the hand-over of
/// SARIF logs to the Snyk Code mapping.
@Suite("Snyk parsers")
struct SnykParserTests {
    @Test("cvssScore bands, including DefectDojo's gaps between them")
    func severityBands() throws {
        let findings = try SnykParser().parse(try Fixture.input("snyk/many_vulns.json")).findings
        let byPackage = Dictionary(findings.map { ($0.componentName ?? "", $0.severity) }, uniquingKeysWith: { first, _ in first })
        #expect(byPackage["minimist"] == .medium)  // 5.6
        #expect(byPackage["lodash"] == .high)  // 7.2
        #expect(byPackage["gap"] == .critical)  // 6.95 falls between the bands
        #expect(byPackage["noscore"] == .critical)  // null score: the severity word
        #expect(byPackage["zero"] == .low)  // 0
        #expect(byPackage["left-pad"] == .low)  // no score at all
    }

    @Test("a SARIF log given as Snyk Scan is read like Snyk Code Scan")
    func sarifHandOver() throws {
        let input = try Fixture.input("snyk/snyk_code_sarif.json")
        let asSnyk = try SnykParser().parse(input).findings
        let asSnykCode = try SnykCodeParser().parse(input).findings
        #expect(asSnyk == asSnykCode)
        #expect(asSnyk.first?.title == "python/Sqli_app/db.py")
        #expect(asSnyk.first?.severity == .high)  // priorityScore 720
    }

    @Test("Snyk Code names the test type after the SARIF tool")
    func snykCodeTool() throws {
        let result = try SnykCodeParser().parse(try Fixture.input("snyk_code/one_vuln.sarif"))
        #expect(result.testTypeName(for: "Snyk Code Scan") == "SnykCode Scan (Snyk Code Scan)")
    }

    @Test("an unreadable CVSSv3 vector names the vulnerability")
    func badVector() throws {
        let error = parseError { try SnykParser().parse(try Fixture.input("snyk/bad_cvss_vector.json")) }
        #expect(error?.position == .jsonPath("$.vulnerabilities[0].CVSSv3"))
    }
}
