import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("Checkmarx One Scan parser")
struct CheckmarxOneParserTests {
    private let parser = CheckmarxOneParser()

    @Test("each of the three export shapes is read", arguments: [
        ("checkmarx_one/many_vulns.json", 4), ("checkmarx_one/scan_report.json", 4), ("checkmarx_one/gitlab_style.json", 2),
    ])
    func shapes(fixture: String, expected: Int) throws {
        // Given an export of one shape
        let input = try Fixture.input(fixture)

        // When parsing it
        let result = try parser.parse(input)

        // Then its findings are read (unknown result types skipped)
        #expect(result.findings.count == expected)
    }

    @Test("triage states map to active, verified and false positive")
    func states() throws {
        // Given results in CONFIRMED, NOT_EXPLOITABLE, URGENT and no state
        let findings = try parser.parse(try Fixture.input("checkmarx_one/many_vulns.json")).findings

        // Then DefectDojo's reading applies
        #expect(findings.map(\.active) == [true, false, true, false])
        #expect(findings.map(\.verified) == [true, true, true, false])
        #expect(findings.map(\.falsePositive) == [false, true, false, false])
    }

    @Test("scan report SAST findings take the CWE store's texts")
    func cweStore() throws {
        // Given a Stored XSS query with CWE 79 described in vulnerabilityDetails
        let finding = try #require(try parser.parse(try Fixture.input("checkmarx_one/scan_report.json")).findings.first)

        // Then the cause, risk and recommendation are used
        #expect(finding.title == "Java/Java High Risk/Stored XSS")
        #expect(finding.cwe == 79)
        #expect(finding.impact == "An attacker can run script in other users' browsers.")
        #expect(finding.mitigation == "Encode output for its context.")
        #expect(finding.description.hasPrefix("Untrusted stored data is written to the page.\n\nOutput is not encoded.\n---\n"))
    }

    @Test("an unknown severity names the result")
    func unknownSeverity() throws {
        // Given a result with severity SEVERE
        let input = try Fixture.input("checkmarx_one/unknown_severity.json")

        // When parsing it
        let error = parseError { try parser.parse(input) }

        // Then the error points at it
        #expect(error?.code == .unsupportedSeverity)
        #expect(error?.position == .jsonPath("$.results[0].severity"))
    }
}
