import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("Checkov Scan parser")
struct CheckovParserTests {
    private let parser = CheckovParser()

    @Test("finding counts over single, multiple and summary-only reports", arguments: [
        ("checkov/no_vuln.json", 0), ("checkov/summary_only.json", 0), ("checkov/one_vuln.json", 1),
        ("checkov/many_vulns.json", 3),
    ])
    func counts(fixture: String, expected: Int) throws {
        // Given a Checkov report
        let input = try Fixture.input(fixture)

        // When parsing it
        let result = try parser.parse(input)

        // Then each failed check is one finding
        #expect(result.findings.count == expected)
    }

    @Test("benchmarks become the mitigation in report order, null benchmarks skipped")
    func benchmarks() throws {
        // Given a check with three benchmarks, one of them null
        let result = try parser.parse(try Fixture.input("checkov/many_vulns.json"))

        // Then the mitigation lists the guidelines of the other two, in order
        #expect(result.findings.first?.mitigation == """

            Benchmarks:
            - CIS AWS V1.3 # 5.6 : Ensure IMDSv2 is required
            - Custom équipe # A.1 : Metadata hardening
            - Custom équipe # A.2 : Tokens only

            """)
        // A line range starting at 0 (whole-file checks) keeps line 0.
        #expect(result.findings.last?.line == 0)
    }

    @Test("an unknown severity names the failed check")
    func unknownSeverity() throws {
        // Given a failed check with severity SEVERE
        let input = try Fixture.input("checkov/unknown_severity.json")

        // When parsing it
        let error = parseError { try parser.parse(input) }

        // Then the error points at it
        #expect(error?.code == .unsupportedSeverity)
        #expect(error?.position == .jsonPath("$.results.failed_checks[0].severity"))
    }
}
