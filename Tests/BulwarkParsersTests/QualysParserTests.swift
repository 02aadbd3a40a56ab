import BulwarkCore
@testable import BulwarkParsers
import Foundation
import Testing

@Suite("Qualys Scan")
struct QualysParserTests {
    private let parser = QualysParser()

    @Test("XML: a CVSS3_FINAL score without vector is kept; without detection values the glossary's vector and score are used")
    func xmlCVSS() throws {
        // Given the same QID detected on two hosts, with and without CVSS values at detection
        let findings = try parser.parse(try Fixture.input("qualys/many_vulns.xml")).findings

        // Then the detection's score wins and its vector stays empty; otherwise the knowledge base fills both
        #expect(findings[1].cvssV3 == nil)
        #expect(findings[1].cvssV3Score == 8.2)
        #expect(findings[3].cvssV3 == "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H")
        #expect(findings[3].cvssV3Score == 9.0)
        // and a CVSS 2 score (CVSS_FINAL) lands in the CVSS 3 score, as DefectDojo does
        #expect(findings[2].cvssV3 == nil && findings[2].cvssV3Score == 5.0)
    }

    @Test("XML: the host name is the endpoint, else the IP; the status decides active or mitigated")
    func xmlEndpointAndStatus() throws {
        let findings = try parser.parse(try Fixture.input("qualys/many_vulns.xml")).findings

        #expect(findings[0].endpoints == [EndpointURL(host: "db01.example.test")])
        #expect(findings[3].endpoints == [EndpointURL(host: "198.51.100.8")])
        // A detection without VULN_STATUS counts as fixed, as in DefectDojo
        #expect(!findings[0].active && findings[0].isMitigated && findings[0].mitigated == nil)
        #expect(!findings[1].active && findings[1].isMitigated)
        #expect(findings[1].mitigated == QualysFields.strptime("2024-10-29T17:45:10Z", "%Y-%m-%dT%H:%M:%SZ")?.instant)
        #expect(findings[2].active && !findings[2].isMitigated)
        #expect(findings.allSatisfy { $0.verified })
    }

    @Test("XML: CVE links are stored as Python prints a list; without CVEs the references are the QID id")
    func xmlReferences() throws {
        let findings = try parser.parse(try Fixture.input("qualys/many_vulns.xml")).findings

        #expect(findings[0].references == "qid_6")
        #expect(findings[1].references == #"['https://cve.example.test/CVE-2018-8930', "https://cve.example.test/CVE-2018-8931?q='x'"]"#)
        #expect(findings[1].vulnerabilityIDs == ["CVE-2018-8930", "CVE-2018-8931", "CVE-2018-8932"])
        #expect(findings[0].title == "QID-6 | DNS Host Name")
    }

    @Test("XML: a detection whose QID the glossary lacks is an error naming it and its line")
    func unknownQID() throws {
        let error = try #require(parseError { try parser.parse(try Fixture.input("qualys/unknown_qid.xml")) })
        #expect(error.code == .missingField)
        #expect(error.reason.contains("qid_404"))
        #expect(error.position == .text(line: 3, column: 1))
        #expect(error.scanType == "Qualys Scan")
    }

    @Test("CSV: rows of one QID merge their endpoints and CVEs; the first row's fields stay")
    func csvMerge() throws {
        let findings = try parser.parse(try Fixture.input("qualys/many_vulns.csv")).findings

        #expect(findings.count == 3)
        #expect(findings[0].endpoints == [
            EndpointURL(host: "app1.example.test"),
            EndpointURL(protocol: "https", host: "portal.example.test", port: 8443, path: "login"),
        ])
        #expect(findings[0].cvssV3 == "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:U/RC:C")
        #expect(findings[1].vulnerabilityIDs == ["CVE-2024-1111", "CVE-2024-2222", "CVE-2024-3333"])
        #expect(findings[1].isMitigated && !findings[1].active)
    }

    @Test("CSV: the vector of a 'score (vector)' cell", arguments: [
        ("8.1 (AV:N/AC:H)", "AV:N/AC:H"), ("10.0 (E:U/RL:U/RC:C)", "E:U/RL:U/RC:C"), ("7.4 (a) (b)", "a) (b"),
        ("7.4", nil), ("bad cell", nil), ("123.4 (x)", nil),
    ] as [(String, String?)])
    func scoredVector(cell: String, vector: String?) {
        #expect(QualysCSVReport.scoredVector(cell) == vector)
    }

    @Test("a fixed-format date must match its format exactly")
    func strptime() {
        #expect(QualysFields.strptime("05/25/2021 07:36:58", "%m/%d/%Y %H:%M:%S")?.calendarDate == CalendarDate(year: 2021, month: 5, day: 25))
        #expect(QualysFields.strptime("2021-02-30T00:00:00Z", "%Y-%m-%dT%H:%M:%SZ") == nil)
        #expect(QualysFields.strptime("2021-02-03T00:00:00", "%Y-%m-%dT%H:%M:%SZ") == nil)
        #expect(QualysFields.strptime("21-02-03T00:00:00Z", "%Y-%m-%dT%H:%M:%SZ") == nil)
    }

    @Test("the format follows the file name, else the first character")
    func formatChoice() throws {
        let csv = try Fixture.data("qualys/one_vuln.csv")
        #expect(try parser.parse(ScanInput(data: csv)).findings.count == 1)
        let xml = try Fixture.data("qualys/one_vuln.xml")
        #expect(try parser.parse(ScanInput(data: xml, filename: "report.XML")).findings.count == 1)
        #expect(parseError { try parser.parse(ScanInput(data: xml, filename: "report.csv")) }?.code == .unsupportedFormat)
    }
}
