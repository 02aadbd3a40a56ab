import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("Mend Scan parser")
struct MendParserTests {
    private let parser = MendParser()

    @Test("a manual export alert maps to DefectDojo's fields")
    func oneAlert() throws {
        // Given one commons-text alert with a top fix
        let finding = try #require(try parser.parse(try Fixture.input("mend/one_vuln.json")).findings.first)

        // Then the fields follow DefectDojo's mapping
        #expect(finding.title == "CVE-2022-42889 | commons-text-1.9.jar")
        #expect(finding.severity == .critical)
        #expect(finding.cwe == 1035)
        #expect(finding.cvssV3Score == 9.8)
        #expect(finding.severityJustification == "CVSS v3 score: 9.8 (CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H)")
        #expect(finding.mitigation == "**Resolution** (2022-10-13 00:00:00): Upgrade to version org.apache.commons:commons-text:1.10.0\n")
        #expect(finding.filePath == "/build/libs/commons-text-1.9.jar")
        #expect(finding.stepsToReproduce == "**Locations Found**: ")
        #expect(finding.fixAvailable == true)
        #expect(finding.vulnerabilityIDs == ["CVE-2022-42889"])
    }

    @Test("platform findings: only ACTIVE ones, topFix, kev date and locations")
    func platformResponse() throws {
        // Given three platform findings, one of them ignored
        let findings = try parser.parse(try Fixture.input("mend/platform_response.json")).findings

        // Then two remain with the platform mapping
        #expect(findings.map(\.title) == ["CVE-2024-24790 | stdlib-go1.21.5", "CVE-2023-39325 | golang.org/x/net-v0.7.0"])
        #expect(findings[0].kevDate == CalendarDate(year: 2024, month: 6, day: 4))
        #expect(findings[0].stepsToReproduce == "**Locations Found**: /src/go.mod, /src/cmd/server/main.go")
        #expect(findings[0].mitigation == "**Resolution**: 2024-06-04T00:00:00Z\nUpgrade to version\ngo1.21.11\n")
        // A topFix with a null date is skipped, as DefectDojo's exception handler does.
        #expect(findings[1].mitigation == "N/A")
        #expect(findings[1].fixAvailable == false)
        #expect(findings[1].knownExploited)
        #expect(findings[1].kevDate == nil)
    }

    @Test("repeated alerts are kept once; other shapes read their library names")
    func shapes() throws {
        // Given the agent's libraries form and the platform components form
        let agent = try parser.parse(try Fixture.input("mend/agent_libraries.json")).findings
        let components = try parser.parse(try Fixture.input("mend/platform_components.json")).findings

        // Then titles use the enclosing library or component name
        #expect(agent.map(\.title) == ["CVE-2016-1000027 | spring-web-5.3.18.jar"])
        #expect(components.map(\.title) == ["CVE-2019-12384 | jackson-databind-2.9.8.jar", "CVE-None | jackson-databind-2.9.8.jar"])
        #expect(components.map(\.severity) == [.medium, .low])
    }

    @Test("an object of another shape has no findings, as in DefectDojo")
    func unknownShape() throws {
        #expect(try parser.parse(try Fixture.input("mend/unknown_shape.json")).findings.isEmpty)
    }
}
