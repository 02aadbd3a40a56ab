import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("Brakeman Scan parser")
struct BrakemanParserTests {
    private let parser = BrakemanParser()

    @Test("a repeated fingerprint keeps only its first warning")
    func fingerprintDedupe() throws {
        // Given four warnings, the third repeating the first one's fingerprint
        let result = try parser.parse(try Fixture.input("brakeman/many_vulns.json"))

        // Then three findings remain, the first one from the first template
        #expect(result.findings.count == 3)
        #expect(result.findings.first?.filePath == "app/views/orders/show.html.erb")
        #expect(!result.findings.contains { $0.filePath == "app/views/orders/edit.html.erb" })
    }

    @Test("the render path is written as Python's json.dumps with indent 4")
    func renderPath() throws {
        // Given a render path with non-ASCII text, escapes, a float and empty containers
        let result = try parser.parse(try Fixture.input("brakeman/many_vulns.json"))
        let description = try #require(result.findings.last?.description)

        // Then the text matches DefectDojo's description byte for byte
        #expect(description.hasSuffix("""
            Render path details:
            [
                {
                    "type": "template",
                    "name": "caf\\u00e9 \\"menu\\"\\t\\\\",
                    "line": 1.5,
                    "flags": [
                        true,
                        false,
                        null
                    ],
                    "empty": {},
                    "none": []
                }
            ]
            """))
    }

    @Test("a warning without its code member names the warning")
    func missingCode() throws {
        // Given a warning that lacks "code"
        let input = try Fixture.input("brakeman/missing_code.json")

        // When parsing it
        let error = parseError { try parser.parse(input) }

        // Then the error points at that warning
        #expect(error?.code == .missingField)
        #expect(error?.position == .jsonPath("$.warnings[0]"))
        #expect(error?.message.contains("\"code\"") == true)
    }
}
