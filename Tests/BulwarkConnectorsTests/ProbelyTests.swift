import BulwarkConnectors
import BulwarkCore
import BulwarkTesting
import Foundation
import Testing

@Suite("Probely connector", .enabled(if: ConnectorFixtures.available))
struct ProbelyTests {
    static let auth = ("Authorization", "JWT s3cr3t-token")

    @Test("3 targets over 2 pages; findings with the README's counts and states; endpoints and requests")
    func fixtures() async throws {
        // Given
        let routes = try #require(try ConnectorFixtures.probely())
        // When
        let result = try await ToolRun.run("probely", routes: routes, auth: Self.auth) { _ in ["page_size": "2"] }
        defer { Task { try? await result.server.shutdown() } }
        // Then
        #expect(result.records.map(\.name) == ["Payments portal", "Inventory web", "Staging API"])
        #expect(result.counts["3pX8vN1qR7sL"] == FindingCounts(total: 4, critical: 0, high: 2, medium: 1, low: 1, active: 1, verified: 1,
                                                                falsePositive: 1, riskAccepted: 1, mitigated: 1))
        #expect(result.counts["7hK2cW9dJ4mP"] == FindingCounts(total: 1, critical: 0, high: 1, medium: 0, low: 0, active: 1, verified: 1,
                                                                falsePositive: 0, riskAccepted: 0, mitigated: 0))
        #expect(result.counts["9aB3dF6gH8jK"]?.total == 0)
        let payments = result.findings["3pX8vN1qR7sL"] ?? []
        let sqli = try #require(payments.first { $0.uniqueIDFromTool == "3pX8vN1qR7sL:101" })
        #expect(sqli.title == "SQL Injection" && sqli.severity == .high && sqli.cvssV3Score == 9.8)
        #expect(sqli.cvssV3 == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" && sqli.param == "customerId")
        #expect(sqli.endpoints.first?.host == "pay.acme.example" && sqli.endpoints.first?.path == "api/orders")
        #expect(sqli.mitigation == "Use parameterized queries." && sqli.date?.description == "2026-10-20")
        let fixed = try #require(payments.first { $0.isMitigated })
        #expect(fixed.mitigated == ToolTimestamp.instant("2026-10-30T03:00:00.000000Z"))
        let requests = result.server.requests
        #expect(requests.allSatisfy { $0.header("Authorization") == "JWT s3cr3t-token" })
        #expect(requests.contains { $0.path == "/targets/" && $0.query["page"] == ["2"] && $0.query["length"] == ["2"] })
        #expect(requests.contains { $0.path == "/profile/" })
    }

    @Test("every §0.3 error row")
    func errorRows() async throws {
        let routes = try #require(try ConnectorFixtures.probely())
        let page1 = try #require(routes.first { $0.path == "/targets/3pX8vN1qR7sL/findings/" })
        try await ErrorRowScenario(
            tool: "probely", routes: routes, auth: Self.auth, extra: ["page_size": "2"], recordID: "3pX8vN1qR7sL",
            findingsRoute: { MockToolServer.Route("/targets/3pX8vN1qR7sL/findings/", query: ["page": "1"], $0) },
            findingsReply: try #require(page1.replies.first), findingsCall: "GET /targets/{id}/findings/", permissionWord: "findings"
        ).check()
    }

    @Test("the user picks the US or EU API as location")
    func regions() throws {
        let guide = try #require(ConnectorRegistry.guide(for: "probely"))
        #expect(guide.locationChoices == [.init("US", "https://api.us.probely.com"), .init("EU", "https://api.eu.probely.com")])
    }
}
