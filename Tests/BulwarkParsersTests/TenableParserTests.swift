import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("Tenable Scan parser")
struct TenableParserTests {
    private let parser = TenableParser()

    @Test("items with the same severity and plugin merge: endpoints accumulate, later plugin output is appended")
    func mergesAcrossHosts() throws {
        // Given a .nessus report where two hosts share the SSH weak-algorithms plugin
        let findings = try parser.parse(try Fixture.input("tenable/many_vulns.nessus")).findings

        // When looking at the merged finding
        let ssh = try #require(findings.first { $0.title == "SSH Weak Algorithms Supported" })

        // Then both hosts are endpoints and the second host's output follows the first description
        #expect(ssh.endpoints == [
            EndpointURL(protocol: "ssh", host: "10.1.1.5", port: 22), EndpointURL(protocol: "ssh", host: "10.1.1.6", port: 22),
        ])
        #expect(ssh.description.hasSuffix("\n\nPlugin Output: 10.1.1.6:22\n```\nThe following weak server-to-client encryption algorithms are supported : arcfour\n```\n\n"))
        #expect(ssh.cwe == nil)
    }

    @Test("cvss3_base_score overrides the severity attribute; a URL host-fqdn becomes the endpoint")
    func severityAndURLHost() throws {
        // Given the one-item report (severity 2, CVSSv3 7.5) and the report with a URL fqdn
        let one = try #require(try parser.parse(try Fixture.input("tenable/one_vuln.nessus")).findings.first)
        let many = try parser.parse(try Fixture.input("tenable/many_vulns.nessus")).findings

        // Then
        #expect(one.severity == .high)
        #expect(one.cwe == 327)
        #expect(one.endpoints == [EndpointURL(protocol: "http", host: "web01.corp.example", port: 443)])
        #expect(many.last?.endpoints == [EndpointURL(protocol: "https", host: "portal.example.org", port: 8443, path: "login")])
    }

    @Test("a semicolon CSV keeps commas inside values")
    func semicolonCSV() throws {
        // Given a semicolon-separated export whose synopsis holds commas and a quoted semicolon
        let finding = try #require(try parser.parse(try Fixture.input("tenable/one_vuln.csv")).findings.first)

        // Then the values are split on semicolons only
        #expect(finding.description.hasPrefix("The certificate, issued by \"Acme, Inc.\", cannot be trusted."))
        #expect(finding.mitigation == "Purchase a certificate; replace it.")
    }

    @Test("entity declarations are refused", arguments: ["tenable/entity_bomb.nessus", "tenable/external_entity.nessus"])
    func entities(fixture: String) throws {
        // Given a report declaring entities; When parsing; Then a ParseError, no expansion, no file read
        let input = try Fixture.input(fixture)
        #expect(parseError { try parser.parse(input) } != nil)
    }

    @Test("a non-integer port names the element's line")
    func badPort() {
        // Given a ReportItem whose port is text
        let xml = "<NessusClientData_v2><Report><ReportHost name=\"h\">\n<ReportItem port=\"http\" severity=\"1\" pluginName=\"x\"/></ReportHost></Report></NessusClientData_v2>"

        // When parsing it
        let error = parseError { try parser.parse(ScanInput(data: Data(xml.utf8), filename: "r.nessus")) }

        // Then the error is an invalid value at line 2
        #expect(error?.code == .invalidValue)
        #expect(error?.position == .text(line: 2, column: 1))
    }
}
