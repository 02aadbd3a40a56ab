import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("Horusec Scan parser")
struct HorusecParserTests {
    private let parser = HorusecParser()

    @Test("the report names Horusec as its tool, with version and status")
    func testMetadata() throws {
        // Given a report from a run that had tool errors
        let result = try parser.parse(try Fixture.input("horusec/many_vulns.json"))

        // Then the test carries DefectDojo's get_tests values
        #expect(result.toolType == "Horusec")
        #expect(result.testName == "Horusec")
        #expect(result.toolVersion == "2.7.1")
        #expect(result.testDescription == """
            **Status:** error
            **Errors:**
            ```
            Error while running tool NpmAudit: no package-lock.json found; tool said ``````nothing``````
            ```
            """)
        #expect(result.testTypeName(for: "Horusec Scan") == "Horusec Scan")
    }

    @Test("a vulnerability maps to DefectDojo's fields; the date is the report's UTC day")
    func oneVulnerability() throws {
        // Given one hard-coded credential reported at 23:40 in UTC-3
        let finding = try #require(try parser.parse(try Fixture.input("horusec/one_vuln.json")).findings.first)

        // Then title and description come from the details' first and last lines
        #expect(finding.title == "(1/1) * Possible vulnerability detected: Hard-coded credential")
        #expect(finding.description.hasPrefix("Software contains hard-coded credentials"))
        #expect(finding.description.hasSuffix("**Code:**\n```Go\npassword := \"changeme\"\n```"))
        #expect(finding.severity == .critical)
        #expect(finding.scannerConfidence == 1)
        #expect(finding.line == 27)
        #expect(finding.date == CalendarDate(year: 2024, month: 5, day: 3))
    }

    @Test("empty and non-numeric lines stay null; CRLF details split on LF as in Python")
    func edgeCases() throws {
        // Given vulnerabilities with odd lines, NUL in code and CRLF details
        let findings = try parser.parse(try Fixture.input("horusec/edge_cases.json")).findings

        // Then the lines are null and the code is cleaned
        #expect(findings.map(\.line) == [nil, nil, nil])
        #expect(findings[0].title == "First line\r")
        #expect(findings[0].description.contains("``````ruby eval(x)``````"))
        #expect(!findings[0].description.contains("\u{0}"))
    }

    @Test("an unknown confidence is an error at its path")
    func badConfidence() throws {
        // Given a confidence outside LOW, MEDIUM, HIGH
        let input = try Fixture.input("horusec/bad_confidence.json")

        // When parsing it
        let error = try #require(parseError { try parser.parse(input) })

        // Then the error names the member
        #expect(error.code == .invalidValue)
        #expect(error.position == .jsonPath("$.analysisVulnerabilities[0].vulnerabilities.confidence"))
    }
}
