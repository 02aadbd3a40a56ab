import BulwarkConnectors
import BulwarkCore
import BulwarkTesting
import Foundation
import Testing

@Suite("Checkmarx ONE connector", .enabled(if: ConnectorFixtures.available))
struct CheckmarxOneTests {
    static let paymentsID = "2f1e0d9c-8b7a-4654-9382-7160a5b4c3d2", inventoryID = "6a5b4c3d-2e1f-4091-8273-6554a3b2c1d0"
    static let accessToken = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0ZW5hbnRfbmFtZSI6ImFjbWUifQ.c2lnbmF0dXJl"
    static let extra = ["tenant": "acme", "page_size": "3"]

    @Test("2 projects; the latest completed scan's results over 2 pages with the README's counts; requests and token")
    func fixtures() async throws {
        // Given
        let routes = try #require(try ConnectorFixtures.checkmarxOne())
        // When
        let result = try await ToolRun.run("checkmarx_one", routes: routes, auth: ("Authorization", "Bearer \(Self.accessToken)")) {
            Self.extra.merging(["iam_url": $0]) { $1 }
        }
        // Then
        #expect(result.records.map(\.name) == ["acme/payments-api", "acme/inventory-web"])
        #expect(result.counts[Self.paymentsID] == FindingCounts(total: 4, critical: 1, high: 1, medium: 1, low: 1, active: 3, verified: 1,
                                                                 falsePositive: 1, riskAccepted: 0, mitigated: 0))
        #expect(result.counts[Self.inventoryID] == FindingCounts(total: 1, critical: 1, high: 0, medium: 0, low: 0, active: 1, verified: 1,
                                                                  falsePositive: 0, riskAccepted: 0, mitigated: 0))
        let payments = result.findings[Self.paymentsID] ?? []
        let sqli = try #require(payments.first { $0.uniqueIDFromTool == "sast:-1781066682" })
        #expect(sqli.severity == .high && sqli.cwe == 89 && sqli.line == 80 && sqli.filePath == "src/main/java/com/acme/pay/OrderDao.java")
        #expect(sqli.title == "SQL Injection in src/main/java/com/acme/pay/OrderDao.java")
        #expect(sqli.vulnIDFromTool == "14517067005933136034")
        #expect(sqli.date?.description == "2026-09-14")
        let log4j = try #require(payments.first { $0.uniqueIDFromTool == "sca:CVE-2021-44228" })
        #expect(log4j.severity == .critical && log4j.verified && log4j.cwe == 502)
        #expect(log4j.componentName == "org.apache.logging.log4j:log4j-core" && log4j.componentVersion == "2.14.1")
        #expect(log4j.mitigation?.contains("2.17.1") == true && log4j.vulnerabilityIDs == ["CVE-2021-44228"])
        let kics = try #require(payments.first { $0.tags == ["kics"] })
        #expect(kics.falsePositive && !kics.active && kics.filePath == "deploy/k8s/deployment.yaml" && kics.line == 27)
        #expect(payments.contains { $0.title.hasPrefix("Log Forging") && $0.active && !$0.verified })
        let requests = result.server.requests
        let token = try #require(requests.first)
        #expect(token.method == "POST" && token.path == "/auth/realms/acme/protocol/openid-connect/token")
        #expect(token.bodyFields == ["grant_type": "refresh_token", "client_id": "ast-app", "refresh_token": "s3cr3t-token"])
        #expect(requests.filter { $0.method == "POST" }.count == 1, "the access token is cached")
        let api = requests.filter { $0.path.hasPrefix("/api/") }
        #expect(api.allSatisfy { $0.header("Authorization") == "Bearer \(Self.accessToken)" && $0.header("Accept") == "application/json; version=1.0" })
        #expect(api.contains { $0.path == "/api/scans/" && $0.query["project-id"] == [Self.paymentsID] && $0.query["statuses"] == ["Completed"] })
        #expect(api.contains { $0.path == "/api/results/" && $0.query["offset"] == ["3"] && $0.query["limit"] == ["3"] })
    }

    @Test("every §0.3 error row")
    func errorRows() async throws {
        let routes = try #require(try ConnectorFixtures.checkmarxOne())
        let scan = "b7c6d5e4-f3a2-4b1c-9d0e-8f7a6b5c4d3e"
        let page1 = try #require(routes.first { $0.query["scan-id"] == scan && $0.query["offset"] == "0" })
        try await ErrorRowScenario(
            tool: "checkmarx_one", routes: routes, auth: ("Authorization", "Bearer \(Self.accessToken)"), extra: Self.extra,
            hostExtra: { ["iam_url": $0] }, recordID: Self.paymentsID,
            findingsRoute: { MockToolServer.Route("/api/results/", query: ["scan-id": scan, "offset": "0"], $0) },
            findingsReply: try #require(page1.replies.first), findingsCall: "GET /api/results/", permissionWord: "view-results"
        ).check()
    }

    @Test("no completed scan: nothing to import (not a failure, nothing closed); a branch pins the scan query")
    func noScan() async throws {
        // Given
        let routes = try #require(try ConnectorFixtures.checkmarxOne())
        let server = try await MockToolServer.start(routes: routes, auth: ("Authorization", "Bearer \(Self.accessToken)"))
        defer { Task { try? await server.shutdown() } }
        server.prepend([MockToolServer.Route("/api/scans/", query: ["project-id": Self.inventoryID], [.json(#"{"totalCount":0,"scans":[]}"#)])])
        let connector = try ConnectorRegistry.make(
            configuration("checkmarx_one", location: server.baseURL, extra: ["tenant": "acme", "iam_url": server.baseURL, "branch": "release/1.2"]),
            transport: AsyncHTTPClientTransport.shared, policy: testPolicy(), sleeper: RecordingSleeper()).connector
        // When
        let error = await #expect(throws: ConnectorError.self) {
            try await connector.findings(for: DiscoveredRecord(externalID: Self.inventoryID, name: "acme/inventory-web"))
        }
        // Then
        #expect(error?.code == .nothingToImport)
        #expect(error?.stopsOperation == false)
        #expect(server.requests.contains { $0.path == "/api/scans/" && $0.query["branch"] == ["release/1.2"] })
    }

    @Test("the IAM host follows the region; ids beyond Int64 and CWE strings decode")
    func iamAndDecoding() throws {
        func iam(_ location: String, _ extra: [String: String] = [:]) -> String {
            CheckmarxOneConnector.iamURL(ConnectorConfiguration(tool: "checkmarx_one", label: "x", location: location, secret: "s", extra: extra))
        }
        #expect(iam("https://ast.checkmarx.net/") == "https://iam.checkmarx.net")
        #expect(iam("https://eu-2.ast.checkmarx.net") == "https://eu-2.iam.checkmarx.net")
        #expect(iam("https://eu.ast.checkmarx.net", ["iam_url": "https://custom.example/"]) == "https://custom.example")
        struct Box: Decodable { var values: [NumberOrString] }
        let box = try JSONDecoder().decode(Box.self, from: Data(#"{"values":[14517067005933136034, 89, "CWE-502", ""]}"#.utf8))
        #expect(box.values.map(\.text) == ["14517067005933136034", "89", "CWE-502", ""])
        #expect(box.values[1].cweNumber == 89 && box.values[2].cweNumber == 502 && box.values[3].cweNumber == nil)
    }
}
