import BulwarkConnectors
import BulwarkCore
import BulwarkTesting
import Foundation
import Testing

/// Tenable.io: scans as records and the asynchronous vulnerability export, against the shared
/// fixtures and small fixtures of our own for the §0.3 error rows.
@Suite("Tenable.io connector")
struct TenableIOTests {
    static let apiKeys = ("X-ApiKeys", "accessKey=acc3ss;secretKey=s3cr3t")

    static func connector(_ server: MockToolServer, secret: String = "s3cr3t", extra: [String: String] = ["access_key": "acc3ss"],
                          sleeper: RecordingSleeper = RecordingSleeper()) throws -> (any Connector, ConnectorClient) {
        let configuration = ConnectorConfiguration(tool: "tenable_io", label: "test", location: server.baseURL, secret: secret, extra: extra)
        return try ConnectorRegistry.make(configuration, transport: AsyncHTTPClientTransport.shared, policy: testPolicy(), sleeper: sleeper)
    }

    /// Our own small tenant: one scan in "My Scans", one in the trash; one export chunk with two items.
    static let scans = MockToolServer.Route("/scans", [.json("""
        {"folders":[{"id":3,"type":"main"},{"id":2,"type":"trash"}],
         "scans":[{"id":7,"uuid":"u-7","schedule_uuid":"template-aa","name":"Nightly","folder_id":3,"last_modification_date":1763446800},
                  {"id":8,"uuid":"u-8","schedule_uuid":"template-bb","name":"Deleted","folder_id":2}]}
        """)])
    static let started = MockToolServer.Route("/vulns/export", method: "POST", bodyContains: [], [.json(#"{"export_uuid":"e-1"}"#)])
    static let finished = MockToolServer.Route("/vulns/export/e-1/status", [.json(#"{"status":"FINISHED","chunks_available":[1]}"#)])
    static func item(_ plugin: Int, state: String, severity: String) -> String {
        """
        {"asset":{"uuid":"as-1","ipv4":"10.0.0.5"},"plugin":{"id":\(plugin),"name":"Plugin \(plugin)","cve":[]},
         "port":{"port":22,"protocol":"TCP"},"scan":{"schedule_uuid":"template-aa","uuid":"run-1"},"severity":"\(severity)",
         "state":"\(state)","first_found":1760000000,"last_fixed":"2026-11-20T00:00:00Z"}
        """
    }
    static let chunk = MockToolServer.Route("/vulns/export/e-1/chunks/1", [.json("[" + item(1, state: "OPEN", severity: "high") + ","
                                                                                + item(2, state: "FIXED", severity: "low") + "]")])
    static let tenant = [scans, started, finished, chunk]

    @Test("fixtures: 3 scans, the export polled until finished, chunks routed by schedule uuid with the README's counts", .enabled(if: ConnectorFixtures.available))
    func fixtures() async throws {
        // Given
        let routes = try #require(try ConnectorFixtures.tenableIO())
        let server = try await MockToolServer.start(routes: routes, auth: Self.apiKeys)
        defer { Task { try? await server.shutdown() } }
        let sleeper = RecordingSleeper()
        let (connector, _) = try Self.connector(server, extra: ["access_key": "acc3ss", "poll_seconds": "7"], sleeper: sleeper)
        // When
        try await connector.validate()
        let records = try await connector.discover()
        var counts: [String: FindingCounts] = [:], findings: [String: [Finding]] = [:]
        for record in records {
            findings[record.name] = try await connector.findings(for: record)
            counts[record.name] = FindingCounts(findings[record.name] ?? [])
        }
        // Then
        #expect(records.map(\.name) == ["DMZ weekly", "Payments agents", "Ad-hoc lab"])
        #expect(records.first?.externalID == "template-5c2d9a3e-1b4f-4e6a-8d7c-0f9e8d7c6b5a4f3e")
        #expect(counts["DMZ weekly"] == FindingCounts(total: 3, critical: 1, high: 0, medium: 1, low: 0, active: 3, verified: 0,
                                                      falsePositive: 0, riskAccepted: 0, mitigated: 0))
        #expect(counts["Payments agents"] == FindingCounts(total: 2, critical: 0, high: 1, medium: 1, low: 0, active: 0, verified: 0,
                                                           falsePositive: 0, riskAccepted: 1, mitigated: 1))
        #expect(counts["Ad-hoc lab"]?.total == 0)
        let log4j = try #require(findings["DMZ weekly"]?.first { $0.severity == .critical })
        #expect(log4j.vulnerabilityIDs == ["CVE-2021-44228"] && log4j.cvssV3Score == 10)
        #expect(log4j.endpoints.first?.host == "web-dmz-01.acme.example" && log4j.endpoints.first?.port == 8080)
        #expect(log4j.uniqueIDFromTool == "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c51:156032:8080:tcp")
        #expect(log4j.date?.description == "2026-09-09" && log4j.mitigation?.contains("2.17.1") == true)
        let fixed = try #require(findings["Payments agents"]?.first { $0.isMitigated })
        #expect(fixed.mitigated.map { CalendarDate(utcDayOf: $0).description } == "2026-11-17")
        // Then: one export, polled twice with one wait of the configured interval, each chunk fetched once
        let requests = server.requests
        #expect(requests.allSatisfy { $0.header("X-ApiKeys") == Self.apiKeys.1 })
        #expect(requests.filter { $0.method == "POST" }.count == 1)
        #expect(requests.filter { $0.path.hasSuffix("/status") }.count == 2)
        #expect(requests.filter { $0.path.contains("/chunks/") }.map(\.path).sorted()
                == ["/vulns/export/6f1c2e3d-4b5a-4c6d-8e7f-9a0b1c2d3e4f/chunks/1", "/vulns/export/6f1c2e3d-4b5a-4c6d-8e7f-9a0b1c2d3e4f/chunks/2"])
        #expect(sleeper.recorded.filter { $0 == 7 }.count == 1)
        let body = String(decoding: requests.first { $0.method == "POST" }?.body ?? [], as: UTF8.self)
        #expect(body.contains(#""num_assets":500"#))
    }

    @Test("own fixture: the trash is skipped, epoch seconds read, a pasted accessKey=…;secretKey=… secret works")
    func ownTenant() async throws {
        // Given
        let server = try await MockToolServer.start(routes: Self.tenant, auth: Self.apiKeys)
        defer { Task { try? await server.shutdown() } }
        let (connector, _) = try Self.connector(server, secret: "accessKey=acc3ss; secretKey=s3cr3t", extra: [:])
        // When
        try await connector.validate()
        let records = try await connector.discover()
        let findings = try await connector.findings(for: try #require(records.first))
        // Then
        #expect(records.map(\.name) == ["Nightly"])
        #expect(records.first?.metadata["last_modified"] == "2025-11-18T06:20:00Z")
        #expect(FindingCounts(findings) == FindingCounts(total: 2, critical: 0, high: 1, medium: 0, low: 1, active: 1, verified: 0,
                                                         falsePositive: 0, riskAccepted: 0, mitigated: 1))
        #expect(findings.first?.date?.description == "2025-10-09")
        #expect(findings.first?.endpoints.first?.host == "10.0.0.5")
    }

    @Test("a chunk listed while the export is still processing is downloaded then, and only once")
    func chunksAsTheyAppear() async throws {
        // Given: the first poll lists chunk 1, the second lists chunks 1 and 2 and FINISHED
        let second = MockToolServer.Route("/vulns/export/e-1/chunks/2", [.json("[" + Self.item(3, state: "OPEN", severity: "critical") + "]")])
        let status = MockToolServer.Route("/vulns/export/e-1/status", [.json(#"{"status":"PROCESSING","chunks_available":[1]}"#),
                                                                     .json(#"{"status":"FINISHED","chunks_available":[1,2]}"#)])
        let server = try await MockToolServer.start(routes: [Self.scans, Self.started, status, Self.chunk, second], auth: Self.apiKeys)
        defer { Task { try? await server.shutdown() } }
        // When
        let findings = try await Self.connector(server).0.findings(for: DiscoveredRecord(externalID: "template-aa", name: "Nightly"))
        // Then
        #expect(findings.count == 3)
        let paths = server.requests.map(\.path).filter { !$0.hasPrefix("/scans") }
        #expect(paths == ["/vulns/export", "/vulns/export/e-1/status", "/vulns/export/e-1/chunks/1", "/vulns/export/e-1/status",
                          "/vulns/export/e-1/chunks/2"])
    }

    @Test("401 is invalid_secret; a missing access key is a configuration error; 403 is forbidden naming the role")
    func authentication() async throws {
        // Given
        let server = try await MockToolServer.start(routes: Self.tenant, auth: Self.apiKeys)
        defer { Task { try? await server.shutdown() } }
        // When
        let wrong = await #expect(throws: ConnectorError.self) { try await Self.connector(server, secret: "wrong").0.validate() }
        let missing = await #expect(throws: ConnectorError.self) { try await Self.connector(server, extra: [:]).0.validate() }
        server.prepend([MockToolServer.Route("/vulns/export", method: "POST", bodyContains: [], [.json(#"{"error":"forbidden"}"#, status: 403)])])
        let denied = await #expect(throws: ConnectorError.self) {
            try await Self.connector(server).0.findings(for: DiscoveredRecord(externalID: "template-aa", name: "Nightly"))
        }
        // Then
        #expect(wrong?.code == .invalidSecret && wrong?.description.contains("wrong") == false)
        #expect(missing?.code == .configuration)
        #expect(denied?.code == .forbidden && denied?.message.contains("export") == true && denied?.call == "POST /vulns/export")
    }

    @Test("429 with Retry-After waits that long; 5xx on a chunk is retried four times; 404 on a chunk fails the record")
    func retries() async throws {
        // Given
        let server = try await MockToolServer.start(routes: Self.tenant, auth: Self.apiKeys)
        defer { Task { try? await server.shutdown() } }
        server.prepend([MockToolServer.Route("/vulns/export/e-1/status", [.json("{}", status: 429, headers: [("Retry-After", "3")]),
                                                                          Self.finished.replies[0]])])
        let sleeper = RecordingSleeper()
        let (connector, client) = try Self.connector(server, sleeper: sleeper)
        let record = DiscoveredRecord(externalID: "template-aa", name: "Nightly")
        // When
        let findings = try await connector.findings(for: record)
        // Then
        let retries = await client.retries
        #expect(findings.count == 2 && sleeper.recorded.contains(3) && retries == 1)
        // Given: a chunk that keeps failing, then one that vanished
        server.prepend([MockToolServer.Route("/vulns/export/e-1/chunks/1", [.json("{}", status: 502)])])
        let (failing, failingClient) = try Self.connector(server)
        let serverError = await #expect(throws: ConnectorError.self) { try await failing.findings(for: record) }
        server.prepend([MockToolServer.Route("/vulns/export/e-1/chunks/1", [.json("{}", status: 404)])])
        let notFound = await #expect(throws: ConnectorError.self) { try await Self.connector(server).0.findings(for: record) }
        // Then
        #expect(serverError?.code == .serverError && serverError?.call == "GET /vulns/export/{uuid}/chunks/{chunk}")
        #expect(await failingClient.retries == 4)  // the status route's 429 again (prepending resets the mock), three chunk retries
        #expect(notFound?.code == .notFound)
    }

    @Test("a malformed chunk is a parse error naming the call; an export in ERROR, with failed chunks, or never finishing fails")
    func exportFailures() async throws {
        // Given
        let server = try await MockToolServer.start(routes: Self.tenant, auth: Self.apiKeys)
        defer { Task { try? await server.shutdown() } }
        let record = DiscoveredRecord(externalID: "template-aa", name: "Nightly")
        func failure(_ status: String? = nil, chunk: String? = nil, extra: [String: String] = [:]) async -> ConnectorError? {
            var routes = Self.tenant
            if let status { routes.insert(MockToolServer.Route("/vulns/export/e-1/status", [.json(status)]), at: 0) }
            if let chunk { routes.insert(MockToolServer.Route("/vulns/export/e-1/chunks/1", [.json(chunk)]), at: 0) }
            server.setRoutes(routes)
            do {
                _ = try await Self.connector(server, extra: ["access_key": "acc3ss"].merging(extra) { $1 }).0.findings(for: record)
                return nil
            } catch {
                return error as? ConnectorError
            }
        }
        // When
        let malformed = await failure(chunk: #"{"not":"a list"}"#)
        let errored = await failure(#"{"status":"ERROR","chunks_available":[]}"#)
        let failedChunks = await failure(#"{"status":"PROCESSING","chunks_available":[],"chunks_failed":[4]}"#)
        let endless = await failure(#"{"status":"PROCESSING","chunks_available":[]}"#, extra: ["poll_seconds": "60", "max_wait_minutes": "5"])
        // Then
        #expect(malformed?.code == .parse && malformed?.call == "GET /vulns/export/{uuid}/chunks/{chunk}")
        #expect(errored?.code == .error && errored?.message.contains("ERROR") == true)
        #expect(failedChunks?.message.contains("incomplete") == true)
        #expect(endless?.message.contains("did not finish within 5 minutes") == true)
        let polls = server.requests.filter { $0.path.hasSuffix("/status") }.count
        #expect(polls == 9)  // one each for the three failures that end at once, six for the export that never finishes
    }

    @Test("a refused connection is unreachable")
    func refused() async throws {
        let configuration = ConnectorConfiguration(tool: "tenable_io", label: "t", location: "http://127.0.0.1:1", secret: "s",
                                                   extra: ["access_key": "a"])
        var policy = testPolicy()
        policy.requestTimeout = .seconds(1)  // a refused connect is retried by the HTTP client until the deadline
        let connector = try ConnectorRegistry.make(configuration, transport: AsyncHTTPClientTransport.shared, policy: policy,
                                                   sleeper: RecordingSleeper()).connector
        let error = await #expect(throws: ConnectorError.self) { try await connector.validate() }
        #expect(error?.code == .unreachable)
    }
}
