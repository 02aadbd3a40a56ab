import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

/// Expected values and hash codes were produced by DefectDojo's Generic parser on these
/// fixtures (the importer then sanitises "Informational" to "Info").
@Suite("Generic Findings Import parser")
struct GenericParserTests {
    private let parser = GenericParser()

    @Test("finding counts", arguments: [
        ("generic/no_vuln.json", 0), ("generic/one_vuln.json", 1), ("generic/many_vulns.json", 4),
        ("generic/no_vuln.csv", 0), ("generic/one_vuln.csv", 1), ("generic/many_vulns.csv", 3),
    ])
    func counts(fixture: String, expected: Int) throws {
        // Given a Generic report (JSON or CSV, chosen by extension)
        // When parsing it
        let result = try parser.parse(try Fixture.input(fixture))

        // Then the finding count matches (CSV rows with the same severity, title and
        // description merge into one)
        #expect(result.findings.count == expected)
    }

    @Test("JSON fields, coercions, endpoints and report metadata")
    func oneVulnJSON() throws {
        // Given one richly populated finding
        let result = try parser.parse(try Fixture.input("generic/one_vuln.json"))
        let finding = try #require(result.findings.first)

        // Then report metadata names the tool
        #expect(result.toolType == "Acme Scanner")
        #expect(result.testName == "Nightly scan")
        #expect(result.toolVersion == "2.4.1")
        #expect(result.testTypeName(for: GenericParser.scanType) == "Acme Scanner Scan (Generic Findings Import)")
        // Numbers given as text are converted; "True" is a Django boolean.
        #expect(finding.cwe == 79)
        #expect(finding.line == 12)
        #expect(finding.epssScore == 0.25)
        #expect(finding.verified)
        #expect(finding.severity == .high)
        #expect(finding.date == CalendarDate(year: 2024, month: 3, day: 5))  // the date as written
        #expect(finding.mitigated == Date(timeIntervalSince1970: 1_711_958_400))  // naive → UTC
        #expect(finding.isMitigated)
        #expect(finding.fixAvailable == true && finding.fixVersion == "1.2.4")
        // The legacy cve comes first, then the listed ids (duplicates kept, as DefectDojo does).
        #expect(finding.vulnerabilityIDs == ["CVE-2024-0001", "GHSA-aaaa-bbbb-cccc", "CVE-2024-0001"])
        #expect(finding.tags == ["xss", "web"])
        #expect(finding.endpoints.map(\.canonicalString) == [
            "https://shop.example.com/search?q=1", "https://api.example.com:8443/v1/search", "www.example.org:8080/path",
        ])
        #expect(HashCode.compute(for: finding, configuration: GenericParser.descriptors[0].dedupe)
            == "e4c4a1623494023ccfcb9027c6d055399ee6e8596b38df25261436f7bc9e8358")
    }

    @Test("severities are sanitised, unusable numbers dropped, CWE lists and services kept")
    func manyVulnsJSON() throws {
        let findings = try parser.parse(try Fixture.input("generic/many_vulns.json")).findings
        let dedupe = GenericParser.descriptors[0].dedupe

        #expect(findings.map(\.severity) == [.medium, .info, .critical, .low])
        #expect(findings[0].cwe == 0)  // DefectDojo's default
        #expect(findings[1].line == 7)  // 7.9 truncated like int(7.9)
        #expect(findings[2].line == nil)  // "N/A" is dropped
        #expect(findings[2].cwe == 798 && findings[2].cwes == [798, 259])
        #expect(findings[2].service == "payments")
        #expect(findings[3].vulnerabilityIDs == ["CVE-2021-23337"])
        #expect(findings[3].fixAvailable == false)
        #expect(findings.map { HashCode.compute(for: $0, configuration: dedupe) } == [
            "6dd71a6c78779ce3327e1e3bf5cab6e2fb4e57fc7a3660ce3b6c02b5a87b1be5",
            "0e71e8a965ae1df318ff2f6891bd3568c4200b1aec156cd3cc5006ecfec8d49f",
            "c6bf479369db252664e37c84da0a9e0d44eccf5aba6ff150608b8932ea84122b",
            "0ee57445a266bc8a9809e54bef903d669e06742fdedb800b1307c2aab3a20344",
        ])
    }

    @Test("CSV quoting, booleans, CVE column and vector extraction")
    func oneVulnCSV() throws {
        let finding = try #require(try parser.parse(try Fixture.input("generic/one_vuln.csv")).findings.first)
        #expect(finding.description == "The \"user\" field, unescaped,\nreaches the query.")
        #expect(finding.date == CalendarDate(year: 2024, month: 1, day: 15))
        #expect(finding.active && !finding.verified && !finding.falsePositive)
        #expect(finding.vulnerabilityIDs == ["CVE-2024-1111"])
        #expect(finding.cvssV3 == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
        #expect(finding.numberOfOccurrences == 1)
        #expect(HashCode.compute(for: finding, configuration: GenericParser.descriptors[0].dedupe)
            == "ffc09ca4439fd181603332992f119b3d3693d9e13f2e05c8cadf14de98362fbe")
    }

    @Test("CSV rows merge, dates read month first unless impossible, unknown severity is Info")
    func manyVulnsCSV() throws {
        let findings = try parser.parse(try Fixture.input("generic/many_vulns.csv")).findings
        #expect(findings[0].numberOfOccurrences == 2)
        #expect(findings[0].date == CalendarDate(year: 2024, month: 1, day: 2))
        #expect(findings[0].endpoints.map(\.canonicalString) == ["https://a.example.com", "https://b.example.com:8443"])
        #expect(findings[1].severity == .info && !findings[1].active)
        #expect(findings[1].endpoints.map(\.canonicalString) == ["c.example.com/files"])
        #expect(findings[2].duplicate && findings[2].falsePositive)
        #expect(findings[2].vulnerabilityIDs == ["CVE-2020-11022"])
    }

    @Test("content decides the format when the file name does not")
    func sniffing() throws {
        let json = try parser.parse(ScanInput(data: try Fixture.data("generic/many_vulns.json"), filename: "upload"))
        let csv = try parser.parse(ScanInput(data: try Fixture.data("generic/many_vulns.csv")))
        #expect(json.findings.count == 4)
        #expect(csv.findings.count == 3)
    }

    @Test("malformed reports name the problem and where it is", arguments: [
        ("generic/truncated.json", ParseError.Code.malformedInput, ParseError.Position.text(line: 7, column: 1)),
        ("generic/bad_severity.json", .unsupportedSeverity, .jsonPath("$.findings[1].severity")),
        ("generic/missing_fields.json", .missingField, .jsonPath("$.findings[0]")),
        ("generic/unknown_field.json", .unexpectedField, .jsonPath("$.findings[0]")),
        ("generic/sarif_instead.json", .unsupportedFormat, .jsonPath("$")),
        ("generic/missing_column.csv", .missingField, .csv(line: 1, column: nil)),
        ("generic/bad_date.csv", .invalidValue, .csv(line: 3, column: "Date")),
    ])
    func malformed(fixture: String, code: ParseError.Code, position: ParseError.Position) throws {
        // Given a broken report
        // When parsing it
        let error = try #require(parseError { try parser.parse(try Fixture.input(fixture)) })

        // Then the error has a stable code, the position, and the scan type
        #expect(error.code == code)
        #expect(error.position == position)
        #expect(error.scanType == GenericParser.scanType)
        #expect(error.message.contains(position.description))
    }

    @Test("DefectDojo's wording for unsupported severities and field problems")
    func messages() throws {
        let severity = try #require(parseError { try parser.parse(try Fixture.input("generic/bad_severity.json")) })
        #expect(severity.reason
            == "Finding severity \"Severe\" is not supported. Any of the following are supported: ['Info', 'Low', 'Medium', 'High', 'Critical'].")
        let missing = try #require(parseError { try parser.parse(try Fixture.input("generic/missing_fields.json")) })
        #expect(missing.reason == "Required fields are missing: ['description', 'title']")
        let unknown = try #require(parseError { try parser.parse(try Fixture.input("generic/unknown_field.json")) })
        #expect(unknown.reason == "Not allowed fields are present: ['colour']")
    }

    @Test("empty files and binary garbage are refused", arguments: [
        (Data(), "report.json", ParseError.Code.empty),
        (Data(), "report.csv", .empty),
        (Data("\n\n".utf8), nil, .empty),
        (Data([0x50, 0x4B, 0x03, 0x04, 0xFF, 0xFE, 0x00]), "report.csv", .malformedInput),
        (Data([0x7B, 0xFF, 0x00]), nil, .malformedInput),
    ] as [(Data, String?, ParseError.Code)])
    func emptyOrGarbage(data: Data, filename: String?, code: ParseError.Code) {
        #expect(parseError { try parser.parse(ScanInput(data: data, filename: filename)) }?.code == code)
    }
}
