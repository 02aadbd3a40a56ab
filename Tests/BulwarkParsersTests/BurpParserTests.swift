import BulwarkCore
@testable import BulwarkParsers
import Foundation
import Testing

@Suite("Burp Scan parser")
struct BurpParserTests {
    private let parser = BurpParser()

    @Test("issues of the same type merge into the first, in DefectDojo's order")
    func mergesIssueTypes() throws {
        // Given a report with two SQL injection issues on different hosts
        let result = try parser.parse(try Fixture.input("burp/many_vulns.xml"))

        // When the findings are read
        let titles = result.findings.map(\.title)
        let sqlInjection = try #require(result.findings.first)

        // Then one finding per type remains, the later issue's endpoint, pairs, param and
        // description added to the first
        #expect(titles == ["SQL injection", "Cross-site scripting (reflected) – «café»", "Strict transport security not enforced"])
        #expect(sqlInjection.uniqueIDFromTool == "111")
        #expect(sqlInjection.endpoints == [
            EndpointURL(protocol: "https", host: "shop.example.test", port: 443),
            EndpointURL(protocol: "http", host: "api.example.test", port: 80),
        ])
        #expect(sqlInjection.param == "id parameter, user parameter")
        #expect(sqlInjection.description.hasPrefix("URL: http://api.example.test:80/v1/items/a%20b\n\n"))
        #expect(sqlInjection.description.contains("URL: https://shop.example.test/login\n\n"))
        #expect(sqlInjection.cwe == 89 && sqlInjection.cwes == [89, 94])
        #expect(sqlInjection.scannerConfidence == 1)
        #expect(sqlInjection.dynamicFinding && !sqlInjection.staticFinding)
    }

    @Test("base64 requests and responses are decoded; a non-UTF-8 body keeps replacement characters")
    func requestResponse() throws {
        // Given the SQL injection issue, whose response holds UTF-8 text
        let finding = try #require(try parser.parse(try Fixture.input("burp/many_vulns.xml")).findings.first)

        // Then the pair is decoded text
        let pair = try #require(finding.requestResponsePairs.first)
        #expect(pair.request.hasPrefix("POST /login HTTP/1.1\r\nHost: shop.example.test"))
        #expect(pair.response.hasSuffix("near été"))
    }

    @Test("collaborator interactions are described and their pairs kept; plain (base64=false) messages stay as written")
    func collaborator() throws {
        // Given the XSS issue with a DNS and an HTTP collaborator event
        let result = try parser.parse(try Fixture.input("burp/many_vulns.xml"))
        let xss = try #require(result.findings.dropFirst().first)

        // Then the detail names both interactions, and the HTTP event's pair follows the issue's
        #expect(xss.description.contains("DNS lookup of type A for the domain name abc.collaborator.example.test"))
        #expect(xss.description.contains("received an HTTP request at 2024-Jan-08 10:00:02.000 UTC originating from 198.51.100.8"))
        #expect(xss.requestResponsePairs.count == 2)
        #expect(xss.requestResponsePairs.first?.request == "GET /search?q=%3Cscript%3E HTTP/1.1")
        #expect(xss.requestResponsePairs.first?.response == "")
        #expect(xss.endpoints == [EndpointURL(protocol: "http", host: "2001:db8::1", port: 8080)])
    }

    @Test("the parameter is the text between the first [ and the last ] of the location's line", arguments: [
        ("/a [q URL parameter]", "q URL parameter"),
        ("/a [x] and [y]", "x] and [y"),
        ("/a [unclosed", nil),
        ("/a", nil),
        ("/a [first\n] [second]", "second"),
    ] as [(String, String?)])
    func parameter(location: String, expected: String?) {
        #expect(BurpIssueMapping.parameter(in: location) == expected)
    }

    @Test("base64 decoding skips foreign characters and tolerates missing padding")
    func base64() {
        #expect(BurpBase64.decodedText("R0VU\nIC8=") == "GET /")
        #expect(BurpBase64.decodedText("R0VUIC8") == "GET /")
        #expect(BurpBase64.decodedText(nil) == "")
        #expect(BurpBase64.decodedText("A") == "A")
    }

    @Test("hostile and broken reports give a ParseError", arguments: [
        ("burp/entity_bomb.xml", ParseError.Code.unsupportedFormat),
        ("burp/external_entity.xml", .unsupportedFormat),
        ("burp/wrong_root.xml", .unsupportedFormat),
        ("burp/truncated.xml", .malformedInput),
        ("burp/bad_severity.xml", .unsupportedSeverity),
    ])
    func refused(fixture: String, code: ParseError.Code) throws {
        // Given a report that must not parse
        let input = try Fixture.input(fixture)

        // When parsing it, then the error names the problem and the scan type
        let error = parseError { try parser.parse(input) }
        #expect(error?.code == code)
        #expect(error?.scanType == "Burp Scan")
    }

    @Test("an XML declaration without a version is refused instead of crashing FoundationXML", arguments: [
        "<?xml?>\n<issues/>", "<?xml version?><issues/>", "<?xml version=\"\"?><issues/>", "<?xml encoding=\"UTF-8\"?><issues/>",
    ])
    func declarationWithoutVersion(text: String) {
        let error = parseError { try parser.parse(ScanInput(data: Data(text.utf8))) }
        #expect(error?.code == .malformedInput)
    }
}
