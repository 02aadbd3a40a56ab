import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

/// What the Veracode goldens do not show well: ordering, mitigation dates, JSON texts.
@Suite("Veracode Scan parser")
struct VeracodeParserTests {
    private let parser = VeracodeParser()

    @Test("per category, static flaws come before dynamic ones; SCA vulnerabilities come last")
    func order() throws {
        // Given a report whose first category lists a dynamic flaw before a static one
        let findings = try parser.parse(try Fixture.input("veracode/many_vulns.xml")).findings

        // When reading the order
        let tags = findings.map { $0.tags.first ?? "" }

        // Then DefectDojo's order is kept, and a repeated issue id is dropped
        #expect(tags == ["sast", "dast", "sast", "sast", "sca", "sca"])
        #expect(findings.map(\.uniqueIDFromTool) == [
            "app-4711_issue-8", "app-4711_issue-7", "app-4711_issue-21", "app-4711_issue-22", nil, nil,
        ])
        #expect(findings.first?.filePath == "com/shop/Repo.java")
    }

    @Test("an accepted flaw takes the date of its last mitigation and becomes inactive")
    func mitigated() throws {
        // Given a static flaw with two accepted mitigations
        let findings = try parser.parse(try Fixture.input("veracode/many_vulns.xml")).findings
        let finding = try #require(findings.first { $0.uniqueIDFromTool == "app-4711_issue-21" })

        // Then it is mitigated at the second date, UTC
        #expect(finding.isMitigated && !finding.active && !finding.falsePositive)
        #expect(finding.mitigated == Date(timeIntervalSince1970: 1_709_371_800))
        #expect(finding.line == 282)
        #expect(finding.mitigation == "Do not send sensitive data in clear text. Protect it instead.\n\n")
    }

    @Test("Findings API JSON: span sections become details, mitigation and markdown references")
    func jsonTexts() throws {
        // Given a STATIC finding of the Findings API
        let finding = try #require(try parser.parse(try Fixture.input("veracode/one_vuln.json")).findings.first)

        // Then its texts are split like DefectDojo's, and the vector is cleaned
        #expect(finding.title == "SQL Injection")
        #expect(finding.description.hasSuffix("### Details\nThe query is built from input. It is run as is."))
        #expect(finding.mitigation == "Use prepared statements.")
        #expect(finding.references == "- [CWE](https://cwe.example/89.html)\n- [OWASP](https://owasp.example/sqli)\n")
        #expect(finding.cvssV3 == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N")
        #expect(finding.numberOfOccurrences == 2)
        #expect(finding.tags == ["policy-violation"])
    }

    @Test("a flaw without its category's recommendations is an error at the category")
    func missingRecommendations() throws {
        // Given a category without <recommendations>
        let xml = """
            <?xml version="1.0"?>
            <detailedreport xmlns="https://www.veracode.com/schema/reports/export/1.0" app_id="1" last_update_time="2024-01-01 00:00:00 UTC">
              <severity level="3"><category categoryname="X">
                <cwe cweid="1"><staticflaws><flaw issueid="1" severity="3" categoryname="X" cweid="1" description="d"/></staticflaws></cwe>
              </category></severity>
            </detailedreport>
            """

        // When parsing
        let error = parseError { try parser.parse(ScanInput(data: Data(xml.utf8), filename: "r.xml")) }

        // Then it names the missing element and the category's line
        #expect(error?.code == .missingField)
        #expect(error?.position == .text(line: 3, column: 1))
    }
}
