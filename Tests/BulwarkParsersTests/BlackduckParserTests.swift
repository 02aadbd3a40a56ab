import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

/// What the Blackduck goldens do not show well: the location length cap, merged rows and
/// errors that name the zip entry.
@Suite("Blackduck Hub Scan parser")
struct BlackduckParserTests {
    private let parser = BlackduckParser()
    private static let header = "Project id,Vulnerability id,Channel version origin id,Vulnerability source,Security Risk"

    private func zip(security: String, files: String) throws -> ScanInput {
        let data = try ArchiveReaderTests.zip([("security.csv", Data(security.utf8), true), ("files.csv", Data(files.utf8), true)])
        return ScanInput(data: data, filename: "export.zip")
    }

    @Test("file locations are joined until the text would reach 4,000 characters")
    func locationCap() throws {
        // Given one project with 100 distinct 60-character paths
        let paths = (0..<100).map { "/" + String(repeating: "d", count: 54) + String(format: "%04d.jar", $0) }
        let files = "Project id,Path,Archive context\n" + paths.map { "p1,\($0)," }.joined(separator: "\n")
        let input = try zip(security: Self.header + "\np1,CVE-2020-1111,o:a:1,NVD,HIGH\n", files: files)

        // When parsing
        let finding = try #require(try parser.parse(input).findings.first)

        // Then the paths stop before 4,000 characters, in file order
        let filePath = try #require(finding.filePath)
        #expect(filePath.count < 4000)
        #expect(filePath.count > 3900)
        #expect(filePath.hasPrefix(paths[0] + ", " + paths[1]))
    }

    @Test("rows with the same title and source merge, listing the merged ids")
    func merge() throws {
        // Given two advisories of one CVE from the same source, and one from another source
        let csv = Self.header + "\n"
            + "p1,BDSA-1 (cve-2021-0001),o:a:1,BDSA,HIGH\n"
            + "p1,CVE-2021-0001,o:a:1,BDSA,HIGH\n"
            + "p1,CVE-2021-0001,o:a:1,NVD,MEDIUM\n"

        // When parsing
        let findings = try parser.parse(ScanInput(data: Data(csv.utf8), filename: "security.csv")).findings

        // Then the first two merge; the third stays separate
        #expect(findings.map(\.title) == ["CVE-2021-0001 - o:a:1", "CVE-2021-0001 - o:a:1"])
        #expect(findings.map(\.severity) == [.high, .medium])
        #expect(findings.first?.description.hasSuffix("Vulnerability ID: CVE-2021-0001\n BDSA\n") == true)
        #expect(findings.first?.vulnerabilityIDs == ["CVE-2021-0001"])
    }

    @Test("a broken CSV inside the zip names the entry")
    func brokenEntry() throws {
        // Given a zip whose security CSV has a quoted field that never closes
        let input = try zip(security: Self.header + "\np1,\"CVE-2020-1111", files: "Project id,Path\np1,/a\n")

        // When parsing
        let error = parseError { try parser.parse(input) }

        // Then the error is malformed input at the CSV line, for this scan type
        #expect(error?.code == .malformedInput)
        #expect(error?.position == .csv(line: 2, column: nil))
        #expect(error?.scanType == "Blackduck Hub Scan")
    }
}
