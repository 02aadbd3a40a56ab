import BulwarkAPI
import BulwarkStorage
import BulwarkTesting
import Foundation
import Testing

extension ConnectorsAPITests {
    @Test("auto_map gives a new record a product; an asset not returned becomes missing and comes back good; ignored stays ignored")
    func discoveryStates() async throws {
        try await ConnectorHarness.with(routes: ConnectorStandIns.dependencyTrack(), auth: ("X-Api-Key", "k3y")) { h in
            // Given: an auto-mapping connector
            let response = try await h.server.request(.POST, "/api/v2/connectors/", json: """
                {"tool":"dependency_track","label":"auto","location":"\(h.mock.baseURL)","secret":"k3y","auto_map":true}
                """)
            let id = try #require(response.json["id"]?.intValue)
            // When
            _ = try await h.run("discover", connector: id)
            // Then: the record is mapped to a new product named after it
            var record = try #require(try await h.server.request(.GET, "/api/v2/connector_records/?connector=\(id)").json["results"]?.items.first)
            #expect(record["state"] == .string("good"))
            let product = try #require(record["product"]?.intValue)
            #expect(try await h.server.request(.GET, "/api/v2/products/\(product)/").json["name"] == .string("shop 1.0"))

            // When: the tool stops listing the project
            h.mock.setRoutes([MockToolServer.Route("/api/v1/project", [.json("[]", headers: [("X-Total-Count", "0")])])])
            let gone = try await h.run("discover", connector: id)
            // Then
            #expect(gone["records_missing"] == .int(1))
            record = try #require(try await h.server.request(.GET, "/api/v2/connector_records/?connector=\(id)").json["results"]?.items.first)
            #expect(record["state"] == .string("missing") && record["product"] == .int(product))

            // When: it is listed again, then ignored by the user
            h.mock.setRoutes(ConnectorStandIns.dependencyTrack())
            _ = try await h.run("discover", connector: id)
            let recordID = try #require(record["id"]?.intValue)
            #expect(try await h.server.request(.GET, "/api/v2/connector_records/\(recordID)/").json["state"] == .string("good"))
            let ignored = try await h.server.request(.PATCH, "/api/v2/connector_records/\(recordID)/", json: #"{"state":"ignored"}"#)
            #expect(ignored.json["state"] == .string("ignored"))
            _ = try await h.run("discover", connector: id)
            // Then: discover leaves it ignored, and a sync imports nothing for it
            #expect(try await h.server.request(.GET, "/api/v2/connector_records/\(recordID)/").json["state"] == .string("ignored"))
            let sync = try await h.run("sync", connector: id)
            #expect(sync["status"] == .string("succeeded") && sync["findings_new"] == .int(0))
            let bad = try await h.server.request(.PATCH, "/api/v2/connector_records/\(recordID)/", json: #"{"state":"missing"}"#)
            #expect(bad.status == .badRequest && bad.json["state"] != nil)
        }
    }
}
