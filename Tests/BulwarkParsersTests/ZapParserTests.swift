import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

/// Expected texts and hash codes were produced by DefectDojo's own ZAP parser (html2text,
/// hyperlink) on these fixtures.
@Suite("ZAP Scan parser")
struct ZapParserTests {
    private let parser = ZapParser()

    @Test("finding counts", arguments: [
        ("zap/no_vuln.xml", 0), ("zap/one_vuln.xml", 1), ("zap/many_vulns.xml", 3), ("zap/with_req_resp.xml", 1),
    ])
    func counts(fixture: String, expected: Int) throws {
        // Given a ZAP report on disk
        let input = try Fixture.input(fixture)

        // When parsing it
        let result = try parser.parse(input)

        // Then every alertitem becomes one finding
        #expect(result.findings.count == expected)
        #expect(result.toolType == nil)
    }

    @Test("one alert maps to DefectDojo's fields")
    func oneVulnFields() throws {
        // Given a report with one CSP alert and two instances
        let result = try parser.parse(try Fixture.input("zap/one_vuln.xml"))
        let finding = try #require(result.findings.first)

        // Then the fields match DefectDojo's mapping
        #expect(finding.title == "Content Security Policy (CSP) Header Not Set")
        #expect(finding.severity == .medium)
        #expect(finding.cwe == 693)
        #expect(finding.vulnIDFromTool == "10038")
        #expect(finding.scannerConfidence == 4)
        #expect(finding.dynamicFinding && !finding.staticFinding && finding.active)
        #expect(finding.description == """
            Content Security Policy (CSP) is an added layer of security that helps to
            detect and mitigate certain types of attacks, including Cross Site Scripting
            (XSS) and data injection attacks.


            """)
        #expect(finding.mitigation == "Ensure that your web server is configured to set the Content-Security-Policy\nheader.\n\n")
        #expect(finding.references == """
            https://developer.mozilla.org/en-US/docs/Web/HTTP/CSP

            https://cheatsheetseries.owasp.org/cheatsheets/Content_Security_Policy_Cheat_Sheet.html


            """)
        // Endpoints drop query and fragment; the default port is filled in.
        #expect(finding.endpoints == [
            EndpointURL(protocol: "https", host: "shop.example.com", port: 443, path: "cart"),
            EndpointURL(protocol: "https", host: "shop.example.com", port: 8443),
        ])
        #expect(finding.requestResponsePairs.first?.request
            == "Method:           GET \nParam:             \nAttack:            \nEndpointQuery:    item=7 \nEndpointFragment: top")
        #expect(finding.requestResponsePairs.last?.request.contains("Attack:           None") == true)
        #expect(finding.requestResponsePairs.last?.response == "Set-Cookie: session")
        #expect(HashCode.compute(for: finding, configuration: ZapParser.descriptors[0].dedupe)
            == "0087498b25379ae98a9fc37da082d06254c90b1da34f12c5c34b493d781003b0")
    }

    @Test("alerts across sites, lists in descriptions, CWE -1 and duplicate instances")
    func manyVulnsFields() throws {
        // Given a report with two sites
        let findings = try parser.parse(try Fixture.input("zap/many_vulns.xml")).findings
        let configuration = ZapParser.descriptors[0].dedupe

        // Then order, severities and CWEs follow the report
        #expect(findings.map(\.severity) == [.low, .info, .high])
        #expect(findings.map(\.cwe) == [693, 0, 89])
        // Every instance is an endpoint, duplicates included (the importer de-duplicates).
        #expect(findings[0].endpoints.map(\.canonicalString)
            == ["http://intranet.local", "http://intranet.local/app.js", "http://intranet.local"])
        #expect(findings[2].description == "SQL injection may be possible.\n\n  * Parameter: id\n  * Attack: 1' OR '1'='1\n\n")
        #expect(findings[0].references == "\n\n")
        // CWE -1 gives cwe 0, so the hash falls back to the legacy recipe.
        #expect(HashCode.compute(for: findings[1], configuration: configuration)
            == "a5b1a186460e8f1cd809684ce45f2d7331f9c1b876529da6d197bdfd54a34672")
        #expect(HashCode.compute(for: findings[2], configuration: configuration)
            == "4bdd0b7a4e91362792bd054b880bdad6784a27b2d040d39ee8b5bb78bce6082b")
    }

    @Test("requests and responses come from the header and body fields when present")
    func requestResponse() throws {
        let finding = try #require(try parser.parse(try Fixture.input("zap/with_req_resp.xml")).findings.first)
        let pair = try #require(finding.requestResponsePairs.first)
        #expect(pair.request == "POST https://login.example.com/api/session HTTP/1.1\nhost: login.example.com\n{\"user\":\"alice\"}")
        #expect(pair.response == "HTTP/1.1 200 OK\n{\"ok\":true}")
        #expect(finding.severity == .info)
        #expect(finding.scannerConfidence == nil)
    }

    @Test("in-memory and on-disk input give the same findings")
    func dataInput() throws {
        let fromData = try parser.parse(ScanInput(data: try Fixture.data("zap/many_vulns.xml"), filename: "report.xml"))
        let fromFile = try parser.parse(try Fixture.input("zap/many_vulns.xml"))
        #expect(fromData == fromFile)
    }

    @Test("a truncated report names the line")
    func truncated() throws {
        let error = try #require(parseError { try parser.parse(try Fixture.input("zap/truncated.xml")) })
        #expect(error.code == .malformedInput)
        #expect(error.scanType == "ZAP Scan")
        guard case .text(let line, _)? = error.position else {
            Issue.record("expected a line position, got \(String(describing: error.position))")
            return
        }
        #expect(line > 1)
        #expect(error.message.contains("line"))
    }

    @Test("an XML report of another tool is refused")
    func wrongRoot() throws {
        let error = try #require(parseError { try parser.parse(try Fixture.input("zap/wrong_root.xml")) })
        #expect(error.code == .unsupportedFormat)
        #expect(error.reason.contains("<NessusClientData_v2>"))
        #expect(error.position == .text(line: 2, column: 1))
    }

    @Test("a risk code outside 0-3 is an unsupported severity")
    func badRiskCode() throws {
        let error = try #require(parseError { try parser.parse(try Fixture.input("zap/bad_riskcode.xml")) })
        #expect(error.code == .unsupportedSeverity)
        #expect(error.reason.contains("riskcode 7"))
        #expect(error.position == .text(line: 5, column: 1))
    }

    @Test("JSON, binary garbage and empty files are refused", arguments: [
        Data("{\"findings\": []}".utf8), Data([0x00, 0xFF, 0x13, 0x37, 0x80]), Data(), Data("  \n".utf8),
    ])
    func notXML(data: Data) {
        let error = parseError { try parser.parse(ScanInput(data: data)) }
        #expect(error?.code == (data.allSatisfy { $0 == 0x20 || $0 == 0x0A } ? .empty : .malformedInput))
    }

    @Test("invalid UTF-8 is refused before it reaches the XML parser (FoundationXML traps on it in comments)")
    func invalidUTF8() {
        // Given a report whose comment holds a byte that is not UTF-8
        var bytes = Array("<?xml version=\"1.0\"?>\n<OWASPZAPReport>\n<!-- bad ".utf8)
        bytes.append(0xDA)
        bytes += Array(" --></OWASPZAPReport>".utf8)

        // When parsing
        let error = parseError { try parser.parse(ScanInput(data: Data(bytes))) }

        // Then it is a ParseError naming the line, not a crash
        #expect(error?.code == .malformedInput)
        #expect(error?.position == .text(line: 3, column: 10))
    }

    @Test("a report declaring an external entity is refused before parsing, so nothing is read from disk")
    func externalEntities() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE OWASPZAPReport [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
            <OWASPZAPReport><site><alerts><alertitem>
            <alert>before &secret; after</alert><riskcode>1</riskcode><desc>d</desc>
            </alertitem></alerts></site></OWASPZAPReport>
            """
        let error = parseError { try parser.parse(ScanInput(data: Data(xml.utf8))) }
        #expect(error?.code == .unsupportedFormat)
        #expect(error?.position == .text(line: 2, column: 27))
    }

    @Test("a billion-laughs document is refused")
    func entityExpansion() {
        var entities = "<!ENTITY l0 \"lol\">"
        for level in 1...9 {
            entities += "<!ENTITY l\(level) \"" + String(repeating: "&l\(level - 1);", count: 10) + "\">"
        }
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE r [\(entities)]><OWASPZAPReport><site><alerts><alertitem><alert>&l9;</alert><riskcode>1</riskcode></alertitem></alerts></site></OWASPZAPReport>"
        #expect(parseError { try parser.parse(ScanInput(data: Data(xml.utf8))) }?.code == .unsupportedFormat)
    }
}
