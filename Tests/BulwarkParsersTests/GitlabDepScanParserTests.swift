import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("GitLab Dependency Scanning Report parser")
struct GitlabDepScanParserTests {
    private let parser = GitlabDepScanParser()

    @Test("a CVE identifier prefixes the title and is the vulnerability id")
    func cveTitle() throws {
        // Given a lodash vulnerability with a CVE, a CWE and a Gemnasium identifier
        let finding = try #require(try parser.parse(try Fixture.input("gitlab_dep_scan/one_vuln.json")).findings.first)

        // Then DefectDojo's fields follow
        #expect(finding.title == "CVE-2020-8203: Prototype Pollution in lodash")
        #expect(finding.vulnerabilityIDs == ["CVE-2020-8203"])
        #expect(finding.cwe == 1321)
        #expect(finding.componentName == "lodash")
        #expect(finding.componentVersion == "4.17.15")
    }

    @Test("several CWEs: the first is primary, all are kept")
    func severalCWEs() throws {
        // Given CWE 400 as a number and CWE 770 as text
        let finding = try #require(try parser.parse(try Fixture.input("gitlab_dep_scan/many_vulns.json")).findings.first)

        // Then 400 is the primary CWE and both are listed
        #expect(finding.cwe == 400)
        #expect(finding.cwes == [400, 770])
        #expect(finding.title == "CVE-2023-39325: Denial of service in golang.org/x/net")
    }

    @Test("a repeated id replaces the earlier vulnerability in its place")
    func repeatedID() throws {
        // Given four vulnerabilities, the fourth repeating the second one's id
        let result = try parser.parse(try Fixture.input("gitlab_dep_scan/many_vulns.json"))

        // Then three findings remain and the second is the later report
        #expect(result.findings.map(\.uniqueIDFromTool) == ["d1", "d2", "d3"])
        #expect(result.findings[1].title == "Vulnerable package, rescanned")
        #expect(result.findings[1].componentName == "flask")
    }

    @Test("a CWE that is not a number names the identifier")
    func badCWE() throws {
        // Given a CWE identifier valued "CWE-79"
        let input = try Fixture.input("gitlab_dep_scan/bad_cwe.json")

        // When parsing it
        let error = parseError { try parser.parse(input) }

        // Then the error points at that value
        #expect(error?.code == .invalidValue)
        #expect(error?.position == .jsonPath("$.vulnerabilities[0].identifiers[0].value"))
    }
}
