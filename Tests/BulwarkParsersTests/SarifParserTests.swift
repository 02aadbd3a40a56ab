import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

/// Expected descriptions, ids and hash codes were produced by DefectDojo's SARIF parser on
/// these fixtures.
@Suite("SARIF parser")
struct SarifParserTests {
    private let parser = SarifParser()

    @Test("finding counts", arguments: [
        ("sarif/no_vuln.sarif", 0), ("sarif/one_vuln.sarif", 1), ("sarif/many_vulns.sarif", 5),
    ])
    func counts(fixture: String, expected: Int) throws {
        // Given a SARIF log
        // When parsing it
        let result = try parser.parse(try Fixture.input(fixture))

        // Then there is one finding per failing result location
        #expect(result.findings.count == expected)
    }

    @Test("the first run's tool names the test type")
    func toolName() throws {
        let result = try parser.parse(try Fixture.input("sarif/one_vuln.sarif"))
        #expect(result.toolType == "Semgrep OSS")
        #expect(result.testName == "Semgrep OSS")
        #expect(result.toolVersion == "1.50.0")
        #expect(result.testTypeName(for: "SARIF") == "Semgrep OSS Scan (SARIF)")
        #expect(try parser.parse(try Fixture.input("sarif/no_vuln.sarif")).toolType == "QuietLint")
    }

    @Test("one result maps to DefectDojo's fields")
    func oneVulnFields() throws {
        // Given one result with a rule, snippet, fingerprints and security-severity
        let finding = try #require(try parser.parse(try Fixture.input("sarif/one_vuln.sarif")).findings.first)

        // Then the mapping matches DefectDojo's
        #expect(finding.title == "User data flows into eval()")
        #expect(finding.severity == .high)  // security-severity 8.1 overrides level "error"
        #expect(finding.cvssV3Score == 8.1)
        #expect(finding.cwe == 95)
        #expect(finding.filePath == "app/views.py")
        #expect(finding.line == 42)
        #expect(finding.vulnIDFromTool == "python.lang.security.eval-injection")
        #expect(finding.uniqueIDFromTool == "4b5a6978")  // newest version of the first method
        #expect(finding.references == "https://semgrep.dev/r/python.lang.security.eval-injection")
        #expect(finding.date == CalendarDate(year: 2024, month: 2, day: 10))
        #expect(Set(finding.tags) == ["python", "security", "cwe-95"])
        #expect(finding.staticFinding && !finding.dynamicFinding)
        #expect(finding.description == """
            **Result message:** User data flows into eval()
            **Snippet:**
            ```
            eval(request.args['q'])
            ```
            **Rule name:** EvalInjection
            **Rule short description:** Use of eval() with user input
            **Rule full description:** Calling eval() on data from a request allows code execution.
            """)
        #expect(HashCode.compute(for: finding, configuration: SarifParser.descriptors[0].dedupe)
            == "ec6913ed2d9d73a581893f2ed4f83d55271e9218ce6f450f0b2b80edfa778df5")
    }

    @Test("message strings, code flows, suppressions, taxa, fixes and a second run")
    func manyVulnsFields() throws {
        // Given results exercising the less common SARIF features
        let findings = try parser.parse(try Fixture.input("sarif/many_vulns.sarif")).findings

        // Then the first result yields one finding per location
        #expect(findings[0].title == "Variable 'count' is used before it is set in main().")
        #expect(findings[0].filePath == "src/a.c" && findings[0].line == 10)
        #expect(findings[1].filePath == "src/b.c" && findings[1].line == nil)  // byteOffset region
        #expect(findings[0].cwe == 457)
        #expect(findings[0].uniqueIDFromTool == "contextHash:ff00|primaryLocationLineHash:abc123:1")
        #expect(findings[0].description.hasSuffix("**Code flow:**\n1. src/a.c:L3\t-\tint count;\n\tdeclared here\n2. src/a.c:L10:C5"))
        // A suppressed result is a false positive; a CVE rule id becomes a vulnerability id.
        #expect(findings[2].falsePositive && !findings[2].active)
        #expect(findings[2].severity == .critical)
        #expect(findings[2].vulnerabilityIDs == ["CVE-2023-12345"])
        #expect(findings[2].references == "https://nvd.nist.gov/vuln/detail/CVE-2023-12345")
        #expect(findings[2].cwe == 1104)
        // kind "pass" is skipped; the note level is Info; taxa give the CWE; fixes the mitigation.
        #expect(findings[3].severity == .info)
        #expect(findings[3].cwe == 328)
        #expect(findings[3].mitigation == "Use bcrypt.\nOr argon2.")
        // Results of later runs are included.
        #expect(findings[4].cwe == 22)
        #expect(findings[4].vulnIDFromTool == nil)
        let dedupe = SarifParser.descriptors[0].dedupe
        #expect(findings.map { HashCode.compute(for: $0, configuration: dedupe) } == [
            "7766e5f872ff95d753c23e37085dee9626686f970ca2efb0915dfd283394266f",
            "d4d961b2505f1c667365a60adc83ee662d7121c01d8f4791b5d60a62d7b56e6f",
            "b9fe696d716aaf6666d83581b4fda09072386753315cc3344d1ff4bb4f3be9d9",
            "e77ac2df51b4ed9626feb1fb1953a399b23fde7f96f3ea305c542f19667ced3b",
            "ce71d0603b73347ca3c5a9a725bc3cc76cdc88fe38a2eef3d53a89c72c2a27ca",
        ])
    }

    @Test("long titles are shortened like textwrap.shorten(title, 150)")
    func longTitle() throws {
        // Given a result whose message is 200 characters of words
        let words = Array(repeating: "overflow", count: 25).joined(separator: " ")
        let json = #"{"runs":[{"tool":{"driver":{"name":"T"}},"results":[{"message":{"text":"\#(words)"}}]}]}"#

        // When parsing
        let finding = try #require(try parser.parse(ScanInput(data: Data(json.utf8))).findings.first)

        // Then the title is cut at a word boundary with " [...]"
        #expect(finding.title.count <= 150)
        #expect(finding.title.hasSuffix("overflow [...]"))
    }

    @Test("a truncated log names the line and column")
    func truncated() throws {
        let error = try #require(parseError { try parser.parse(try Fixture.input("sarif/truncated.sarif")) })
        #expect(error.code == .malformedInput)
        #expect(error.position == .text(line: 7, column: 30))  // where the unterminated string starts
        #expect(error.message.contains("unterminated string"))
        #expect(error.description.hasPrefix("[SARIF] "))
    }

    @Test("JSON that is not SARIF is refused")
    func notSarif() throws {
        let error = try #require(parseError { try parser.parse(try Fixture.input("sarif/not_sarif.json")) })
        #expect(error.code == .unsupportedFormat)
        #expect(error.position == .jsonPath("$"))
    }

    @Test("a result without any text for a title names its JSON path")
    func noTitle() throws {
        let error = try #require(parseError { try parser.parse(try Fixture.input("sarif/no_title.sarif")) })
        #expect(error.code == .missingField)
        #expect(error.position == .jsonPath("$.runs[0].results[0]"))
    }

    @Test("XML, garbage and empty input are refused", arguments: [
        (Data("<?xml version=\"1.0\"?><a/>".utf8), ParseError.Code.malformedInput),
        (Data([0xFF, 0xFE, 0x00, 0x01]), .malformedInput),
        (Data(), .empty),
        (Data("[1, 2]".utf8), .unsupportedFormat),
    ])
    func invalidInput(data: Data, code: ParseError.Code) {
        #expect(parseError { try parser.parse(ScanInput(data: data)) }?.code == code)
    }
}
