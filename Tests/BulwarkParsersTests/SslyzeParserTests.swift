import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("SSLyze parsers")
struct SslyzeParserTests {
    private let parser = SslyzeParser()

    @Test("SSLyze 5 JSON: problems per server in order, host:port endpoints, unreachable servers skipped")
    func sslyze5() throws {
        // Given two reachable servers and one without a scan result
        let findings = try parser.parse(try Fixture.input("sslyze/many_vulns.json"), as: "SSLyze Scan (JSON)").findings

        // Then
        #expect(findings.count == 10)
        #expect(findings[0].title == "Heartbleed (shop.example.org:443)")
        #expect(findings[0].vulnerabilityIDs == ["CVE-2014-0160"])
        #expect(findings[1].vulnerabilityIDs == ["CVE-2014-0224"])
        #expect(findings.allSatisfy { $0.severity == .medium && $0.staticFinding && !$0.dynamicFinding })
        #expect(findings.last?.endpoints == [EndpointURL(host: "mail.example.org", port: 8443)])
        // The cut-short entry of the BSI list does not cover the full suite name.
        #expect(findings[4].description.hasSuffix("\n - TLS_DHE_DSS_WITH_AES_256_CBC_SHA256"))
        // Heartbleed of the second server is NOT_SCHEDULED and not reported.
        #expect(!findings.contains { $0.title == "Heartbleed (mail.example.org:8443)" })
    }

    @Test("SSLyze 3 JSON: inline results, both renegotiation flags, server without host name")
    func sslyze3() throws {
        let findings = try parser.parse(try Fixture.input("sslyze/sslyze3_layout.json"), as: "SSLyze Scan (JSON)").findings
        #expect(findings.map(\.title) == [
            "Heartbleed (old.example.com:443)",
            "Session renegotiation (old.example.com:443)",
            "SSL 2.0 not recommended (old.example.com:443)",
            "Unrecommended cipher suites for TLS 1.2 (old.example.com:443)",
            "Problems in certificate deployments (old.example.com:443)",
            "TLS 1.0 not recommended (unknown host)",
        ])
        #expect(findings[1].description == """
            old.example.com:443 has problems with session renegotiation:
             - Client renegotiation is accepted
             - Secure session renegotiation is not supported
            """)
        #expect(findings[4].description.hasSuffix("\n - certificate signature failure for trust store Java"))
        #expect(findings[5].endpoints.isEmpty)
    }

    @Test("XML: weak suites per protocol, repeats across ports reported once")
    func xml() throws {
        let findings = try parser.parse(try Fixture.input("sslyze/many_vulns.xml"), as: "Sslyze Scan").findings
        #expect(findings.count == 6)
        // The preferred suite comes first, then the accepted ones not yet listed.
        #expect(findings[3].description == "**Protocol** : tlsv1_1\n\n**Weak Ciphers** : TLS_RSA_WITH_AES_256_CBC_SHA,\n\nTLS_RSA_WITH_3DES_EDE_CBC_SHA")
        #expect(findings[3].endpoints == [EndpointURL(protocol: "https", host: "shop.example.org", port: 443)])
        #expect(findings[5].endpoints == [EndpointURL(protocol: "smtp", host: "smtp.example.org", port: 465)])
        #expect(findings.allSatisfy { $0.severity == .info && $0.dynamicFinding })
    }

    @Test("either scan type reads either format, chosen by file name")
    func eitherScanType() throws {
        let json = try Fixture.data("sslyze/one_vuln.json")
        let viaXMLType = try parser.parse(ScanInput(data: json, filename: "scan.json"), as: "Sslyze Scan").findings
        #expect(viaXMLType.first?.title == "TLS 1.0 not recommended (legacy.example.org:443)")
        let xml = try Fixture.data("sslyze/one_vuln.xml")
        let viaJSONType = try parser.parse(ScanInput(data: xml), as: "SSLyze Scan (JSON)").findings
        #expect(viaJSONType.first?.title == "tlsv1 | Weak Ciphers | legacy.example.org")
    }

    @Test("the two scan types dedupe differently")
    func dedupe() {
        let descriptors = SslyzeParser.descriptors
        #expect(descriptors.map(\.scanType) == ["SSLyze Scan (JSON)", "Sslyze Scan"])
        #expect(descriptors[0].dedupe == .hashCode(fields: [.title, .description]))
        #expect(descriptors[1].dedupe == .legacy)
    }

    @Test("XML errors name the element's line")
    func xmlError() {
        let error = parseError { try parser.parse(try Fixture.input("sslyze/missing_host.xml"), as: "Sslyze Scan") }
        #expect(error?.code == .missingField)
        #expect(error?.position == .text(line: 4, column: 1))
    }
}
