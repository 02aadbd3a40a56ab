import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("Acunetix Scan parser")
struct AcunetixParserTests {
    private let parser = AcunetixParser()

    @Test("XML items with the same title, impact and mitigation merge; endpoints take StartURL and Affects")
    func xmlMerge() throws {
        // Given an XML report whose first two items share title, impact and recommendation
        let result = try parser.parse(try Fixture.input("acunetix/many_vulns.xml"))
        let slow = try #require(result.findings.first)

        // Then they are one finding with both endpoints, both requests and two occurrences
        #expect(result.findings.count == 5)
        #expect(slow.numberOfOccurrences == 2)
        #expect(slow.endpoints.map(\.path) == [nil, "api/v%C3%A9/items"])
        #expect(slow.endpoints.first?.host == "portal.example.test")
        #expect(slow.endpoints.first?.port == 8443)
        #expect(slow.endpoints.first?.protocol == nil)
        #expect(slow.requestResponsePairs.count == 2)
        #expect(slow.dynamicFinding && !slow.staticFinding)
        #expect(slow.description.contains("\n-----\n\n**Details:**\nSecond host: _7000 ms_"))
        #expect(slow.description.contains("**TechnicalDetails:**\n\nProbe timings"))
        #expect(slow.date == CalendarDate(year: 2020, month: 2, day: 27))
        #expect(slow.cvssV3 == "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L")
    }

    @Test("XML severities, false positives, dates read day first and IPv6 start URLs")
    func xmlFields() throws {
        // Given the same report
        let findings = try parser.parse(try Fixture.input("acunetix/many_vulns.xml")).findings

        // Then DefectDojo's readings apply: any IsFalsePositive text is true, unknown severity is Critical
        #expect(findings.map(\.severity) == [.medium, .low, .info, .critical, .high])
        #expect(findings[1].falsePositive)
        #expect(!findings[2].falsePositive)
        #expect(findings[4].endpoints == [EndpointURL(protocol: "http", host: "2001:db8::5", port: 80, path: "files/")])
        #expect(findings[4].date == CalendarDate(year: 2020, month: 2, day: 28))
        let one = try #require(try parser.parse(try Fixture.input("acunetix/one_vuln.xml")).findings.first)
        #expect(one.date == CalendarDate(year: 2020, month: 3, day: 5))
        #expect(one.references == " * [OWASP CSRF](https://owasp.example.test/csrf)\n * [https://ref.example.test/csrf](https://ref.example.test/csrf)")
        #expect(one.endpoints == [EndpointURL(protocol: "https", host: "shop.example.test", port: 443, path: "cart/add")])
    }

    @Test("Acunetix 360 JSON: states, merges by name, request placeholders")
    func json() throws {
        // Given an Acunetix 360 export
        let findings = try parser.parse(try Fixture.input("acunetix/acunetix360_many_vulns.json")).findings

        // Then the two SQL injections are one finding with two endpoints and pairs
        #expect(findings.map(\.title) == ["Boolean Based SQL Injection", "Version Disclosure (nginx)", "Missing Content-Security-Policy Header"])
        let sql = findings[0]
        #expect(sql.falsePositive && !sql.active)
        #expect(sql.cwe == 89 && sql.cwes == [89, 564])
        #expect(sql.endpoints.count == 2)
        #expect(sql.requestResponsePairs.first?.response == "Response Not Found")
        #expect(findings[1].riskAccepted && !findings[1].active)
        #expect(findings[1].requestResponsePairs.first?.request == "Request Not Found")
        #expect(findings[1].references == "https://online.acunetix360.com/issues/detail/id-2\n")
        #expect(findings[1].endpoints == [EndpointURL(protocol: "https", host: "2001:db8::7", port: 8443)])
        #expect(findings[2].severity == .info)
        #expect(findings[0].date == CalendarDate(year: 2022, month: 1, day: 12))
    }

    @Test("the file name picks the reader; without one the first byte does")
    func sniffing() throws {
        // Given the XML report as bytes without a name
        let data = try Fixture.data("acunetix/one_vuln.xml")

        // When parsing it, then it is read as XML
        #expect(try parser.parse(ScanInput(data: data)).findings.count == 1)
        // and a JSON name on XML bytes is a JSON error
        #expect(parseError { try parser.parse(ScanInput(data: data, filename: "report.json")) }?.code == .malformedInput)
    }

    @Test("hostile and broken reports give a ParseError", arguments: [
        ("acunetix/entity_bomb.xml", ParseError.Code.unsupportedFormat),
        ("acunetix/external_entity.xml", .unsupportedFormat),
        ("acunetix/wrong_root.xml", .unsupportedFormat),
        ("acunetix/truncated.xml", .malformedInput),
        ("acunetix/acunetix360_truncated.json", .malformedInput),
        ("acunetix/acunetix360_not_object.json", .unsupportedFormat),
    ])
    func refused(fixture: String, code: ParseError.Code) throws {
        let input = try Fixture.input(fixture)
        let error = parseError { try parser.parse(input) }
        #expect(error?.code == code)
        #expect(error?.scanType == "Acunetix Scan")
    }
}
