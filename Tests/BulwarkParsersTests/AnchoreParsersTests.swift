import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

/// What the Anchore Engine and Grype goldens do not show at a glance: DefectDojo's merging rules.
@Suite("Anchore Engine and Grype parsers")
struct AnchoreParsersTests {
    @Test("Anchore Engine policy reports keep DefectDojo's running description")
    func runningDescription() throws {
        // Given a policy evaluation report with three distinct packages
        let result = try AnchoreEngineParser().parse(try Fixture.input("anchore_engine/security_evaluation.json"))

        // Then each finding's description lists every package read so far
        #expect(result.findings.count == 3)
        let last = try #require(result.findings.last)
        #expect(last.description.components(separatedBy: "**Package**:").count - 1 == 4)
        #expect(result.findings[0].description.components(separatedBy: "**Package**:").count - 1 == 1)
        #expect(result.findings[0].mitigation == "Upgrade to: 1.1.1k-15 or 1.1.1l-1\n\nURL: https://access.redhat.com/security/cve/CVE-2031-2000")
    }

    @Test("Anchore Engine scores outside 0…10 are dropped and the second vendor entry is used")
    func classicScores() throws {
        let findings = try AnchoreEngineParser().parse(try Fixture.input("anchore_engine/many_vulns.json")).findings

        #expect(findings.map(\.cvssV3Score) == [nil, nil, 5.3, 9.8])
        #expect(findings.map(\.severity) == [.info, .critical, .medium, .info])
    }

    @Test("Grype repeats count as occurrences; several fix versions leave the last as fix_version")
    func grypeMerging() throws {
        // Given matches of the same vulnerability and package in two places
        let findings = try AnchoreGrypeParser().parse(try Fixture.input("anchore_grype/many_vulns.json")).findings

        // Then they merge into the first, which counts both
        #expect(findings.count == 3)
        #expect(findings[1].numberOfOccurrences == 2)
        #expect(findings[1].filePath == "/var/lib/dpkg/status")
        #expect(findings[0].fixVersion == "3.0.1")
        #expect(findings[0].tags == ["python", "python2"])
        // A CVSS 2 vector is skipped for the first CVSS 3 one.
        #expect(findings[0].cvssV3 == "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N")
    }

    @Test("Grype errors name the match")
    func grypeErrors() throws {
        let error = parseError { try AnchoreGrypeParser().parse(try Fixture.input("anchore_grype/missing_artifact.json")) }
        #expect(error?.code == .missingField)
        #expect(error?.position == .jsonPath("$.matches[0]"))
        #expect(error?.scanType == "Anchore Grype")
    }
}
