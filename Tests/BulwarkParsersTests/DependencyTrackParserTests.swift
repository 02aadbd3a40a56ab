import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("Dependency Track FPF parser")
struct DependencyTrackParserTests {
    private let parser = DependencyTrackParser()

    @Test("vulnId and alias ids, each once, vulnId first")
    func vulnerabilityIDs() throws {
        // Given a GHSA finding whose aliases repeat the GHSA id and add a CVE and an OSV id
        let finding = try #require(try parser.parse(try Fixture.input("dependency_track/many_vulns.json")).findings.first)

        // Then the ids are listed once each
        #expect(finding.vulnerabilityIDs == ["GHSA-p6mc-m468-83gw", "CVE-2020-8203", "OSV-2020-1"])
    }

    @Test("a CVSS 3.1 vector with temporal metrics stores the environmental score")
    func cvssScore() throws {
        // Given base score 7.4 and a vector with E:P/RL:O/RC:C
        let finding = try #require(try parser.parse(try Fixture.input("dependency_track/many_vulns.json")).findings.first)

        // Then the score is the one computed from the vector (DefectDojo's cvss library gives 6.7)
        #expect(finding.cvssV3Score == 6.7)
        #expect(finding.cvssV4 == "CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:N/VI:H/VA:H/SC:N/SI:N/SA:N")
    }

    @Test("an unmapped severity becomes Info with a warning")
    func unmappedSeverity() throws {
        // Given a finding with severity UNASSIGNED
        let result = try parser.parse(try Fixture.input("dependency_track/many_vulns.json"))

        // Then it is Info and the user is told
        #expect(result.findings[1].severity == .info)
        #expect(result.warnings.count == 1)
    }

    @Test("a finding without component uses DefectDojo's message")
    func missingComponent() throws {
        // Given a finding with a vulnerability but no component
        let input = try Fixture.input("dependency_track/missing_component.json")

        // When parsing it
        let error = parseError { try parser.parse(input) }

        // Then the message and position name it
        #expect(error?.code == .missingField)
        #expect(error?.reason == "Missing 'component' node from finding!")
        #expect(error?.position == .jsonPath("$.findings[0]"))
    }
}
