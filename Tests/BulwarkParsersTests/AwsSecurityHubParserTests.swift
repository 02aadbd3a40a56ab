import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("AWS Security Hub parser")
struct AwsSecurityHubParserTests {
    private let parser = AwsSecurityHubParser()

    @Test("the report names the test and lists accounts and origins")
    func testMetadata() throws {
        // Given findings from two accounts and two products
        let result = try parser.parse(try Fixture.input("awssecurityhub/many_vulns.json"))

        // Then the test is "AWS Security Hub" (so the test type stays the scan type)
        #expect(result.testName == "AWS Security Hub")
        #expect(result.testTypeName(for: "AWS Security Hub Scan") == "AWS Security Hub Scan")
        #expect(result.testDescription == "**AWS Accounts:** 111122223333, 444455556666\n**Finding Origins:** Config, Security Hub\n")
        // A repeated Id keeps its first position with the last content.
        #expect(result.findings.map(\.uniqueIDFromTool) == [
            "arn:aws:securityhub:us-east-1:111122223333:control/cis/2.9/finding/aaaa",
            "arn:aws:securityhub:us-east-1:111122223333:control/cis/1.4/finding/bbbb",
        ])
        #expect(result.findings[0].severity == .high)
    }

    @Test("closed Inspector findings are inactive and mitigated at LastObservedAt")
    func inspectorClosed() throws {
        let finding = try #require(try parser.parse(try Fixture.input("awssecurityhub/inspector.json")).findings.last)

        #expect(!finding.active && finding.isMitigated)
        #expect(finding.mitigated == ISO8601DateFormatter().date(from: "2031-06-01T00:00:00Z"))
        #expect(finding.endpoints == [EndpointURL(host: "AwsEc2Instance_arn_aws_ec2_eu-central-1_123456789012_instance_i-0abc")])
    }

    @Test("a non-text Id is refused with its position")
    func numericID() throws {
        let error = parseError { try parser.parse(try Fixture.input("awssecurityhub/numeric_id.json")) }
        #expect(error?.code == .invalidValue)
        #expect(error?.position == .jsonPath("$.Findings[0]"))
    }
}
