import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("Trivy parser")
struct TrivyParserTests {
    private let parser = TrivyParser()

    @Test("without a Severity, the CVSS of the severity source decides, with its environmental score")
    func severityFromSource() throws {
        let finding = try #require(try parser.parse(try Fixture.input("trivy/many_vulns.json")).findings.first)
        // The ghsa vector (base 7.5, exploit maturity P) wins over the nvd score.
        #expect(finding.severity == .high)
        #expect(finding.cvssV3 == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H/E:P")
        #expect(finding.cvssV3Score == 7.1)
    }

    @Test("Kubernetes findings carry the workload as service")
    func kubernetesServices() throws {
        let findings = try parser.parse(try Fixture.input("trivy/kubernetes.json")).findings
        #expect(findings.map(\.service) == [
            "default / Deployment / redis-follower", "default / Deployment / redis-follower", "kube-system / Pod / etcd",
        ])
    }

    @Test("a CWE that is not CWE-<number> is refused with its path")
    func badCWE() throws {
        let error = parseError { try parser.parse(try Fixture.input("trivy/bad_cwe.json")) }
        #expect(error?.code == .invalidValue)
        #expect(error?.position == .jsonPath("$.Results[0].Vulnerabilities[0].CweIDs[0]"))
    }

    @Test("results are streamed: many results in one report keep their order")
    func manyResults() throws {
        // Given a report of 300 results with one vulnerability each
        let results = (0..<300).map { index in
            #"{"Target": "t\#(index)", "Class": "lang-pkgs", "Type": "npm", "Vulnerabilities": [{"VulnerabilityID": "CVE-2031-\#(index)", "PkgName": "p", "InstalledVersion": "1", "Severity": "LOW"}]}"#
        }
        let json = #"{"SchemaVersion": 2, "Results": ["# + results.joined(separator: ",") + "]}"

        // When parsing it
        let findings = try parser.parse(ScanInput(data: Data(json.utf8), filename: "big.json")).findings

        // Then every result gives its finding, in order
        #expect(findings.count == 300)
        #expect(findings.last?.filePath == "t299")
        #expect(findings.last?.vulnerabilityIDs == ["CVE-2031-299"])
    }
}
