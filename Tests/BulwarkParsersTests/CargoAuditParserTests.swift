import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("CargoAudit Scan parser")
struct CargoAuditParserTests {
    private let parser = CargoAuditParser()

    @Test("a CVSS 3.1 vector sets the vector, score and severity; none means High")
    func severityFromCVSS() throws {
        // Given advisories with a 3.1 vector (5.3), a 4.0 vector and none
        let result = try parser.parse(try Fixture.input("cargo_audit/many_vulns.json"))

        // Then the 3.1 one is Medium with its score, the others High
        #expect(result.findings.map(\.severity) == [.medium, .high, .high])
        #expect(result.findings[0].cvssV3Score == 5.3)
        #expect(result.findings[1].cvssV3 == nil)
        #expect(result.findings[1].cvssV4 == "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N")
    }

    @Test("the same advisory for the same package version counts occurrences")
    func occurrences() throws {
        // Given the hyper advisory twice for hyper 0.14.4
        let result = try parser.parse(try Fixture.input("cargo_audit/many_vulns.json"))

        // Then it is one finding seen twice, keeping the first description
        #expect(result.findings.map(\.numberOfOccurrences) == [2, 1, 1])
        #expect(result.findings[0].description.contains("leading plus sign"))
    }

    @Test("an advisory date that is not a date names the advisory")
    func badDate() throws {
        // Given an advisory dated "yesterday"
        let input = try Fixture.input("cargo_audit/bad_date.json")

        // When parsing it
        let error = parseError { try parser.parse(input) }

        // Then the error points at it
        #expect(error?.code == .invalidValue)
        #expect(error?.position == .jsonPath("$.vulnerabilities.list[0].advisory.date"))
    }
}
