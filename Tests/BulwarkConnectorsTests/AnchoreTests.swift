import BulwarkConnectors
import BulwarkCore
import BulwarkTesting
import Foundation
import Testing

/// Anchore Enterprise: applications as records, their latest version's images' vulnerabilities as
/// findings, against the shared fixtures and small fixtures of our own for the §0.3 error rows.
@Suite("Anchore Enterprise connector")
struct AnchoreTests {
    static let basic = ("Authorization", "Basic " + Data("_api_key:s3cr3t-key".utf8).base64EncodedString())

    static func connector(_ server: MockToolServer, secret: String = "s3cr3t-key", extra: [String: String] = [:],
                          sleeper: RecordingSleeper = RecordingSleeper()) throws -> (any Connector, ConnectorClient) {
        let configuration = ConnectorConfiguration(tool: "anchore", label: "test", location: server.baseURL, secret: secret, extra: extra)
        return try ConnectorRegistry.make(configuration, transport: AsyncHTTPClientTransport.shared, policy: testPolicy(), sleeper: sleeper)
    }

    /// Our own: one application (a bare-array envelope) with two versions; the newer one has two tags of one repository.
    static let applications = MockToolServer.Route("/v2/applications", [.json("""
        [{"application_id":"app-1","name":"shop","application_versions":[
          {"application_version_id":"v-old","version_name":"1","created_at":"2026-01-01T00:00:00Z"},
          {"application_version_id":"v-new","version_name":"2","created_at":"2026-06-01T00:00:00Z"}]}]
        """)])
    static let artifacts = MockToolServer.Route("/v2/applications/app-1/versions/v-new/artifacts", [.json("""
        {"items":[{"artifact_type":"image","image":{"image_digest":"sha256:aa","tag":"registry.example:5000/shop/web:2.0"}},
                  {"artifact_type":"image","image":{"image_digest":"sha256:bb","tag":"registry.example:5000/shop/web:2.0-debug"}},
                  {"artifact_type":"source","source":{"uuid":"s-1"}}]}
        """)])
    static func report(_ digest: String) -> MockToolServer.Route {
        MockToolServer.Route("/v2/images/sha256:\(digest)/vuln/all", [.json("""
            {"image_digest":"sha256:\(digest)","vulnerabilities":[
             {"vuln":"CVE-2026-1111","severity":"Unknown","package_name":"zlib","package_version":"1.2","package_path":"pkgdb","fix":"None",
              "will_not_fix":true,"nvd_data":[{"id":"CVE-2026-1111","cvss_v3":{"base_score":-1}}],"detected_at":"2026-06-02T00:00:00Z"}]}
            """)])
    }
    static let shop = [applications, artifacts, report("aa"), report("bb")]

    @Test("fixtures: 2 applications, their images' vulnerabilities with the README's counts", .enabled(if: ConnectorFixtures.available))
    func fixtures() async throws {
        // Given
        let routes = try #require(try ConnectorFixtures.anchore())
        let server = try await MockToolServer.start(routes: routes, auth: Self.basic)
        defer { Task { try? await server.shutdown() } }
        let (connector, _) = try Self.connector(server)
        // When
        try await connector.validate()
        let records = try await connector.discover()
        var counts: [String: FindingCounts] = [:], findings: [String: [Finding]] = [:]
        for record in records {
            findings[record.name] = try await connector.findings(for: record)
            counts[record.name] = FindingCounts(findings[record.name] ?? [])
        }
        // Then
        #expect(records.map(\.name) == ["payments", "inventory"])
        #expect(records.first?.externalID == "5f0c8e7a-2b1d-4c3e-9f8a-7b6c5d4e3f21")
        #expect(counts["payments"] == FindingCounts(total: 4, critical: 1, high: 1, medium: 1, low: 0, active: 4, verified: 0,
                                                    falsePositive: 0, riskAccepted: 0, mitigated: 0))
        #expect(counts["inventory"] == FindingCounts(total: 2, critical: 1, high: 0, medium: 0, low: 1, active: 2, verified: 0,
                                                     falsePositive: 0, riskAccepted: 0, mitigated: 0))
        let log4j = try #require(findings["payments"]?.first { $0.vulnerabilityIDs.first == "CVE-2021-44228" })
        #expect(log4j.title == "CVE-2021-44228 - log4j-core 2.14.1")
        #expect(log4j.componentName == "log4j-core" && log4j.componentVersion == "2.14.1" && log4j.fixVersion == "2.15.0")
        #expect(log4j.mitigation?.lowercased().contains("upgrade to 2.15.0") == true && log4j.cvssV3Score == 10)
        #expect(log4j.filePath == "/opt/app/lib/log4j-core-2.14.1.jar" && log4j.staticFinding)
        #expect(log4j.uniqueIDFromTool == "registry.acme.example/payments/api:CVE-2021-44228:log4j-core:/opt/app/lib/log4j-core-2.14.1.jar")
        let tar = try #require(findings["payments"]?.first { $0.componentName == "tar" })
        #expect(tar.severity == .info && tar.active && !tar.riskAccepted && tar.filePath == nil && tar.mitigation == nil)
        let requests = server.requests
        #expect(requests.allSatisfy { $0.header("Authorization") == Self.basic.1 })
        #expect(requests.contains { $0.path == "/v2/applications" && $0.query["include_versions"] == ["true"] })
        #expect(requests.filter { $0.path.hasSuffix("/vuln/all") }.count == 3)
    }

    @Test("own fixture: the latest version is read, images of one repository share identities, will_not_fix as risk accepted on request")
    func latestVersionAndOptions() async throws {
        // Given
        let server = try await MockToolServer.start(routes: Self.shop, auth: Self.basic)
        defer { Task { try? await server.shutdown() } }
        // When
        let record = try #require(try await Self.connector(server).0.discover().first)
        let plain = try await Self.connector(server).0.findings(for: record)
        let accepted = try await Self.connector(server, extra: ["will_not_fix": "risk_accepted"]).0
            .findings(for: DiscoveredRecord(externalID: "app-1", name: "shop"))
        // Then
        #expect(record.metadata["version_id"] == "v-new")
        #expect(plain.count == 1 && plain.first?.severity == .info && plain.first?.active == true)
        #expect(plain.first?.uniqueIDFromTool == "registry.example:5000/shop/web:CVE-2026-1111:zlib:pkgdb")
        #expect(plain.first?.cvssV3Score == nil)
        #expect(accepted.first?.riskAccepted == true && accepted.first?.active == false)
        #expect(server.requests.filter { $0.path.hasSuffix("/vuln/all") }.count == 4)
    }

    @Test("user credentials and an account header; 401 is invalid_secret; 403 is forbidden")
    func authentication() async throws {
        // Given
        let user = ("Authorization", "Basic " + Data("admin:pa55".utf8).base64EncodedString())
        let server = try await MockToolServer.start(routes: Self.shop, auth: user)
        defer { Task { try? await server.shutdown() } }
        // When
        try await Self.connector(server, secret: "pa55", extra: ["username": "admin", "account": "acme"]).0.validate()
        let wrong = await #expect(throws: ConnectorError.self) { try await Self.connector(server).0.validate() }
        server.setAuth(nil)
        server.prepend([MockToolServer.Route("/v2/images/sha256:aa/vuln/all", [.json(#"{"message":"Not authorized"}"#, status: 403)])])
        let denied = await #expect(throws: ConnectorError.self) {
            try await Self.connector(server).0.findings(for: DiscoveredRecord(externalID: "app-1", name: "shop", metadata: ["version_id": "v-new"]))
        }
        // Then
        #expect(server.requests.first?.header("x-anchore-account") == "acme")
        #expect(wrong?.code == .invalidSecret && wrong?.description.contains("s3cr3t") == false)
        #expect(denied?.code == .forbidden && denied?.message.contains("read access") == true)
    }

    @Test("404 on a record fails it as not_found; 429 waits Retry-After; 5xx retried then fails; a wrong shape names the call")
    func errorRows() async throws {
        // Given
        let server = try await MockToolServer.start(routes: Self.shop, auth: Self.basic)
        defer { Task { try? await server.shutdown() } }
        let record = DiscoveredRecord(externalID: "app-1", name: "shop", metadata: ["version_id": "v-new"])
        // When: the application vanished
        let gone = await #expect(throws: ConnectorError.self) {
            try await Self.connector(server).0.findings(for: DiscoveredRecord(externalID: "app-9", name: "x", metadata: ["version_id": "v"]))
        }
        let gone2 = await #expect(throws: ConnectorError.self) {
            try await Self.connector(server).0.findings(for: DiscoveredRecord(externalID: "app-9", name: "x"))
        }
        // When: rate limited once
        server.prepend([MockToolServer.Route("/v2/images/sha256:aa/vuln/all", [.json("{}", status: 429, headers: [("Retry-After", "2")]),
                                                                               Self.report("aa").replies[0]])])
        let sleeper = RecordingSleeper()
        let limited = try await Self.connector(server, sleeper: sleeper).0.findings(for: record)
        // When: a server error that stays, then a body of the wrong shape
        server.prepend([MockToolServer.Route("/v2/images/sha256:bb/vuln/all", [.json("{}", status: 500)])])
        let (failing, failingClient) = try Self.connector(server)
        let serverError = await #expect(throws: ConnectorError.self) { try await failing.findings(for: record) }
        server.prepend([MockToolServer.Route("/v2/images/sha256:bb/vuln/all", [.json(#"{"vulnerabilities":{"vuln":1}}"#)])])
        let parse = await #expect(throws: ConnectorError.self) { try await Self.connector(server).0.findings(for: record) }
        // Then
        #expect(gone?.code == .notFound && gone2?.code == .notFound)
        #expect(limited.count == 1 && sleeper.recorded.contains(2))
        let failingRetries = await failingClient.retries
        #expect(serverError?.code == .serverError && failingRetries >= 3)
        #expect(parse?.code == .parse && parse?.call == "GET /v2/images/{image_digest}/vuln/all")
    }

    @Test("a refused connection is unreachable")
    func refused() async throws {
        let configuration = ConnectorConfiguration(tool: "anchore", label: "t", location: "http://127.0.0.1:1", secret: "s")
        var policy = testPolicy()
        policy.requestTimeout = .seconds(1)  // a refused connect is retried by the HTTP client until the deadline
        let connector = try ConnectorRegistry.make(configuration, transport: AsyncHTTPClientTransport.shared, policy: policy,
                                                   sleeper: RecordingSleeper()).connector
        let error = await #expect(throws: ConnectorError.self) { try await connector.validate() }
        #expect(error?.code == .unreachable)
    }
}
