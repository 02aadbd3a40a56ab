import BulwarkConnectors
import BulwarkCore
import BulwarkTesting
import Foundation
import Testing

/// AWS Security Hub against a loopback mock that checks every SigV4 signature with the known
/// secret: the shared fixtures' records and counts, and the §0.3 error rows on small fixtures of our own.
@Suite("AWS Security Hub connector")
struct AWSSecurityHubTests {
    static let keyID = "AKIDEXAMPLE"
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

    static func start(_ routes: [MockToolServer.Route], invalidSignatureBody: [UInt8]? = nil) async throws -> MockToolServer {
        try await MockToolServer.start(routes: routes, verifier: ConnectorSigV4Check.verifier(
            accessKeyID: keyID, secret: secret, region: "us-east-1", service: "securityhub", invalidSignatureBody: invalidSignatureBody))
    }

    static func connector(_ server: MockToolServer, secret: String = secret, keyID: String = keyID, extra: [String: String] = [:],
                          sleeper: RecordingSleeper = RecordingSleeper()) throws -> (any Connector, ConnectorClient) {
        let configuration = ConnectorConfiguration(tool: "aws_security_hub", label: "test", location: server.baseURL, secret: secret,
                                                   extra: ["access_key_id": keyID, "region": "us-east-1"].merging(extra) { $1 })
        return try ConnectorRegistry.make(configuration, transport: AsyncHTTPClientTransport.shared, policy: testPolicy(), sleeper: sleeper)
    }

    /// One small hub of our own: one finding in 111122223333/us-east-1.
    static let hub = MockToolServer.Route("/accounts", [.json(#"{"HubArn":"arn:aws:securityhub:us-east-1:111122223333:hub/default"}"#)])
    static let noAggregator = MockToolServer.Route("/findingAggregator/list", [.json(#"{"FindingAggregators":[]}"#)])
    static let onePage = MockToolServer.Route("/findings", method: "POST", bodyContains: [], [.json("""
        {"Findings":[{"Id":"arn:aws:securityhub:us-east-1:111122223333:finding/1","AwsAccountId":"111122223333","Region":"us-east-1",
          "Title":"Root user has access keys","Severity":{"Normalized":75},"Workflow":{"Status":"NEW"},"RecordState":"ACTIVE",
          "GeneratorId":"security-control/IAM.4","FirstObservedAt":"2026-10-01T00:00:00Z"}]}
        """)])

    @Test("fixtures: 4 account/region records, the README's counts, every request signed", .enabled(if: ConnectorFixtures.available))
    func fixtures() async throws {
        // Given
        let routes = try #require(try ConnectorFixtures.awsSecurityHub())
        let server = try await Self.start(routes)
        defer { Task { try? await server.shutdown() } }
        let (connector, _) = try Self.connector(server)
        // When
        try await connector.validate()
        let records = try await connector.discover()
        var counts: [String: FindingCounts] = [:], findings: [String: [Finding]] = [:]
        for record in records {
            findings[record.externalID] = try await connector.findings(for: record)
            counts[record.externalID] = FindingCounts(findings[record.externalID] ?? [])
        }
        // Then
        #expect(records.map(\.externalID) == ["123456789012/us-east-1", "123456789012/us-west-2", "123456789012/eu-west-1", "210987654321/eu-west-1"])
        #expect(records.first?.name == "AWS 123456789012 us-east-1")
        #expect(counts["123456789012/us-east-1"] == FindingCounts(total: 2, critical: 0, high: 1, medium: 1, low: 0, active: 1, verified: 0,
                                                                  falsePositive: 0, riskAccepted: 0, mitigated: 1))
        #expect(counts["123456789012/us-west-2"] == FindingCounts(total: 2, critical: 1, high: 0, medium: 0, low: 1, active: 1, verified: 1,
                                                                  falsePositive: 0, riskAccepted: 1, mitigated: 0))
        #expect(counts["123456789012/eu-west-1"]?.total == 0)
        #expect(counts["210987654321/eu-west-1"] == FindingCounts(total: 1, critical: 0, high: 0, medium: 0, low: 0, active: 0, verified: 0,
                                                                  falsePositive: 0, riskAccepted: 0, mitigated: 1))
        let log4j = try #require(findings["123456789012/us-west-2"]?.first { $0.severity == .critical })
        #expect(log4j.componentName == "log4j-core" && log4j.componentVersion == "2.14.1" && log4j.fixVersion == "2.17.1")
        #expect(log4j.mitigation?.contains("2.17.1") == true && log4j.vulnerabilityIDs == ["CVE-2021-44228"] && log4j.cvssV3Score == 10)
        #expect(log4j.uniqueIDFromTool == "arn:aws:inspector2:us-west-2:123456789012:finding/4f3e2d1c0b9a8f7e6d5c4b3a29181716")
        let passed = try #require(findings["123456789012/us-east-1"]?.first { $0.isMitigated })
        #expect(passed.mitigated.map { CalendarDate(utcDayOf: $0).description } == "2026-11-12")
        #expect(findings["123456789012/us-east-1"]?.first { $0.active }?.date?.description == "2026-10-01")
        // Then: every request passed the mock's signature check; the aggregator ARN went encoded into the path; one listing for all records
        let requests = server.requests
        #expect(requests.allSatisfy { $0.header("Authorization")?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") == true })
        #expect(requests.allSatisfy { $0.header("X-Amz-Date") != nil })
        #expect(requests.contains { $0.uri.hasPrefix("/findingAggregator/get/arn%3Aaws%3Asecurityhub%3Aus-east-1%3A123456789012%3Afinding-aggregator/") })
        #expect(requests.filter { $0.method == "POST" }.count == 2)
        let body = try #require(requests.first { $0.method == "POST" }.map { String(decoding: $0.body, as: UTF8.self) })
        #expect(body.contains(#""MaxResults":100"#) && body.contains(#""UpdatedAt":[{"DateRange":{"Unit":"DAYS","Value":90}}]"#))
        #expect(requests.allSatisfy { $0.header("Authorization")?.contains(Self.secret) == false })
    }

    @Test("a wrong secret is 403 InvalidSignatureException and an unknown key id UnrecognizedClientException: both invalid_secret")
    func invalidSecret() async throws {
        // Given
        let server = try await Self.start([Self.hub, Self.noAggregator, Self.onePage],
                                          invalidSignatureBody: try ConnectorFixtures.awsError("error_403_invalid_signature.json", status: 403,
                                                                                               type: "InvalidSignatureException")?.body)
        defer { Task { try? await server.shutdown() } }
        // When
        let badSecret = await #expect(throws: ConnectorError.self) { try await Self.connector(server, secret: "wrong-secret").0.validate() }
        let badKey = await #expect(throws: ConnectorError.self) { try await Self.connector(server, keyID: "AKIDUNKNOWN").0.validate() }
        // Then
        #expect(badSecret?.code == .invalidSecret && badSecret?.status == 403)
        #expect(badSecret?.message.contains("InvalidSignatureException") == true)
        #expect(badSecret?.description.contains("wrong-secret") == false)
        #expect(badKey?.code == .invalidSecret && badKey?.message.contains("UnrecognizedClientException") == true)
        #expect(server.requests.count == 2)
    }

    @Test("403 AccessDeniedException is forbidden naming the IAM actions; 401 InvalidAccessException says Security Hub is off")
    func forbidden() async throws {
        // Given
        let denied = MockToolServer.Reply.json(#"{"message":"not authorized to perform: securityhub:GetFindings"}"#, status: 403,
                                               headers: [("x-amzn-ErrorType", "AccessDeniedException")])
        let disabled = MockToolServer.Reply.json(#"{"message":"Account is not subscribed to AWS Security Hub"}"#, status: 401,
                                                 headers: [("x-amzn-ErrorType", "InvalidAccessException")])
        let server = try await Self.start([Self.hub, Self.noAggregator, MockToolServer.Route("/findings", method: "POST", bodyContains: [], [denied]),
                                           MockToolServer.Route("/findingAggregator/get/x", [disabled])])
        defer { Task { try? await server.shutdown() } }
        let (connector, _) = try Self.connector(server)
        // When
        let error = await #expect(throws: ConnectorError.self) {
            try await connector.findings(for: DiscoveredRecord(externalID: "111122223333/us-east-1", name: "x"))
        }
        let off = await #expect(throws: ConnectorError.self) {
            try await Self.connector(server, extra: ["validation_call": "describe_hub"]).1.get("/findingAggregator/get/x", call: "GetFindingAggregator")
        }
        // Then
        #expect(error?.code == .forbidden && error?.message.contains("securityhub:GetFindings") == true && error?.call == "GetFindings")
        #expect(off?.code == .error && off?.message.contains("not enabled") == true)
    }

    @Test("no aggregator: records are the hub's own pair and the pairs seen; findings route by account and region")
    func withoutAggregator() async throws {
        // Given
        let server = try await Self.start([Self.hub, Self.noAggregator, Self.onePage])
        defer { Task { try? await server.shutdown() } }
        let (connector, _) = try Self.connector(server)
        // When
        let records = try await connector.discover()
        let findings = try await connector.findings(for: try #require(records.first))
        // Then
        #expect(records.map(\.externalID) == ["111122223333/us-east-1"])
        #expect(findings.map(\.severity) == [.high] && findings.first?.active == true)
        #expect(server.requests.filter { $0.method == "POST" }.count == 1)
    }

    @Test("429 TooManyRequestsException backs off and retries; 5xx is retried four times then fails the record")
    func throttlingAndServerErrors() async throws {
        // Given
        let throttled = try ConnectorFixtures.awsError("error_429_throttled.json", status: 429, type: "TooManyRequestsException")
            ?? .json(#"{"message":"Rate exceeded"}"#, status: 429, headers: [("x-amzn-ErrorType", "TooManyRequestsException")])
        let page = Self.onePage.replies[0]
        let server = try await Self.start([Self.hub, Self.noAggregator,
                                           MockToolServer.Route("/findings", method: "POST", bodyContains: [], [throttled, page])])
        defer { Task { try? await server.shutdown() } }
        let sleeper = RecordingSleeper()
        let (connector, client) = try Self.connector(server, sleeper: sleeper)
        // When
        let records = try await connector.discover()
        // Then
        #expect(records.count == 1)
        #expect(await client.retries == 1)
        #expect(sleeper.recorded.contains { $0 >= 0.8 && $0 <= 1.2 })
        // Given: a server that keeps failing
        server.setRoutes([Self.hub, MockToolServer.Route("/findings", method: "POST", bodyContains: [], [.json("{}", status: 503)])])
        let (failing, failingClient) = try Self.connector(server)
        // When
        let error = await #expect(throws: ConnectorError.self) {
            try await failing.findings(for: DiscoveredRecord(externalID: "111122223333/us-east-1", name: "x"))
        }
        // Then
        #expect(error?.code == .serverError && error?.call == "GetFindings")
        #expect(await failingClient.requestsSent == 4)
    }

    @Test("404 fails the record as not_found; a wrongly shaped page is a parse error naming GetFindings")
    func notFoundAndParse() async throws {
        // Given
        let server = try await Self.start([Self.hub, MockToolServer.Route("/findings", method: "POST", bodyContains: [], [.json("{}", status: 404)])])
        defer { Task { try? await server.shutdown() } }
        let record = DiscoveredRecord(externalID: "111122223333/us-east-1", name: "x")
        // When
        let missing = await #expect(throws: ConnectorError.self) { try await Self.connector(server).0.findings(for: record) }
        server.setRoutes([MockToolServer.Route("/findings", method: "POST", bodyContains: [], [.json(#"{"Findings":{"Id":1}}"#)])])
        let malformed = await #expect(throws: ConnectorError.self) { try await Self.connector(server).0.findings(for: record) }
        // Then
        #expect(missing?.code == .notFound)
        #expect(malformed?.code == .parse && malformed?.call == "GetFindings" && malformed?.message.contains("Findings") == true)
    }

    @Test("a refused connection is unreachable")
    func refused() async throws {
        let configuration = ConnectorConfiguration(tool: "aws_security_hub", label: "t", location: "http://127.0.0.1:1", secret: "s",
                                                   extra: ["access_key_id": "AKID", "region": "us-east-1"])
        var policy = testPolicy()
        policy.requestTimeout = .seconds(1)  // a refused connect is retried by the HTTP client until the deadline
        let connector = try ConnectorRegistry.make(configuration, transport: AsyncHTTPClientTransport.shared, policy: policy,
                                                   sleeper: RecordingSleeper()).connector
        let error = await #expect(throws: ConnectorError.self) { try await connector.validate() }
        #expect(error?.code == .unreachable)
    }

    @Test("NextToken paging stops on a repeated token; the session token is sent; get_findings validation skips the GET calls")
    func pagingTokenAndOptions() async throws {
        // Given: a page that always names the same NextToken
        let looping = MockToolServer.Route("/findings", method: "POST", bodyContains: [], [.json(#"{"Findings":[],"NextToken":"again"}"#)])
        let server = try await Self.start([looping])
        defer { Task { try? await server.shutdown() } }
        let (connector, _) = try Self.connector(server, extra: ["validation_call": "get_findings", "session_token": "FQoGZXIvYXdzEXAMPLE"])
        // When
        try await connector.validate()
        let records = try await connector.discover()
        // Then
        #expect(records.isEmpty)
        #expect(server.requests.allSatisfy { $0.method == "POST" })
        #expect(server.requests.count == 3)  // validate, then the first page and the page that repeats the token
        #expect(server.requests.allSatisfy { $0.header("X-Amz-Security-Token") == "FQoGZXIvYXdzEXAMPLE" })
        #expect(server.requests.allSatisfy { $0.header("Authorization")?.contains("x-amz-security-token") == true })
    }

    @Test("descriptor: region from the location, required extra fields")
    func descriptor() {
        #expect(ConnectorRegistry.missingExtra(tool: "aws_security_hub", location: "https://securityhub.eu-central-1.amazonaws.com", extra: [:])
                == ["access_key_id"])
        #expect(ConnectorRegistry.missingExtra(tool: "aws_security_hub", location: "http://127.0.0.1:9", extra: ["access_key_id": "A"]) == ["region"])
        #expect(ConnectorRegistry.descriptor(for: "aws_security_hub")?.permissions.contains("securityhub:GetFindings") == true)
    }
}
