import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("Prowler Scan parser")
struct ProwlerParserTests {
    private let parser = ProwlerParser()

    @Test("CSV rows: PASS skipped, identical rows kept once, compliance one reference per line")
    func csvRows() throws {
        // Given five rows, one MANUAL, two identical FAIL rows and a multi-line quoted description
        let findings = try parser.parse(try Fixture.input("prowler/many_vulns.csv")).findings

        // Then
        #expect(findings.map(\.severity) == [.high, .medium, .info, .low])
        #expect(findings[0].references == "CIS-3.0: 5.2")
        #expect(findings[1].references == "N/A")
        #expect(findings[2].description.contains("**Status Detail** : No trail logs all regions; only \"eu-west-1\" is covered."))
        #expect(findings[2].description.contains("**Description** : Multi-region trails record API calls everywhere.\nA second line."))
        #expect(findings[3].references == "ENS-RD2022: mp.info.3.aws.s3.1\nCIS-3.0: 2.1.4")
        #expect(findings.allSatisfy { $0.dynamicFinding && !$0.staticFinding })
    }

    @Test("missing CSV columns read N/A")
    func missingColumns() throws {
        let finding = try #require(try parser.parse(try Fixture.input("prowler/missing_columns_crlf.csv")).findings.first)
        #expect(finding.description.hasPrefix("**Cloud Type** : KUBERNETES\n\n**Description** : Anonymous requests reach the API server — révision needed.\n\n**Service Name** : N/A"))
        #expect(finding.mitigation?.hasPrefix("**Remediation Recommendation** : N/A\n\n") == true)
        #expect(finding.impact == "")
        #expect(finding.references == "N/A")
    }

    @Test("a short CSV row is an error naming the line and column")
    func shortRow() {
        let error = parseError { try parser.parse(try Fixture.input("prowler/short_row.csv")) }
        #expect(error?.code == .malformedInput)
        #expect(error?.position == .csv(line: 2, column: "REGION"))
    }

    @Test("OCSF: cloud type, Kubernetes resources and merged duplicates")
    func ocsf() throws {
        // Given GCP, Azure, Kubernetes, PASS, a GCP duplicate and a provider in capitals
        let findings = try parser.parse(try Fixture.input("prowler/many_vulns.json")).findings

        // Then
        #expect(findings.count == 4)
        let gcp = findings[0]
        #expect(gcp.description.contains("**GCP Region** : global"))
        #expect(gcp.description.components(separatedBy: "**Cloud Type** : GCP").count == 3)
        #expect(gcp.references == "**Related URL** : \n\n**CIS-2.0** : 3.7\n\n**MITRE-ATTACK** : T1190, T1133")
        #expect(findings[1].description.hasSuffix("**AZURE Region** : westeurope"))
        #expect(findings[2].description.hasSuffix("**Pod Name** : kube-apiserver-node1\n\n**Namespace** : kube-system"))
        // A compliance value given as text is joined character by character, as Python does.
        #expect(findings[2].references?.hasSuffix("**CIS-1.8** : 1, ., 2, ., 1") == true)
        #expect(findings[3].description.hasPrefix("**Cloud Type** : N/A\n\n**Finding Description** : N/A"))
        #expect(findings[3].severity == .info)
        #expect(findings[3].impact == nil)
    }

    @Test("the file name chooses the reader; without one a leading [ or { means JSON")
    func formatChoice() throws {
        let json = try Fixture.data("prowler/one_vuln.json")
        #expect(try parser.parse(ScanInput(data: json)).findings.first?.severity == .critical)
        let csv = try Fixture.data("prowler/one_vuln.csv")
        #expect(try parser.parse(ScanInput(data: csv, filename: "out.txt")).findings.first?.severity == .critical)
        #expect(parseError { try parser.parse(ScanInput(data: csv, filename: "out.json")) }?.code == .malformedInput)
    }
}
