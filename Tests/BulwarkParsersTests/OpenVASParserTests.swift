import BulwarkCore
@testable import BulwarkParsers
import Foundation
import Testing

@Suite("OpenVAS Parser")
struct OpenVASParserTests {
    private let parser = OpenVASParser()

    @Test("an XML result's hostname wins over its host for the endpoint; the title joins host and port")
    func xmlEndpoint() throws {
        // Given a result with both <host> and <hostname>
        let finding = try #require(try parser.parse(try Fixture.input("openvas/many_vulns.xml")).findings.first)

        // Then the stripped hostname is the endpoint host, and the port gives port and protocol
        #expect(finding.endpoints == [EndpointURL(protocol: "tcp", host: "www.example.org", port: 443)])
        #expect(finding.title.hasSuffix("_443/tcp"))
        #expect(finding.vulnIDFromTool == "1.3.6.1.4.1.25623.1.0.117274")
        #expect(finding.dynamicFinding && !finding.staticFinding)
    }

    @Test("identical CSV rows are kept once; a comma CVE list is split and noted")
    func csvDuplicates() throws {
        // Given two rows differing only in columns the parser does not read
        let findings = try parser.parse(try Fixture.input("openvas/many_vulns.csv")).findings

        // Then
        #expect(findings.count == 3)
        #expect(findings[0].vulnerabilityIDs == ["CVE-2011-0411", "CVE-2011-1430"])
        #expect(findings[0].description.contains("\n**All CVEs:** CVE-2011-0411,CVE-2011-1430"))
        #expect(findings[0].description.hasSuffix("\n**IP**: 203.0.113.4"))
        #expect(OpenVASCSVReport.cves(in: "x CVE-2015-1427 CVE-2021-12345678") == ["CVE-2015-1427", "CVE-2021-1234567"])
    }

    @Test("entity declarations are refused", arguments: ["openvas/entity_bomb.xml", "openvas/external_entity.xml"])
    func entities(fixture: String) throws {
        let input = try Fixture.input(fixture)
        #expect(parseError { try parser.parse(input) } != nil)
    }
}
