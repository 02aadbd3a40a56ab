import BulwarkAPI
import BulwarkConnectors
import BulwarkStorage
import BulwarkTesting
import Foundation
import Testing

/// Does not wait: connector tests check the retry decisions, not the clock.
struct NoSleep: Sleeper {
    func sleep(seconds: Double) async {}
}

/// A test server whose connector routes talk to a mock tool without real backoff waits.
struct ConnectorHarness {
    let server: TestServer
    let mock: MockToolServer
    let transport: AsyncHTTPClientTransport

    static func with(routes: [MockToolServer.Route], auth: (String, String), _ body: (ConnectorHarness) async throws -> Void) async throws {
        let mock = try await MockToolServer.start(routes: routes, auth: auth)
        let transport = AsyncHTTPClientTransport.shared
        do {
            try await withTestServer { server in
                let cipher = try #require(server.app.connectorRuntime?.cipher)
                var policy = RetryPolicy()
                policy.requestTimeout = .seconds(5)
                server.app.connectorRuntime = ConnectorRuntime(cipher: cipher, transport: { _ in transport }, policy: policy, sleeper: NoSleep())
                try await body(ConnectorHarness(server: server, mock: mock, transport: transport))
            }
        } catch {
            await transport.shutdown()
            try? await mock.shutdown()
            throw error
        }
        await transport.shutdown()
        try await mock.shutdown()
    }

    /// POSTs `connectors/{id}/{action}/?wait=true` and returns the ended operation.
    func run(_ action: String, connector: Int) async throws -> JSONValue {
        let response = try await server.request(.POST, "/api/v2/connectors/\(connector)/\(action)/?wait=true")
        #expect(response.status == .ok, "\(action): \(response.body)")
        return response.json
    }

    /// Creates a Dependency-Track connector against the mock.
    func createConnector(secret: String = "k3y", label: String = "main", tool: String = "dependency_track",
                         extra: String = #"{"page_size":2}"#) async throws -> Int {
        let response = try await server.request(.POST, "/api/v2/connectors/", json: """
            {"tool":"\(tool)","label":"\(label)","location":"\(mock.baseURL)/","secret":"\(secret)","extra":\(extra)}
            """)
        #expect(response.status == .created, "\(response.body)")
        return try #require(response.json["id"]?.intValue)
    }

    /// Creates a product and maps every record of the connector to it.
    func mapAll(connector: Int, productName: String = "Shop") async throws -> Int {
        let type = try await server.request(.POST, "/api/v2/product_types/", json: #"{"name":"Apps"}"#).json["id"]?.intValue ?? 0
        let product = try #require(try await server.request(.POST, "/api/v2/products/", json: """
            {"name":"\(productName)","description":"d","prod_type":\(type)}
            """).json["id"]?.intValue)
        for record in try await server.request(.GET, "/api/v2/connector_records/?connector=\(connector)").json["results"]?.items ?? [] {
            let id = try #require(record["id"]?.intValue)
            let patch = try await server.request(.PATCH, "/api/v2/connector_records/\(id)/", json: #"{"product":\#(product)}"#)
            #expect(patch.json["state"] == .string("good"), "\(patch.body)")
        }
        return product
    }

    /// Counts of the product's findings by a filter (`active=true`, `false_p=true` …).
    func findingCount(product: Int, _ filter: String = "") async throws -> Int {
        try await server.request(.GET, "/api/v2/findings/?test__engagement__product=\(product)&limit=1" + (filter.isEmpty ? "" : "&" + filter))
            .json["count"]?.intValue ?? -1
    }
}
