import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("Detect-secrets Scan parser")
struct DetectSecretsParserTests {
    private let parser = DetectSecretsParser()

    @Test("a secret seen twice is one finding with two occurrences")
    func repeatedSecret() throws {
        // Given the same keyword at the same line of the same file twice
        let result = try parser.parse(try Fixture.input("detect_secrets/many_vulns.json"))

        // Then the first finding counts both, and the others count one
        #expect(result.findings.map(\.numberOfOccurrences) == [2, 1, 1])
    }

    @Test("audit results set active and false positive")
    func auditedSecrets() throws {
        // Given an unaudited, a confirmed and a dismissed secret
        let result = try parser.parse(try Fixture.input("detect_secrets/many_vulns.json"))

        // Then only the dismissed one is inactive and a false positive
        #expect(result.findings.map(\.active) == [true, true, false])
        #expect(result.findings.map(\.falsePositive) == [false, false, true])
        #expect(result.findings.map(\.verified) == [false, true, false])
    }

    @Test("secrets without generated_at cannot be dated")
    func missingDate() throws {
        // Given a secret but no generated_at
        let input = try Fixture.input("detect_secrets/no_generated_at.json")

        // When parsing it
        let error = parseError { try parser.parse(input) }

        // Then the missing member is named
        #expect(error?.code == .missingField)
        #expect(error?.message.contains("generated_at") == true)
    }
}
