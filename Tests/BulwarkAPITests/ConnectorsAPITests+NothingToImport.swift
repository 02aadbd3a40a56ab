import BulwarkConnectors
import BulwarkTesting
import Foundation
import Testing

extension ConnectorsAPITests {
    @Test("A site whose latest scan has not succeeded yet syncs as ok: nothing imported, nothing closed")
    func nothingToImport() async throws {
        try await ConnectorHarness.with(routes: ConnectorStandIns.burpDAST(), auth: ("Authorization", "k3y")) { h in
            // Given: a Burp Suite DAST connector synced once (two issues)
            // (The stand-in answers every page with the same issues: a page larger than them ends the paging.)
            let id = try await h.createConnector(tool: "burp_dast", extra: #"{"page_size":50}"#)
            #expect(try await h.run("discover", connector: id)["records_new"] == .int(1))
            let product = try await h.mapAll(connector: id)
            let first = try await h.run("sync", connector: id)
            #expect(first["status"] == .string("succeeded"), "\(first)")
            let stored = try await h.findingCount(product: product, "active=true")
            #expect(stored == 2)

            // When: the site's latest scan list holds no succeeded scan
            h.mock.prepend([.graphQL("/graphql/v1", operation: "LatestScan", [.json(#"{"data":{"scans":[]}}"#)])])
            let second = try await h.run("sync", connector: id)

            // Then: the operation succeeds, the record is ok, and no finding was closed or added
            #expect(second["status"] == .string("succeeded"), "\(second)")
            #expect(second["findings_closed"] == .int(0) && second["findings_new"] == .int(0) && second["records_failed"] == .int(0))
            #expect(try await h.findingCount(product: product, "active=true") == stored)
            let record = try await h.server.request(.GET, "/api/v2/connector_records/?connector=\(id)").json["results"]?.items.first
            #expect(record?["last_sync_status"] == .string("ok"))
        }
    }
}
