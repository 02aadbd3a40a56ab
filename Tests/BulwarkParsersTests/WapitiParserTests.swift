import BulwarkCore
@testable import BulwarkParsers
import Foundation
import Testing

@Suite("Wapiti Scan")
struct WapitiParserTests {
    private let parser = WapitiParser()

    @Test("entries with the same description, title and severity merge; the endpoint is the scan target")
    func merging() throws {
        // Given three "CSP is not set" entries, two of level 1 and one of level 2
        let findings = try parser.parse(try Fixture.input("wapiti/many_vulns.xml")).findings

        // Then the two level-1 entries are one finding seen twice
        #expect(findings.count == 5)
        #expect(findings[0].numberOfOccurrences == 2)
        #expect(findings[0].requestResponsePairs.map(\.request) == [
            "GET /app/ HTTP/1.1\nHost: café.example.test:8443", "GET /app/login HTTP/1.1\nHost: café.example.test:8443",
        ])
        let target = try EndpointURL.parse("https://café.example.test:8443/app/?lang=fr#top")
        #expect(findings[0].endpoints == [target, target])
        #expect(findings[1].severity == .medium && findings[1].numberOfOccurrences == 1)
    }

    @Test("only reference titles starting with CWE give CWEs; the first is the finding's")
    func cwes() throws {
        let findings = try parser.parse(try Fixture.input("wapiti/many_vulns.xml")).findings

        #expect(findings[0].cwe == 693 && findings[0].cwes == [693])
        #expect(findings[2].cwe == 798 && findings[2].cwes == [798, 521])
        #expect(findings[2].references?.hasSuffix("* [Reference without a link](None)") == true)
        #expect(WapitiParser.firstCWE(in: "CWE-79: x, CWE-80") == 79)
        #expect(WapitiParser.firstCWE(in: "cwe-: none, Cwe-12") == 12)
        #expect(WapitiParser.firstCWE(in: "CWE-99999999999999999999") == nil)
    }

    @Test("levels outside 0…4 are Info")
    func levels() throws {
        let findings = try parser.parse(try Fixture.input("wapiti/many_vulns.xml")).findings
        #expect(findings.map(\.severity) == [.low, .medium, .critical, .info, .info])
    }

    @Test("an entry without info is an error at its line")
    func missingInfo() throws {
        let error = try #require(parseError { try parser.parse(try Fixture.input("wapiti/missing_info.xml")) })
        #expect(error.code == .missingField)
        #expect(error.position == .text(line: 7, column: 1))
    }
}
