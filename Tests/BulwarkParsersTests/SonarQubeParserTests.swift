import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

/// What the SonarQube goldens do not show well: the rule texts taken from the HTML, the
/// aggregated texts, and errors.
@Suite("SonarQube Scan parser")
struct SonarQubeParserTests {
    private let parser = SonarQubeParser()

    @Test("the rule description stops at its See heading, headings become bold, entities stay escaped")
    func ruleTexts() throws {
        // Given a sonar-report HTML report with one issue of a rule described in the rules table
        let input = try Fixture.input("sonarqube/one_vuln.html")

        // When parsing it in detailed mode
        let finding = try #require(try parser.parse(input, as: "SonarQube Scan detailed").findings.first)

        // Then title and message are decoded, the description is DefectDojo's stripped rule text
        #expect(finding.title == "SQL queries should not be built from user input")
        #expect(finding.mitigation == "Use a prepared statement instead of concatenating \"name\".")
        #expect(finding.description.hasPrefix("Building SQL queries from strings lets callers change the query &amp; read other rows.\n"))
        #expect(finding.description.contains("**Noncompliant Code Example**"))
        #expect(!finding.description.contains("See"))
        #expect(finding.references == "java:S2077\nMITRE, CWE-89\nOWASP Top 10 2017 Category A1")
        #expect(finding.cwe == 89)
        #expect(finding.line == 42)
        #expect(finding.uniqueIDFromTool == "AYx1-one")
        #expect(finding.impact == "No impact provided")
        #expect(finding.staticFinding && !finding.dynamicFinding)
    }

    @Test("aggregation lists each occurrence's line and joins the messages")
    func aggregation() throws {
        // Given a report (CRLF line ends) with two issues of one rule in one file
        let findings = try parser.parse(try Fixture.input("sonarqube/many_vulns.html"), as: "SonarQube Scan").findings

        // When they are aggregated
        let first = try #require(findings.first)

        // Then one finding carries both lines and both messages, without a line of its own
        #expect(first.numberOfOccurrences == 2)
        #expect(first.description.hasSuffix("\n\n-----\nOccurences:\nLine: 42\nLine: 88"))
        #expect(first.mitigation == "Use a prepared statement for \"name\".\n______\nUse a prepared statement for \"id\".")
        #expect(first.line == nil)
        #expect(!first.description.contains("&#13;"))
    }

    @Test("an issue row without a title names its rule")
    func missingTitle() throws {
        // Given a row whose Description cell holds only markup
        let input = try Fixture.input("sonarqube/no_title.html")

        // When parsing
        let error = parseError { try parser.parse(input) }

        // Then the error says which rule
        #expect(error?.code == .missingField)
        #expect(error?.message.contains("java:S2077") == true)
    }

    @Test("HTML nested thousands of levels deep is refused, not recursed into")
    func deepNesting() throws {
        // Given an HTML page with 100,000 nested elements
        let html = "<html><body>" + String(repeating: "<span>", count: 100_000) + "x</body></html>"

        // When parsing
        let error = parseError { try parser.parse(ScanInput(data: Data(html.utf8), filename: "deep.html")) }

        // Then a limit error answers
        #expect(error?.code == .limitExceeded)
    }
}
