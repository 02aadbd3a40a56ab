import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("Gitleaks Scan parser")
struct GitleaksParserTests {
    private let parser = GitleaksParser()

    @Test("v8 leaks map to DefectDojo's fields")
    func currentFormat() throws {
        // Given a v8 report with one Slack token
        let finding = try #require(try parser.parse(try Fixture.input("gitleaks/one_vuln.json")).findings.first)

        // Then title, CWE, severity and description follow DefectDojo's mapping
        #expect(finding.title == "Hard coded Slack Bot Token found in deploy/notify.py")
        #expect(finding.severity == .high)
        #expect(finding.cwe == 798)
        #expect(finding.line == 12)
        #expect(finding.numberOfOccurrences == 1)
        #expect(finding.tags.isEmpty)
        #expect(finding.description.hasSuffix("**Commit date:** 2024-02-19T08:31:05Z\n**Rule Id:** slack-bot-token"))
    }

    @Test("v7 leaks redact the offender and raise GitHub tokens to Critical")
    func legacyFormat() throws {
        // Given a v7 report with a GitHub token and a password found twice
        let findings = try parser.parse(try Fixture.input("gitleaks/legacy_v7.json")).findings

        // Then the repeated password is dropped and tags are split
        #expect(findings.map(\.title) == ["Hard Coded Github Personal Access Token", "Hard Coded Generic Password"])
        #expect(findings.map(\.severity) == [.critical, .high])
        #expect(findings.map(\.line) == [4, nil])
        #expect(findings[0].tags == ["key", "Github"])
        #expect(findings[0].description.contains("```\nexport GITHUB_TOKEN=REDACTED\n```"))
        #expect(findings[1].tags.isEmpty)
    }

    @Test("repeated v8 leaks merge their descriptions; CRLF inside messages is kept")
    func repeatedLeaks() throws {
        // Given the same secret at the same line in two commits
        let findings = try parser.parse(try Fixture.input("gitleaks/repeated_leaks.json")).findings

        // Then one finding counts both and a missing StartLine is 0
        #expect(findings.count == 2)
        #expect(findings[0].numberOfOccurrences == 2)
        #expect(findings[0].description.contains("\n\n***\n\n"))
        #expect(findings[0].description.contains("**Commit message:**\n```\nrésumé\r\nsecond line\n```"))
        #expect(findings[1].line == 0)
    }

    @Test("null means no leaks; an unrecognised entry is an error at its index")
    func nullAndUnknown() throws {
        // Given a null report and one whose entry has neither rule nor Description
        let empty = try parser.parse(try Fixture.input("gitleaks/null_report.json"))
        let error = try #require(parseError { try parser.parse(try Fixture.input("gitleaks/unknown_entry.json")) })

        // Then the first is empty and the second names the entry
        #expect(empty.findings.isEmpty)
        #expect(error.code == .unsupportedFormat)
        #expect(error.position == .jsonPath("$[0]"))
    }
}
