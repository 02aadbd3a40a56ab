import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("GitLab SAST Report parser")
struct GitlabSastParserTests {
    private let parser = GitlabSastParser()

    @Test("the scanner in the report names the test")
    func testTypeName() throws {
        // Given a Semgrep report
        let result = try parser.parse(try Fixture.input("gitlab_sast/one_vuln.json"))

        // Then the test type is named after Semgrep, with its version
        #expect(result.toolType == "Semgrep")
        #expect(result.toolVersion == "1.60.0")
        #expect(result.testTypeName(for: "GitLab SAST Report") == "Semgrep Scan (GitLab SAST Report)")
    }

    @Test("a report without scan keeps the plain scan type")
    func noScanner() throws {
        // Given an old report without "scan"
        let result = try parser.parse(try Fixture.input("gitlab_sast/old_format_unicode_crlf.json"))

        // Then no tool is named
        #expect(result.toolType == nil)
        #expect(result.testTypeName(for: "GitLab SAST Report") == "GitLab SAST Report")
    }

    @Test("a repeated id replaces the earlier vulnerability in its place")
    func repeatedID() throws {
        // Given five vulnerabilities, the fourth repeating the first one's id
        let result = try parser.parse(try Fixture.input("gitlab_sast/many_vulns.json"))

        // Then four findings remain and the first is the later report
        #expect(result.findings.map(\.uniqueIDFromTool) == ["a1", "a2", "a3", "a4"])
        #expect(result.findings.first?.severity == .critical)
    }

    @Test("class and method become the SAST source and sink, end_line the line")
    func sastObjects() throws {
        // Given a vulnerability from line 31 to 33 in OrderView#get
        let finding = try #require(try parser.parse(try Fixture.input("gitlab_sast/one_vuln.json")).findings.first)

        // Then the source keeps the start line and the finding the end line
        #expect(finding.sastSourceObject == "OrderView#get")
        #expect(finding.sastSinkObject == "OrderView#get")
        #expect(finding.sastSourceLine == 31)
        #expect(finding.line == 33)
        #expect(finding.cwe == 89)
        #expect(finding.scannerConfidence == 3)
    }
}
