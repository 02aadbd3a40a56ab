import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("Gosec Scanner parser")
struct GosecParserTests {
    private let parser = GosecParser()

    @Test("an issue maps to DefectDojo's fields")
    func oneIssue() throws {
        // Given a report with one SQL formatting issue
        let input = try Fixture.input("gosec/one_vuln.json")

        // When parsing it
        let finding = try #require(try parser.parse(input).findings.first)

        // Then title, severity, confidence, CWE and references follow DefectDojo's mapping
        #expect(finding.title == "SQL string formatting - rule G201")
        #expect(finding.severity == .high)
        #expect(finding.scannerConfidence == 4)
        #expect(finding.cwe == 89)
        #expect(finding.references == "https://cwe.mitre.org/data/definitions/89.html")
        #expect(finding.filePath == "/src/shop/orders/store.go")
        #expect(finding.line == 41)
        #expect(finding.staticFinding && finding.dynamicFinding)
        #expect(finding.description.hasPrefix("Filename: /src/shop/orders/store.go\n\nLine number: 41\n\nIssue Confidence: MEDIUM\n\nCode:\n\n```41: "))
    }

    @Test("line ranges keep the first line, repeats are dropped, odd lines become null")
    func lineRanges() throws {
        // Given issues with a range, a repeat of the same place, a numeric line and text
        let findings = try parser.parse(try Fixture.input("gosec/line_ranges.json")).findings

        // Then the repeat is gone and the lines are 12, 33 and null
        #expect(findings.map(\.line) == [12, 33, nil])
        // A CWE without digits is null; without a CWE the rule page is the reference.
        #expect(findings.map(\.cwe) == [327, nil, 703])
        #expect(findings[1].references == "https://securego.io/docs/rules/g307.html")
    }

    @Test("errors name the field and its position")
    func errors() throws {
        // Given a report whose issue has no line
        let input = try Fixture.input("gosec/missing_line.json")

        // When parsing it
        let error = try #require(parseError { try parser.parse(input) })

        // Then the error says which field is missing where
        #expect(error.code == .missingField)
        #expect(error.message == "Required field \"line\" is missing. (at $.Issues[0])")
        #expect(error.scanType == "Gosec Scanner")
    }
}
