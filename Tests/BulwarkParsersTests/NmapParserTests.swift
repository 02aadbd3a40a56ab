import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("Nmap Scan parser")
struct NmapParserTests {
    private let parser = NmapParser()

    @Test("vulners entries become findings before their port, merged across hosts")
    func vulners() throws {
        // Given two hosts with the vulners script and a shared CVE
        let findings = try parser.parse(try Fixture.input("nmap/many_vulns.xml")).findings

        // When looking at the shared CVE
        let cve = try #require(findings.first)

        // Then it counts both occurrences and both endpoints (PTR name preferred over the address)
        #expect(cve.title == "CVE-2019-6111")
        #expect(cve.severity == .medium)
        #expect(cve.componentName == "openssh" && cve.componentVersion == "7.4")
        #expect(cve.numberOfOccurrences == 2)
        #expect(cve.endpoints == [
            EndpointURL(protocol: "tcp", host: "10.0.0.1", port: 22), EndpointURL(protocol: "tcp", host: "gw.example.net", port: 22),
        ])
        #expect(findings.map(\.title).contains("Open port: 443/tcp") == false)
        #expect(cve.date == CalendarDate(year: 2021, month: 4, day: 29))
    }

    @Test("the description lists host, OS, service and script")
    func description() throws {
        // Given one open PostgreSQL port
        let finding = try #require(try parser.parse(try Fixture.input("nmap/one_vuln.xml")).findings.first)

        // Then
        #expect(finding.description.contains("**user:** db.internal\n**PTR:** pg01.db.internal\n"))
        #expect(finding.description.contains("**Host OS:** Linux 5.0 - 5.14\n**Accuracy:** 96%\n"))
        #expect(finding.description.contains("**Extra Info:** Ünïcode build\n**Script ID:** ssl-cert\n"))
        #expect(finding.vulnIDFromTool == "ssl-cert")
    }

    @Test("entity declarations are refused", arguments: ["nmap/entity_bomb.xml", "nmap/external_entity.xml"])
    func entities(fixture: String) throws {
        let input = try Fixture.input(fixture)
        #expect(parseError { try parser.parse(input) } != nil)
    }

    @Test("a host without an IPv4 address is a missing-field error")
    func noAddress() {
        let xml = "<nmaprun start=\"1\">\n<host><address addr=\"::1\" addrtype=\"ipv6\"/></host></nmaprun>"
        #expect(parseError { try parser.parse(ScanInput(data: Data(xml.utf8))) }?.code == .missingField)
    }
}
