import BulwarkCore
@testable import BulwarkParsers
import Foundation
import Testing

@Suite("Nuclei Scan parser")
struct NucleiParserTests {
    private let parser = NucleiParser()

    @Test("JSON Lines and the same results as a JSON array give the same findings")
    func bothShapes() throws {
        // Given the same results in both shapes
        let lines = try parser.parse(try Fixture.input("nuclei/many_vulns.jsonl")).findings
        let array = try parser.parse(try Fixture.input("nuclei/many_vulns.json")).findings

        // Then
        #expect(lines == array)
        #expect(lines.count == 4)
    }

    @Test("repeats of one template, matcher and host merge into distinct endpoints")
    func merging() throws {
        // Given three tech-detect results on one host, two of them on the same URL
        let finding = try #require(try parser.parse(try Fixture.input("nuclei/many_vulns.jsonl")).findings.first)

        // Then one finding counts three occurrences and two endpoints; a comma tag string is split
        #expect(finding.numberOfOccurrences == 3)
        #expect(finding.endpoints == [
            EndpointURL(protocol: "http", host: "10.0.0.5", port: 8080),
            EndpointURL(protocol: "http", host: "10.0.0.5", port: 8080, path: "admin"),
        ])
        #expect(finding.componentName == "nginx")
    }

    @Test("a matched host without a scheme and an IPv6 host:port become endpoints without protocol")
    func schemelessEndpoints() throws {
        let findings = try parser.parse(try Fixture.input("nuclei/many_vulns.jsonl")).findings
        #expect(findings[1].endpoints == [EndpointURL(host: "2001:db8::7", port: 8443)])
        #expect(findings[2].endpoints == [EndpointURL(host: "ssh.example.org", port: 22)])
        // A non-numeric cwe-id is ignored; an unknown severity becomes Low.
        #expect(findings[2].cwe == 0 && findings[2].severity == .low)
        #expect(NucleiReport.splitTags("network, mysql,db") == ["network", "mysql", "db"])
    }

    @Test("classification, request/response and curl command of one result")
    func oneResult() throws {
        let finding = try #require(try parser.parse(try Fixture.input("nuclei/one_vuln.json")).findings.first)
        #expect(finding.cwe == 200)
        #expect(finding.cvssV3 == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N")
        #expect(finding.cvssV3Score == 5.3)
        #expect(finding.description.hasSuffix("\n**Results:**\n[core]\nrepositoryformatversion = 0"))
        #expect(finding.requestResponsePairs.count == 1)
        #expect(finding.stepsToReproduce?.hasPrefix("curl command to reproduce the request:\n`curl") == true)
        #expect(finding.date == CalendarDate(year: 2024, month: 3, day: 11))
    }

    @Test("a result without info.severity names its position")
    func missingSeverity() throws {
        let input = try Fixture.input("nuclei/missing_severity.json")
        let error = parseError { try parser.parse(input) }
        #expect(error?.code == .missingField)
        #expect(error?.position == .jsonPath("$[0]"))
    }
}
