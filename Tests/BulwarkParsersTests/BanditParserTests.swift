import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("Bandit Scan parser")
struct BanditParserTests {
    private let parser = BanditParser()

    @Test("the dedupe recipe is DefectDojo's: file path, line, rule id")
    func dedupe() {
        // Given the registered descriptor
        let descriptor = ParserRegistry.descriptor(for: "Bandit Scan")

        // Then it hashes file_path, line and vuln_id_from_tool
        #expect(descriptor?.dedupe == .hashCode(fields: [.filePath, .line, .vulnIDFromTool]))
    }

    @Test("an aware generated_at becomes the finding date in UTC")
    func dateInUTC() throws {
        // Given a report generated at 01:05 +02:00 on 11 June
        let result = try parser.parse(try Fixture.input("bandit/many_vulns.json"))

        // Then every finding is dated 10 June, the UTC day
        #expect(result.findings.map(\.date?.description) == Array(repeating: "2024-06-10", count: 3))
    }

    @Test("an unknown severity names the result it came from")
    func unknownSeverity() throws {
        // Given a result with severity UNDEFINED
        let input = try Fixture.input("bandit/unknown_severity.json")

        // When parsing it
        let error = parseError { try parser.parse(input) }

        // Then the error is DefectDojo's unsupported-severity error at that member
        #expect(error?.code == .unsupportedSeverity)
        #expect(error?.position == .jsonPath("$.results[0].issue_severity"))
        #expect(error?.message.contains("\"Undefined\"") == true)
    }

    @Test("results without generated_at cannot be dated")
    func missingDate() throws {
        // Given results but no generated_at
        let input = try Fixture.input("bandit/no_generated_at.json")

        // When parsing it
        let error = parseError { try parser.parse(input) }

        // Then the missing member is named
        #expect(error?.code == .missingField)
        #expect(error?.message.contains("generated_at") == true)
    }
}
