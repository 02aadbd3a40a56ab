import BulwarkAPI
import BulwarkConnectors
import BulwarkServices
import BulwarkStorage
import BulwarkTesting
import Foundation
import SQLKit
import Testing

@Suite("Connectors API")
struct ConnectorsAPITests {
    @Test("create → validate → discover → map → sync (?wait=true) → findings; a second sync closes what disappeared; a third changes nothing")
    func endToEnd() async throws {
        try await ConnectorHarness.with(routes: ConnectorStandIns.dependencyTrack(), auth: ("X-Api-Key", "k3y")) { h in
            // Given: a connector whose secret is stored sealed and never rendered
            let id = try await h.createConnector()
            let created = try await h.server.request(.GET, "/api/v2/connectors/\(id)/")
            #expect(created.json["secret"] == nil)
            #expect(created.json["has_secret"] == .bool(true))
            #expect(created.json["location"] == .string(h.mock.baseURL))
            #expect(!created.body.contains("k3y"))
            let raw = try await h.server.sql.raw("SELECT secret_ciphertext FROM connectors WHERE id = \(bind: id)").first()?
                .decode(column: "secret_ciphertext", as: String.self)
            #expect(raw?.hasPrefix("v1:") == true && raw?.contains("k3y") == false)

            // When: validate, discover, map, sync
            #expect(try await h.run("validate", connector: id)["status"] == .string("succeeded"))
            #expect(try await h.server.request(.GET, "/api/v2/connectors/\(id)/").json["health"] == .string("ok"))
            let discover = try await h.run("discover", connector: id)
            #expect(discover["status"] == .string("succeeded") && discover["records_new"] == .int(1))
            let records = try await h.server.request(.GET, "/api/v2/connector_records/?connector=\(id)&state=new").json
            #expect(records["count"] == .int(1))
            #expect(records["results"]?.items.first?["name"] == .string("shop 1.0"))
            let product = try await h.mapAll(connector: id)
            let sync = try await h.run("sync", connector: id)

            // Then: the findings are in Global Connectors / "Dependency-Track - main"
            #expect(sync["status"] == .string("succeeded"), "\(sync)")
            #expect(sync["findings_new"] == .int(3))
            #expect(try await h.findingCount(product: product) == 3)
            #expect(try await h.findingCount(product: product, "active=true") == 2)
            #expect(try await h.findingCount(product: product, "false_p=true") == 1)
            let engagements = try await h.server.request(.GET, "/api/v2/engagements/?product=\(product)").json
            #expect(engagements["results"]?.items.first?["name"] == .string("Global Connectors"))
            let engagement = try #require(engagements["results"]?.items.first?["id"]?.intValue)
            let tests = try await h.server.request(.GET, "/api/v2/tests/?engagement=\(engagement)").json
            #expect(tests["results"]?.items.first?["title"] == .string("Dependency-Track - main"))
            #expect(tests["results"]?.items.first?["scan_type"] == .string("Dependency-Track Connector"))

            // When: the tool no longer reports the first finding
            h.mock.setRoutes(ConnectorStandIns.dependencyTrack(sync2: true))
            let second = try await h.run("sync", connector: id)
            // Then: it is closed by absence, nothing else changes
            #expect(second["findings_closed"] == .int(1) && second["findings_new"] == .int(0))
            #expect(try await h.findingCount(product: product, "active=true") == 1)
            #expect(try await h.findingCount(product: product, "is_mitigated=true") == 1)
            let third = try await h.run("sync", connector: id)
            #expect(third["findings_closed"] == .int(0) && third["findings_new"] == .int(0) && third["findings_reopened"] == .int(0))
            let operations = try await h.server.request(.GET, "/api/v2/connector_operations/?connector=\(id)&type=sync").json
            #expect(operations["count"] == .int(3))
        }
    }

    @Test("401 → failed and invalid_secret; 500 and 404 on the record → partial; nothing stored changes")
    func failuresChangeNothing() async throws {
        try await ConnectorHarness.with(routes: ConnectorStandIns.dependencyTrack(), auth: ("X-Api-Key", "k3y")) { h in
            // Given: a synced connector
            let id = try await h.createConnector()
            _ = try await h.run("discover", connector: id)
            let product = try await h.mapAll(connector: id)
            _ = try await h.run("sync", connector: id)
            h.mock.setRoutes(ConnectorStandIns.dependencyTrack(sync2: true))
            let findingsPath = "/api/v1/finding/project/\(ConnectorStandIns.projectUUID)"

            // When: the findings call fails with 500, then 404, then a wrongly shaped body
            for reply in [MockToolServer.Reply.json("{}", status: 500), .json("{}", status: 404), .json(#"{"unexpected":true}"#)] {
                h.mock.setRoutes(ConnectorStandIns.dependencyTrack(sync2: true))
                h.mock.prepend([MockToolServer.Route(findingsPath, [reply])])
                let sync = try await h.run("sync", connector: id)
                // Then: partial, the record failed, nothing closed
                #expect(sync["status"] == .string("partial"), "\(sync)")
                #expect(sync["records_failed"] == .int(1) && sync["findings_closed"] == .int(0))
                #expect(try await h.findingCount(product: product, "active=true") == 2)
            }
            let record = try await h.server.request(.GET, "/api/v2/connector_records/?connector=\(id)").json["results"]?.items.first
            #expect(record?["last_sync_status"] == .string("failed"))
            #expect(record?["last_sync_error"]?.stringValue?.contains("GET /api/v1/finding/project/{uuid}") == true)

            // When: the tool rejects the key
            h.mock.setAuth(("X-Api-Key", "rotated"))
            let rejected = try await h.run("sync", connector: id)
            // Then: failed, health invalid_secret, findings as they were
            #expect(rejected["status"] == .string("failed"))
            let connector = try await h.server.request(.GET, "/api/v2/connectors/\(id)/").json
            #expect(connector["health"] == .string("invalid_secret"))
            #expect(connector["health_message"]?.stringValue?.contains("k3y") == false)
            #expect(try await h.findingCount(product: product, "active=true") == 2)

            // When: the key is edited and the tool answers 429 once before the data
            _ = try await h.server.request(.PATCH, "/api/v2/connectors/\(id)/", json: #"{"secret":"rotated"}"#)
            h.mock.setRoutes(ConnectorStandIns.dependencyTrack(sync2: true))
            h.mock.prepend([MockToolServer.Route(findingsPath, [.json("{}", status: 429, headers: [("Retry-After", "1")]),
                                                                ConnectorStandIns.dependencyTrack(sync2: true)[1].replies[0]])])
            let retried = try await h.run("sync", connector: id)
            // Then: it succeeds after one retry and closes the missing finding
            #expect(retried["status"] == .string("succeeded"), "\(retried)")
            #expect(retried["retries"] == .int(1) && retried["findings_closed"] == .int(1))

            // When: the stored secret was sealed with another key
            let foreign = try SecretCipher(keyText: SecretCipher.generateKeyText()).seal("rotated")
            try await h.server.sql.raw("UPDATE connectors SET secret_ciphertext = \(bind: foreign) WHERE id = \(bind: id)").run()
            let undecryptable = try await h.run("validate", connector: id)
            // Then: the operation fails and the health says why; the server keeps answering
            #expect(undecryptable["status"] == .string("failed"))
            let health = try await h.server.request(.GET, "/api/v2/connectors/\(id)/").json
            #expect(health["health"] == .string("error") && health["health_message"]?.stringValue?.contains("decrypt") == true)
        }
    }

    @Test("unreachable location, 400s naming the field, 409 while busy, 202 run by the job queue")
    func validationAndQueue() async throws {
        try await ConnectorHarness.with(routes: ConnectorStandIns.dependencyTrack(), auth: ("X-Api-Key", "k3y")) { h in
            let server = h.server
            // Given / When / Then: bad input names the field
            let badTool = try await server.request(.POST, "/api/v2/connectors/", json: #"{"tool":"nessus","label":"x","location":"http://a","secret":"s"}"#)
            #expect(badTool.status == .badRequest && badTool.json["tool"] != nil)
            let badURL = try await server.request(.POST, "/api/v2/connectors/", json: #"{"tool":"snyk","label":"x","location":"ftp://a","secret":"s"}"#)
            #expect(badURL.status == .badRequest && badURL.json["location"] != nil)
            let cloud = try await server.request(.POST, "/api/v2/connectors/",
                                                 json: #"{"tool":"sonarqube","label":"x","location":"https://sonarcloud.io","secret":"s"}"#)
            #expect(cloud.status == .badRequest && cloud.body.contains("organization"))
            #expect(!badURL.body.contains("\"s\""))

            // An unreachable tool fails the discover and marks the health
            let id = try await h.createConnector()
            _ = try await server.request(.PATCH, "/api/v2/connectors/\(id)/", json: #"{"location":"http://127.0.0.1:1"}"#)
            let unreachable = try await h.run("discover", connector: id)
            #expect(unreachable["status"] == .string("failed"))
            #expect(try await server.request(.GET, "/api/v2/connectors/\(id)/").json["health"] == .string("unreachable"))
            #expect(try await server.request(.GET, "/api/v2/connector_records/?connector=\(id)").json["count"] == .int(0))
            _ = try await server.request(.PATCH, "/api/v2/connectors/\(id)/", json: #"{"location":"\#(h.mock.baseURL)"}"#)

            // 202 queues the operation; a second trigger is refused until the queue ran it
            let queued = try await server.request(.POST, "/api/v2/connectors/\(id)/discover/")
            #expect(queued.status == .accepted && queued.json["status"] == .string("queued"))
            #expect(try await server.request(.POST, "/api/v2/connectors/\(id)/sync/").status == .conflict)
            let jobs = try await server.request(.GET, "/api/v2/jobs/").json
            #expect(jobs["count"] == .int(1) && jobs["results"]?.items.first?["kind"] == .string("connector_operation"))
            let runtime = try #require(server.app.connectorRuntime)
            let runner = JobRunner(queue: JobQueue(database: server.app.db), connectors: runtime.service(server.app.db), worker: "test")
            let ran = try await runner.runDue()
            #expect(ran >= 1)
            let operation = try await server.request(.GET, "/api/v2/connector_operations/\(queued.json["id"]?.intValue ?? 0)/").json
            #expect(operation["status"] == .string("succeeded") && operation["records_new"] == .int(1))
            #expect(try await server.request(.GET, "/api/v2/jobs/?kind=connector_operation").json["count"] == .int(0))
            let user = try await server.makeUser("reader")
            #expect(try await server.request(.GET, "/api/v2/connectors/", token: user.token).status == .forbidden)
            #expect(try await server.request(.GET, "/api/v2/jobs/", token: user.token).status == .forbidden)
        }
    }
}
