import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("Govulncheck Scanner parsers")
struct GovulncheckParserTests {
    private let parser = GovulncheckParser()

    @Test("the same stream read as pretty-printed values, JSON Lines or one array")
    func streamForms() throws {
        // Given the first advisory of one stream in three encodings
        let pretty = try parser.parse(try Fixture.input("govulncheck/many_vulns.json"), as: "Govulncheck Scanner").findings
        let lines = try parser.parse(try Fixture.input("govulncheck/stream_lines.jsonl"), as: "Govulncheck Scanner").findings
        let array = try parser.parse(try Fixture.input("govulncheck/array_stream.json"), as: "Govulncheck Scanner").findings

        // Then the advisory maps to the same finding
        #expect(pretty[0].title == "GO-2023-2102 - golang.org/x/net - golang.org/x/net/http2")
        #expect(lines.first?.title == pretty[0].title)
        #expect(array.first?.title == pretty[0].title)
        #expect(pretty[0].uniqueIDFromTool == "GO-2023-2102")
        #expect(pretty[0].cve == "CVE-2023-39325")
        #expect(pretty[0].severity == .info)
        #expect(pretty[0].componentVersion == "v0.7.0")
        #expect(pretty[0].fixAvailable == true)
        #expect(pretty[0].fixVersion == "0.17.0")
        #expect(pretty[0].filePath == "golang.org/x/net/http2")
    }

    @Test("V2: one finding per advisory and module, severity from reachability")
    func reachability() throws {
        // Given findings reached at module, package and symbol level
        let findings = try parser.parse(try Fixture.input("govulncheck/many_vulns.json"), as: "Govulncheck Scanner V2").findings

        // Then the highest level per pair decides the severity
        #expect(findings.map(\.uniqueIDFromTool) == ["GO-2023-2102:golang.org/x/net", "GO-2022-1059:golang.org/x/text", "GO-2024-2600:stdlib"])
        #expect(findings.map(\.severity) == [.low, .info, .high])
        // The first non-empty fixed_version wins.
        #expect(findings[2].fixVersion == "v1.21.8")
        #expect(findings[2].description.contains("\tModule: stdlib@v1.21.0, Symbol: net/http.Get\n\tModule: example.test/api, Symbol: example.test/api/cmd.main, Location: cmd/main.go:14:12"))
    }

    @Test("pre-1.0 output: consecutive entries of one alias merge, call sites found through parents")
    func legacyFormat() throws {
        // Given a pre-1.0 report whose first alias appears twice in a row and once later
        let findings = try parser.parse(try Fixture.input("govulncheck/legacy_many_vulns.json"), as: "Govulncheck Scanner").findings
        let reachability = try parser.parse(try Fixture.input("govulncheck/legacy_many_vulns.json"), as: "Govulncheck Scanner V2").findings

        // Then groups follow Python's groupby and V2 reads nothing from it
        #expect(findings.map(\.title) == ["GO-2022-1144", "GO-2022-1059", "GO-2022-1144"])
        #expect(findings[0].description == "Vulnerable functions: Client.Do; ListenAndServe; Server.Serve")
        #expect(findings[0].impact == "/src/legacy/main.go:20:7; /src/legacy/main.go:31:12; /src/legacy/main.go:35:3")
        #expect(findings[0].componentVersion == "v1.19.0")
        #expect(findings[0].references == "https://go.dev/issue/56350")
        #expect(reachability.isEmpty)
    }

    @Test("SARIF output is refused for both scan types; stream errors name their line")
    func errors() throws {
        // Given SARIF, a truncated stream and two values on one line
        for scanType: ScanType in ["Govulncheck Scanner", "Govulncheck Scanner V2"] {
            let sarif = try #require(parseError { try parser.parse(try Fixture.input("govulncheck/sarif.json"), as: scanType) })
            #expect(sarif.code == .unsupportedFormat)
            #expect(sarif.reason.contains("'SARIF' scan type"))
            #expect(sarif.scanType == scanType)
        }
        let twoValues = try #require(parseError {
            try parser.parse(try Fixture.input("govulncheck/two_values_one_line.jsonl"), as: "Govulncheck Scanner")
        })

        // Then the position is the line and column of the second value
        #expect(twoValues.code == .malformedInput)
        #expect(twoValues.position == .text(line: 1, column: 45))
    }
}
