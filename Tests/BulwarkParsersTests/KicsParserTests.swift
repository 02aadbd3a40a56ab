import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("KICS Scan parser")
struct KicsParserTests {
    private let parser = KicsParser()

    @Test("a query result maps to DefectDojo's fields")
    func oneResult() throws {
        // Given one open SSH security group
        let finding = try #require(try parser.parse(try Fixture.input("kics/one_vuln.json")).findings.first)

        // Then the fields follow DefectDojo's mapping
        #expect(finding.title == "Networking and Firewall: Security Group With Unrestricted Access To SSH")
        #expect(finding.severity == .high)
        #expect(finding.componentName == "Terraform")
        #expect(finding.filePath == "infra/network/bastion.tf")
        #expect(finding.line == 14)
        #expect(finding.mitigation == "aws_security_group[bastion].ingress 'SSH' (Port:22) should not be public")
        #expect(finding.references == "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group")
        #expect(finding.numberOfOccurrences == 1)
        #expect(finding.description == """
            'SSH' (TCP:22) should not be public in AWS Security Group
            **Platform:** Terraform
            **Category:** Networking and Firewall
            **Issue type:** IncorrectValue
            **Actual value:** aws_security_group[bastion].ingress 'SSH' (Port:22) is public
            """)
    }

    @Test("repeats count as occurrences and unknown severities are Medium")
    func repeats() throws {
        // Given a query reporting the same place twice and a TRACE severity
        let findings = try parser.parse(try Fixture.input("kics/repeated_files.json")).findings

        // Then the repeat is merged and counted
        #expect(findings.map(\.numberOfOccurrences) == [2, 1, 1])
        #expect(findings.map(\.severity) == [.medium, .medium, .critical])
        // The first occurrence's texts are kept.
        #expect(findings[0].description.hasSuffix("**Actual value:** runAsNonRoot est faux"))
    }

    @Test("queries that are not a list are rejected with their path")
    func queriesNotAList() throws {
        // Given `queries` as an object
        let input = try Fixture.input("kics/queries_not_a_list.json")

        // When parsing it
        let error = try #require(parseError { try parser.parse(input) })

        // Then the error points at $.queries
        #expect(error.code == .invalidValue)
        #expect(error.position == .jsonPath("$.queries"))
    }
}
