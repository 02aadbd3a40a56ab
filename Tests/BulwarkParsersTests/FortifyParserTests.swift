import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

/// What the Fortify goldens do not show well: v1/v2 lines, audit.xml, archive safety.
@Suite("Fortify Scan parser")
struct FortifyParserTests {
    private let parser = FortifyParser()

    @Test("v1 uses the snippet's first line, v2 the line Fortify reports")
    func lines() throws {
        // Given an FPR whose snippet starts three lines above the reported line
        let input = try Fixture.input("fortify/one_vuln.fpr")

        // When parsing it as both scan types
        let v1 = try #require(try parser.parse(input, as: "Fortify Scan").findings.first)
        let v2 = try #require(try parser.parse(input, as: "Fortify Scan v2").findings.first)

        // Then only line and title differ
        #expect(v1.line == 9)
        #expect(v2.line == 12)
        #expect(v1.title.contains("Login.java: 9 ("))
        #expect(v2.title.contains("Login.java: 12 ("))
        #expect(v1.description == v2.description)
        #expect(v2.description.contains("**SourceLocationLine:** 12\n"))
    }

    @Test("issues listed in audit.xml are inactive false positives with their comments as impact")
    func audited() throws {
        // Given an FPR with one audited issue
        let findings = try parser.parse(try Fixture.input("fortify/many_vulns.fpr")).findings
        let audited = try #require(findings.first { $0.uniqueIDFromTool == "BBBB0000000000000000000000000002" })

        // Then it is a false positive, the others stay active
        #expect(!audited.active && audited.falsePositive)
        #expect(audited.impact?.hasPrefix("Threaded Comments:\n2024-05-01T10:00:00.000+02:00 - (ana): Only used on localhost.\n") == true)
        #expect(findings.filter(\.active).count == 3)
        #expect(audited.severity == .low)
        #expect(audited.cwe == 614)
    }

    @Test("an FPR whose audit.fvdl is a zip bomb is refused before it is extracted")
    func bomb() throws {
        // Given an archive with a highly compressed audit.fvdl
        let data = try ArchiveReaderTests.zip([("audit.fvdl", Data(count: 8 * 1024 * 1024), true)])

        // When parsing it
        let error = parseError { try parser.parse(ScanInput(data: data, filename: "scan.fpr")) }

        // Then the archive limit answers, naming the entry
        #expect(error?.code == .limitExceeded)
        #expect(error?.position == .archiveEntry("audit.fvdl"))
    }

    @Test("a 24.2 Scan issue's host and port become the endpoint")
    func scanEndpoint() throws {
        // Given the 24.2 XML with a host and port
        let finding = try #require(try parser.parse(try Fixture.input("fortify/scan_24_2.xml")).findings.first)

        // Then the endpoint and the raw response are kept
        #expect(finding.endpoints == [EndpointURL(host: "shop.example.com", port: 8443)])
        #expect(finding.requestResponsePairs.first?.response.hasPrefix("HTTP/1.1 200 OK") == true)
        #expect(finding.severity == .high)
    }
}
