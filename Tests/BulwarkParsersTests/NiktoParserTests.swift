import BulwarkCore
@testable import BulwarkParsers
import Foundation
import Testing

@Suite("Nikto Scan parser")
struct NiktoParserTests {
    private let parser = NiktoParser()

    @Test("the XML title is the description up to its first sentence end", arguments: [
        ("Allowed HTTP Methods: GET, TRACE e.g. TRACE is risky? It echoes requests.", "Allowed HTTP Methods: GET, TRACE e.g. TRACE is risky?"),
        ("Ask Mr. Smith first. Then retry.", "Ask Mr. Smith first."),
        ("/x/: Interesting... found by hand.", "/x/: Interesting..."),
        ("No sentence end here", "No sentence end here"),
        ("Version 1.2 is old.\tUpgrade.", "Version 1.2 is old."),
    ])
    func firstSentence(text: String, title: String) {
        #expect(NiktoXMLReport.firstSentence(of: text) == title)
    }

    @Test("an XML title is cut to 900 characters")
    func longTitle() {
        // Given a description without a sentence end, longer than 900 characters (non-ASCII)
        let text = String(repeating: "é", count: 1_000)

        // Then the title keeps 900 of them
        #expect(NiktoXMLReport.firstSentence(of: text).unicodeScalars.count == 900)
    }

    @Test("an unusable iplink leaves the finding without endpoint and warns with the line")
    func unusableIPLink() throws {
        // Given the many_vulns report, whose favicon item has the iplink "http://:/favicon.ico"
        let result = try parser.parse(try Fixture.input("nikto/many_vulns.xml"))

        // Then
        let favicon = try #require(result.findings.first { $0.title.hasPrefix("favicon.ico") })
        #expect(favicon.endpoints.isEmpty)
        #expect(favicon.severity == .medium)
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.hasPrefix("line 30:") == true)
    }

    @Test("JSON findings with the same title are merged and lose their ids")
    func jsonMerge() throws {
        // Given two OSVDB-linked vulnerabilities with the same message
        let findings = try parser.parse(try Fixture.input("nikto/many_vulns.json")).findings

        // When looking at the merged finding
        let merged = try #require(findings.first)

        // Then both endpoints are kept, the count is 2 and the ids are cleared
        #expect(merged.numberOfOccurrences == 2)
        #expect(merged.endpoints.map(\.path) == ["backup/", "admin/"])
        #expect(merged.uniqueIDFromTool == nil && merged.vulnIDFromTool == nil)
        #expect(merged.description.contains("\n-----\n**id:** `001235`"))
    }

    @Test("a single vulnerability keeps its OSVDB id")
    func osvdbID() throws {
        // Given a report with one OSVDB-linked vulnerability
        let json = #"{"host": "h.example.com", "port": "443", "vulnerabilities": [{"id": "1", "OSVDB": "77", "url": "/a", "msg": "m"}]}"#

        // When
        let finding = try #require(try parser.parse(ScanInput(data: Data(json.utf8), filename: "n.json")).findings.first)

        // Then
        #expect(finding.uniqueIDFromTool == "OSVDB-77")
        #expect(finding.severity == .medium)
        #expect(finding.endpoints == [EndpointURL(host: "h.example.com", port: 443, path: "a")])
    }

    @Test("the file name chooses the reader; without one the first byte does")
    func formatChoice() throws {
        let xml = try Fixture.data("nikto/one_vuln.xml")
        // An XML report named .json is read as JSON and fails
        #expect(parseError { try parser.parse(ScanInput(data: xml, filename: "report.json")) }?.code == .malformedInput)
        // Without a name it is recognised as XML
        #expect(try parser.parse(ScanInput(data: xml)).findings.count == 1)
        let json = try Fixture.data("nikto/one_vuln.json")
        #expect(try parser.parse(ScanInput(data: json, filename: "NIKTO.JSON")).findings.count == 1)
    }

    @Test("a JSON error names the member's path")
    func errorPosition() throws {
        let error = parseError { try parser.parse(try Fixture.input("nikto/missing_msg.json")) }
        #expect(error?.position == .jsonPath("$.vulnerabilities[0].msg"))
        #expect(error?.scanType == "Nikto Scan")
    }
}
