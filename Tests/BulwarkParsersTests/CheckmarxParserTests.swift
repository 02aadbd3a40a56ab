import BulwarkCore
@testable import BulwarkParsers
import Foundation
import Testing

@Suite("Checkmarx parser")
struct CheckmarxParserTests {
    private let parser = CheckmarxParser()

    @Test("the same XML report aggregates as Checkmarx Scan and stays detailed as Checkmarx Scan detailed")
    func modes() throws {
        // Given a report with six results, three of them on the same CWE, severity and sink file
        let input = try Fixture.input("checkmarx/many_vulns.xml")

        // When it is parsed in both modes
        let aggregated = try parser.parse(input, as: "Checkmarx Scan").findings
        let detailed = try parser.parse(input, as: "Checkmarx Scan detailed").findings

        // Then aggregation merges the three and counts them; detailed keeps one per result
        #expect(aggregated.count == 4)
        #expect(detailed.count == 6)
        let merged = try #require(aggregated.first)
        #expect(merged.numberOfOccurrences == 3)
        #expect(merged.vulnIDFromTool == "594,602")
        #expect(merged.line == nil)
        #expect(merged.description.hasPrefix("### 1. SQL Injection (Dao.java)\n"))
        #expect(merged.description.contains("\n\n-----\n### 3. Second Order SQL Injection (Dao.java)\n"))
        #expect(detailed.allSatisfy { $0.numberOfOccurrences == nil && $0.uniqueIDFromTool != nil })
        #expect(detailed[0].uniqueIDFromTool == "118823001711")
        #expect(detailed[0].sastSourceLine == 57)
    }

    @Test("a result without a path is an error naming its line")
    func missingPath() throws {
        let input = try Fixture.input("checkmarx/missing_path.xml")
        let error = parseError { try parser.parse(input, as: "Checkmarx Scan") }
        #expect(error?.code == .missingField)
        #expect(error?.position == .text(line: 4, column: 1))
        #expect(error?.scanType == "Checkmarx Scan")
    }

    @Test("a .json file name selects the JSON report; the same bytes as XML are malformed")
    func formatByFileName() throws {
        // Given the JSON fixture's bytes under two names
        let data = try Fixture.data("checkmarx/many_vulns.json")

        // When parsed as report.JSON and as report.xml
        let json = try parser.parse(ScanInput(data: data, filename: " report.JSON "), as: "Checkmarx Scan")
        let asXML = parseError { try parser.parse(ScanInput(data: data, filename: "report.xml"), as: "Checkmarx Scan") }

        // Then the JSON reader is chosen only by the name
        #expect(json.findings.map(\.tags) == [["sast"], ["sast"], ["sast"], ["sca"], ["sca"], ["kics", "Dockerfile"]])
        #expect(asXML?.code == .malformedInput)
    }

    @Test("an unparsable ScanStart is an error", arguments: ["soon", "11:.", ":.:", "March 6, 2024 99999999999999999999:00 PM"])
    func badScanStart(_ scanStart: String) throws {
        let xml = try String(contentsOf: Fixture.url("checkmarx/one_vuln.xml"), encoding: .utf8)
            .replacingOccurrences(of: "Wednesday, March 6, 2024 4:02:17 PM", with: scanStart)
        let error = parseError { try parser.parse(ScanInput(data: Data(xml.utf8)), as: "Checkmarx Scan detailed") }
        #expect(error?.code == .invalidValue)
    }

    @Test("Python's str.title for JSON severities", arguments: [("HIGH", "High"), ("info", "Info"), ("mEDIUM", "Medium"), ("x-ray", "X-Ray")])
    func title(_ raw: String, _ expected: String) {
        #expect(CheckmarxParser.pythonTitle(raw) == expected)
    }
}
