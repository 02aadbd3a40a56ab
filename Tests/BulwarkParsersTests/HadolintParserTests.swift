import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("Hadolint Dockerfile check parser")
struct HadolintParserTests {
    private let parser = HadolintParser()

    @Test("levels map to severities across several Dockerfiles")
    func severities() throws {
        // Given violations of every level in two Dockerfiles
        let findings = try parser.parse(try Fixture.input("hadolint/many_vulns.json")).findings

        // Then error → Critical, warning → High, info and style → Info, in report order
        #expect(findings.map(\.severity) == [.high, .high, .info, .high, .high, .critical, .info])
        #expect(findings[5].title == "DL3000: Use absolute WORKDIR")
        #expect(findings[5].description == "Vulnerability ID: DL3000\nDetails: Use absolute WORKDIR")
        #expect(findings[5].filePath == "worker/Dockerfile")
        #expect(findings[5].line == 6)
        #expect(findings.allSatisfy { $0.staticFinding && !$0.dynamicFinding })
    }

    @Test("a repeated place keeps its first position and its last content")
    func repeatedPlace() throws {
        // Given the same line, column, code and file twice (CRLF report, Unicode path)
        let findings = try parser.parse(try Fixture.input("hadolint/repeated_entries.json")).findings

        // Then three findings remain and the first one holds the second entry's text
        #expect(findings.count == 3)
        #expect(findings[0].severity == .high)
        #expect(findings[0].title == "DL3020: Use COPY instead of ADD — reported twice")
        #expect(findings[1].severity == .info)
        #expect(findings[2].title == "DL3020: Another column")
    }

    @Test("an object instead of a list is the wrong format")
    func wrongShape() throws {
        // Given a single violation object rather than a list
        let input = try Fixture.input("hadolint/not_a_list.json")

        // When parsing it
        let error = try #require(parseError { try parser.parse(input) })

        // Then the error says so at the root
        #expect(error.code == .unsupportedFormat)
        #expect(error.position == .jsonPath("$"))
    }
}
