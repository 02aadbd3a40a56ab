import BulwarkCore
import Foundation
import Testing

@Suite("Scan metadata and finding helpers")
struct ScanAndFindingTests {
    @Test("test type names follow DefectDojo's resolve_dynamic_test_type_name", arguments: [
        (nil, "SARIF"),
        ("SARIF", "SARIF"),
        ("Trivy", "Trivy Scan (SARIF)"),
        ("Prisma Cloud (SARIF)", "Prisma Cloud (SARIF)"),
    ] as [(String?, String)])
    func testTypeName(toolType: String?, expected: String) {
        // Given a result naming a tool
        let result = ParseResult(findings: [], toolType: toolType)

        // When naming the test type for SARIF
        // Then the name matches DefectDojo's
        #expect(result.testTypeName(for: "SARIF") == expected)
    }

    @Test("a tool type that plus \" Scan\" is the scan type keeps the scan type")
    func scanSuffix() {
        #expect(ParseResult(findings: [], toolType: "Horusec").testTypeName(for: "Horusec Scan") == "Horusec Scan")
    }

    @Test("cve and vulnerability ids are synchronised like the importer does")
    func cveSync() {
        // Given the three shapes a parser can produce
        var both = Finding(title: "a", severity: .low)
        both.cve = "CVE-1"
        both.vulnerabilityIDs = ["GHSA-1", " "]
        var idsOnly = Finding(title: "b", severity: .low)
        idsOnly.vulnerabilityIDs = ["GHSA-2"]
        var cveOnly = Finding(title: "c", severity: .low)
        cveOnly.cve = "CVE-3"

        // When synchronising
        // Then cve comes first, fills from ids, or becomes the list; blanks are dropped
        #expect(both.synchronizingCVE().vulnerabilityIDs == ["CVE-1", "GHSA-1"])
        #expect(idsOnly.synchronizingCVE().cve == "GHSA-2")
        #expect(cveOnly.synchronizingCVE().vulnerabilityIDs == ["CVE-3"])
    }

    @Test("finding defaults are DefectDojo's model defaults")
    func defaults() {
        let finding = Finding(title: "t", severity: .medium)
        #expect(finding.active && !finding.verified && finding.dynamicFinding && !finding.staticFinding)
        #expect(finding.cwe == 0)
        #expect(finding.numericalSeverity == "S2")
        #expect(finding.date == nil)
    }

    @Test("calendar dates validate, print and order")
    func calendarDates() throws {
        #expect(CalendarDate(year: 2024, month: 2, day: 30) == nil)
        #expect(CalendarDate(year: 2024, month: 2, day: 29)?.description == "2024-02-29")
        let utc = CalendarDate(utcDayOf: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(utc.description == "2023-11-14")
        #expect(try #require(CalendarDate(iso8601: "2021-03-23")) < utc)
        #expect(CalendarDate(iso8601: "2021-3-23") == nil)
    }

    @Test("scan types compare exactly and sort")
    func scanTypes() {
        #expect(ScanType("ZAP Scan") != ScanType("zap scan"))
        #expect([ScanType("ZAP Scan"), "SARIF", "Generic Findings Import"].sorted().map(\.rawValue)
            == ["Generic Findings Import", "SARIF", "ZAP Scan"])
    }
}
