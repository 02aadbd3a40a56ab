import BulwarkAPI
import BulwarkStorage
import BulwarkTesting
import Foundation
import SQLKit
import Testing

/// Lists are written straight from rows to JSON bytes; single objects and `prefetch` pages are
/// built as `JSONValue` trees. Both must give the same objects, byte for byte.
@Suite("List pages written as bytes match the value-tree rendering")
struct ListRenderingTests {
    @Test("Every list's objects equal the same objects retrieved one by one")
    func listsMatchRetrieve() async throws {
        try await withTestServer { server in
            try await arrangeRichFindings(server)
            for path in ["users", "product_types", "products", "engagements", "tests", "test_types", "notes", "sla_configurations",
                         "findings", "endpoints", "endpoint_status", "risk_acceptance", "note_type", "development_environments", "test_imports"] {
                let list = try await server.request(.GET, "/api/v2/\(path)/?limit=1000")
                guard list.status == .ok else { continue }
                for object in list.json["results"]?.items ?? [] {
                    guard let id = object["id"]?.intValue else { Issue.record("\(path): object without id"); continue }
                    let single = try await server.request(.GET, "/api/v2/\(path)/\(id)/")
                    guard case .object(let pairs) = single.json else { Issue.record("\(path)/\(id): \(single.status)"); continue }
                    #expect(JSONValue.object(pairs.filter { $0.0 != "prefetch" }) == object, "\(path)/\(id)")
                }
            }
        }
    }

    @Test("A findings page is byte-identical with and without the value-tree (prefetch) path")
    func findingsBytesMatchTree() async throws {
        try await withTestServer { server in
            try await arrangeRichFindings(server)
            for query in ["limit=1000", "limit=2&offset=1", "severity=High&active=true&limit=1000", "o=-title&limit=1000"] {
                let bytes = try await server.request(.GET, "/api/v2/findings/?\(query)")
                // An unknown prefetch name leaves the body unchanged but takes the tree path; links differ only by the parameter.
                let tree = try await server.request(.GET, "/api/v2/findings/?\(query)&prefetch=unknown")
                #expect(bytes.status == .ok)
                #expect(bytes.body.replacingOccurrences(of: "&prefetch=unknown", with: "")
                    == tree.body.replacingOccurrences(of: "&prefetch=unknown", with: ""), "\(query)")
                #expect(bytes.headers.first(name: .contentType) == "application/json")
            }
        }
    }

    @Test("Pages read through SQLite's own read connections are byte-identical to pages read through SQLiteNIO")
    func readConnectionsMatchPool() async throws {
        try await withTestServer { server in
            guard let reader = server.app.snapshotReader else { return }  // PostgreSQL lane: there is no reader.
            try await arrangeRichFindings(server)
            let pooled = try server.sql
            let reading = SnapshotReadingDatabase(base: pooled, reader: reader)
            let schemas = [FindingsResource.schema, ProductsResource.schema, EngagementsResource.schema, TestsResource.schema]
            for schema in schemas {
                for (limit, offset) in [(1000, 0), (2, 1)] {
                    let order: [SQLQueryString] = ["\(ident: schema.table).\(ident: "id") DESC"]
                    let fast = try await ResourceRepository(schema: schema, db: reading).countedListJSON(where: [], orderBy: order, limit: limit, offset: offset)
                    let plain = try await ResourceRepository(schema: schema, db: pooled).countedListJSON(where: [], orderBy: order, limit: limit, offset: offset)
                    #expect(fast.count == plain.count && fast.count > 0, "\(schema.table)")
                    let firstDifference = zip(fast.json, plain.json).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                        ?? (fast.json.count == plain.json.count ? nil : min(fast.json.count, plain.json.count))
                    #expect(firstDifference == nil, "\(schema.table) limit \(limit) offset \(offset): bytes differ from \(firstDifference ?? 0)")
                }
            }
        }
    }

    @Test("List counts stay exact across writes through the API and straight SQL, on every connection")
    func countsFollowWrites() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            func count(_ query: String = "severity=High&active=true") async throws -> Int? {
                try await server.request(.GET, "/api/v2/findings/?\(query)").json["count"]?.intValue
            }
            var expected = 0
            for round in 0..<3 {
                let id = try await server.makeFinding(chain, title: "Finding \(round)")
                expected += 1
                // Asked repeatedly: the first answer is counted, later ones may be reused, all must agree.
                for _ in 0..<4 { #expect(try await count() == expected) }
                try await server.sql.raw("UPDATE findings SET severity = 'Low' WHERE id = \(bind: id)").run()
                for _ in 0..<4 { #expect(try await count() == expected - 1) }
                #expect(try await count("severity=Low") == 1)
                try await server.sql.raw("UPDATE findings SET severity = 'High' WHERE id = \(bind: id)").run()
                #expect(try await count() == expected)
            }
            let last = try await server.makeFinding(chain, title: "Last")
            #expect(try await count() == expected + 1)
            #expect(try await server.request(.DELETE, "/api/v2/findings/\(last)/").status == .noContent)
            #expect(try await count() == expected)
            // A page past the end still reports the total.
            #expect(try await count("severity=High&active=true&offset=50") == expected)
        }
    }

    /// Findings with every page-loaded relation, escapes, unicode, floats, dates and nulls.
    private func arrangeRichFindings(_ server: TestServer) async throws {
        let chain = try await server.makeChain()
        let plain = try await server.makeFinding(chain, title: "Plain")
        let rich = try await server.makeFinding(chain, title: #"Quote \" back\\slash \n newline \t tab é 🛡"#, severity: "Critical", extra: """
            , "epss_score": 0.5, "cvssv3_score": 10, "cwe": -1, "line": 123456789, "mitigation": "", "sla_start_date": "2024-02-29",
            "tags": ["b", "a"], "vulnerability_ids": [{"vulnerability_id": "CVE-2024-1"}, {"vulnerability_id": "GHSA-x"}]
            """)
        let low = try await server.makeFinding(chain, title: "Low one", severity: "Low", extra: #", "active": false, "verified": true"#)
        #expect(try await server.request(.POST, "/api/v2/findings/\(rich)/metadata/", json: #"{"name": "team", "value": "red"}"#).status == .ok)
        #expect(try await server.request(.POST, "/api/v2/findings/\(rich)/metadata/", json: #"{"name": "env", "value": "prod"}"#).status == .ok)
        #expect(try await server.request(.POST, "/api/v2/findings/\(rich)/notes/", json: #"{"entry": "triaged \"now\""}"#).status == .created)
        #expect(try await server.request(.POST, "/api/v2/findings/\(plain)/close/", json: #"{"note": "fixed"}"#).status == .ok)
        let accepted = try await server.request(.POST, "/api/v2/risk_acceptance/", json: """
            {"name": "Accept", "owner": 1, "accepted_findings": [\(low)], "expiration_date": "2099-01-01T00:00:00Z"}
            """)
        #expect(accepted.status == .created, "\(accepted.body)")
        _ = try await server.request(.POST, "/api/v2/endpoints/", json: #"{"product": \#(chain.product), "host": "example.com", "protocol": "https"}"#)
    }
}
