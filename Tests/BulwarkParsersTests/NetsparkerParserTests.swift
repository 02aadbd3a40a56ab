import BulwarkCore
@testable import BulwarkParsers
import Foundation
import Testing

@Suite("Netsparker and Invicti parsers")
struct NetsparkerParserTests {
    @Test("vulnerabilities with the same name merge; states and CVSS 3.1 fallback apply")
    func fields() throws {
        // Given a Netsparker export with two SQL injections
        let findings = try NetsparkerParser().parse(try Fixture.input("netsparker/many_vulns.json")).findings

        // Then DefectDojo's mapping applies
        #expect(findings.map(\.title) == ["Boolean Based SQL Injection", "Version Disclosure (nginx)", "Missing Content-Security-Policy Header"])
        let sql = findings[0]
        #expect(sql.falsePositive && !sql.active && !sql.verified)
        #expect(sql.cwe == 89 && sql.cwes == [89, 564])
        #expect(sql.cvssV3 == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
        #expect(sql.endpoints.count == 2 && sql.requestResponsePairs.count == 2)
        #expect(findings[1].riskAccepted && findings[1].active)
        #expect(findings[1].requestResponsePairs.first?.request == "None")
        #expect(findings[2].cwe == nil && findings[2].severity == .info)
        #expect(findings[0].date == CalendarDate(year: 2024, month: 10, day: 8))
    }

    @Test("report dates", arguments: [
        ("25/06/2021 09:59 AM", CalendarDate(year: 2021, month: 6, day: 25)),
        ("03/02/2019 15:50:29 (UTC-06:00)", CalendarDate(year: 2019, month: 2, day: 3)),
        ("2024-10-08 02:33 PM", CalendarDate(year: 2024, month: 10, day: 8)),
        ("garbage", nil),
    ] as [(String, CalendarDate?)])
    func dates(text: String, expected: CalendarDate?) {
        #expect(NetsparkerDate.parse(text) == expected)
    }

    @Test("a byte order mark is skipped; Invicti reads the same format under its own name")
    func bomAndInvicti() throws {
        // Given a report starting with a UTF-8 BOM, and an Invicti export
        let bom = try NetsparkerParser().parse(try Fixture.input("netsparker/bom.json")).findings
        let invicti = try InvictiParser().parse(try Fixture.input("invicti/many_vulns.json")).findings

        // Then both parse
        #expect(bom.first?.cwe == 614)
        #expect(bom.first?.date == CalendarDate(year: 2019, month: 2, day: 3))
        #expect(invicti.count == 3)
        #expect(invicti.first?.date == CalendarDate(year: 2024, month: 10, day: 8))
        let error = parseError { try InvictiParser().parse(try Fixture.input("invicti/truncated.json")) }
        #expect(error?.scanType == "Invicti Scan")
    }
}
