import BulwarkConnectors
import BulwarkCore
import Foundation
import Testing

/// The Security Hub connector against moto (a Security Hub implementation nobody here wrote) in
/// server mode with request authentication on: runs only when `BULWARK_MOTO_URL` names such a
/// server prepared by `Scripts/ci/moto_security_hub_setup.py` (`Scripts/ci/moto-lane.sh` does both).
/// moto 5.2.5 verifies SigV4 on GetFindings (a POST) but does not implement ListFindingAggregators
/// and rejects signed GETs when authentication is on, so this configuration validates with
/// GetFindings and turns the aggregator off; production keeps DescribeHub and aggregation.
@Suite("AWS Security Hub against moto_server", .enabled(if: ProcessInfo.processInfo.environment["BULWARK_MOTO_URL"] != nil))
struct AWSSecurityHubMotoTests {
    static let environment = ProcessInfo.processInfo.environment

    static func connector(keyID: String? = nil, secret: String? = nil) throws -> any Connector {
        let configuration = ConnectorConfiguration(
            tool: "aws_security_hub", label: "moto", location: environment["BULWARK_MOTO_URL"] ?? "", secret: secret ?? environment["BULWARK_MOTO_SECRET"] ?? "",
            extra: ["access_key_id": keyID ?? environment["BULWARK_MOTO_KEY_ID"] ?? "", "region": "us-east-1", "validation_call": "get_findings",
                    "cross_region": "off", "page_size": "2"])
        var policy = RetryPolicy()
        policy.requestTimeout = .seconds(20)
        return try ConnectorRegistry.make(configuration, transport: AsyncHTTPClientTransport.shared, policy: policy).connector
    }

    @Test("a wrong secret and an unknown key id are invalid_secret")
    func wrongKeys() async throws {
        // Given
        let wrongSecret = try Self.connector(secret: "not-the-secret")
        let unknownKey = try Self.connector(keyID: "AKIAUNKNOWNKEY000000")
        // When
        let badSecret = await #expect(throws: ConnectorError.self) { try await wrongSecret.validate() }
        let badKey = await #expect(throws: ConnectorError.self) { try await unknownKey.discover() }
        // Then
        #expect(badSecret?.code == .invalidSecret && badSecret?.status == 403)
        #expect(badKey?.code == .invalidSecret && badKey?.status == 403)
        #expect(badSecret?.description.contains("not-the-secret") == false)
    }

    @Test("the right keys give the loaded findings, paged by NextToken and routed by account and region")
    func rightKeys() async throws {
        // Given
        let connector = try Self.connector()
        // When
        try await connector.validate()
        let records = try await connector.discover()
        var findings: [String: [Finding]] = [:]
        for record in records { findings[record.externalID] = try await connector.findings(for: record) }
        // Then
        #expect(records.map(\.externalID) == ["123456789012/us-east-1", "210987654321/eu-west-1"])
        let home = findings["123456789012/us-east-1"] ?? []
        #expect(home.map(\.severity) == [.high, .medium, .low])
        #expect(home.first?.title == "S3 bucket allows public reads" && home.first?.active == true)
        #expect(home.first?.uniqueIDFromTool == "arn:aws:securityhub:us-east-1:123456789012:finding/moto-1")
        #expect(home[1].isMitigated && home[2].riskAccepted)
        let other = findings["210987654321/eu-west-1"] ?? []
        #expect(other.map(\.severity) == [.critical, .info])
        #expect(other.first?.verified == true && other.first?.active == true && other.last?.isMitigated == true)
    }
}
