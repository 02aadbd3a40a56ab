import BulwarkStorage
import BulwarkTesting
import Foundation
import SQLKit
import Testing

extension ReimportScanTests {
    // MARK: - Finding the test

    @Test("Reimport by product_name + engagement_name finds the newest test of the scan type; test_title picks a titled one")
    func reimportByNames() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain(name: "Shop")
            func importTitled(_ title: String) async throws -> Int {
                let response = try await server.importReport(report: Self.all, fields: [("engagement", "\(chain.engagement)"), ("test_title", title)])
                return try #require(response.json["test"]?.intValue, "\(response.body)")
            }
            let nightly = try await importTitled("nightly")
            let weekly = try await importTitled("weekly")
            let names = [("product_name", "Shop"), ("engagement_name", "Shop engagement")]

            let newest = try await server.importReport("reimport-scan", report: Self.firstTwo, fields: names)
            #expect(newest.status == .created, "\(newest.body)")
            #expect(newest.json["test"] == .int(weekly))

            let titled = try await server.importReport("reimport-scan", report: Self.firstTwo, fields: names + [("test_title", "nightly")])
            #expect(titled.status == .created, "\(titled.body)")
            #expect(titled.json["test"] == .int(nightly))
            #expect(try await server.findings(test: nightly).filter { $0["is_mitigated"] == .bool(true) }.count == 1)
        }
    }

    @Test("No matching test and no auto_create_context: 404 'A test could not be found!' and nothing stored")
    func noTestFound() async throws {
        try await withTestServer { server in
            _ = try await server.makeChain(name: "Shop")  // holds a ZAP test only
            let before = try await server.importFootprint()
            let response = try await server.importReport("reimport-scan", report: Self.all,
                                                         fields: [("product_name", "Shop"), ("engagement_name", "Shop engagement")])
            #expect(response.status == .notFound)
            #expect(response.json["detail"] == .string("A test could not be found!"), "\(response.body)")
            #expect(try await server.importFootprint() == before)
        }
    }

    @Test("No matching test with auto_create_context: a test is created like an import, without closing anything")
    func autoCreateTest() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain(name: "Shop")
            let existing = try await server.importReport(report: Self.all, fields: [("engagement", "\(chain.engagement)"), ("test_title", "a")])
            let old = try #require(existing.json["test"]?.intValue)
            let response = try await server.importReport("reimport-scan", report: Self.firstTwo, fields: [
                ("product_name", "Shop"), ("engagement_name", "Shop engagement"), ("test_title", "b"), ("auto_create_context", "true"),
            ])
            #expect(response.status == .created, "\(response.body)")
            let test = try #require(response.json["test"]?.intValue)
            #expect(test != old)
            #expect(response.json["statistics"]?.keys == ["after"])
            #expect(response.json["statistics"]?["after"]?.statTotal == 2)
            #expect(try await server.request(.GET, "/api/v2/tests/\(test)/").json["title"] == .string("b"))
            #expect(try await server.findings(test: old).allSatisfy { $0["is_mitigated"] == .bool(false) })

            // Creating the whole context works too
            let fresh = try await server.importReport("reimport-scan", report: Self.all, fields: [
                ("product_type_name", "New type"), ("product_name", "New product"), ("engagement_name", "New engagement"), ("auto_create_context", "true"),
            ])
            #expect(fresh.status == .created, "\(fresh.body)")
            #expect(try await server.count("products", where: "name = 'New product'") == 1)
        }
    }

    @Test("A test id outside the named product / engagement is a 400")
    func testOutsideNamedEngagement() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server)
            _ = try await server.makeChain(name: "Blog")
            let before = try await server.importFootprint()
            let response = try await server.importReport("reimport-scan", report: Self.firstTwo, fields: [
                ("test", "\(test)"), ("product_name", "Blog"), ("engagement_name", "Blog engagement"),
            ])
            #expect(response.status == .badRequest, "\(response.body)")
            #expect(try await server.importFootprint() == before)
        }
    }

    @Test("An unknown test id is a 400 naming it; a non-numeric one is 'test must be an integer'")
    func badTestID() async throws {
        try await withTestServer { server in
            let unknown = try await server.importReport("reimport-scan", report: Self.all, fields: [("test", "999999")])
            #expect(unknown.status == .badRequest, "\(unknown.body)")
            #expect(unknown.body.contains("999999"))
            let text = try await server.importReport("reimport-scan", report: Self.all, fields: [("test", "abc")])
            #expect(text.status == .badRequest, "\(text.body)")
            #expect(text.body.contains("test must be an integer"), "\(text.body)")
        }
    }

    @Test("A report of another tool for a meta-format test is a 400 'Test type mismatch'")
    func testTypeMismatch() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server, report: R.generic(R.threeFindings, header: #""type": "Acme Scanner","#))
            #expect(try await server.request(.GET, "/api/v2/tests/\(test)/").json["test_type_name"] == .string("Acme Scanner Scan (Generic Findings Import)"))
            let response = try await server.importReport("reimport-scan", report: R.generic(R.threeFindings, header: #""type": "Other Tool","#),
                                                         fields: [("test", "\(test)")])
            #expect(response.status == .badRequest, "\(response.body)")
            #expect(response.body.contains("Test type mismatch"), "\(response.body)")
            #expect(try await server.findings(test: test).allSatisfy { $0["is_mitigated"] == .bool(false) })
        }
    }

    @Test("A malformed report on reimport is a 400 and the test is left as it was")
    func malformedReimport() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server)
            let before = try await server.importFootprint()
            let response = try await server.importReport("reimport-scan", report: "{\"findings\": [", fields: [("test", "\(test)")])
            #expect(response.status == .badRequest)
            #expect(response.json["message"]?.stringValue?.contains("line") == true, "\(response.body)")
            #expect(try await server.importFootprint() == before)
        }
    }

    @Test("Reimport errors: JSON body 415, GET 405, missing scan_type 400")
    func protocolErrors() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server)
            let json = try await server.request(.POST, "/api/v2/reimport-scan/", json: #"{"scan_type": "ZAP Scan", "test": \#(test)}"#)
            #expect(json.status == .unsupportedMediaType)
            #expect(json.json["detail"] == .string("Unsupported media type \"application/json\" in request."))
            let get = try await server.request(.GET, "/api/v2/reimport-scan/")
            #expect(get.status == .methodNotAllowed)
            #expect(get.json["detail"] == .string("Method \"GET\" not allowed."))
            let noType = try await server.upload("reimport-scan", MultipartForm([("test", "\(test)")], file: Self.all))
            #expect(noType.status == .badRequest)
            #expect(noType.json["scan_type"]?.items == [.string("This field is required.")])
        }
    }

    @Test("Permissions: non-members and readers get 403 and change nothing; API importers may reimport")
    func permissions() async throws {
        try await withTestServer { server in
            let (chain, test) = try await Self.arrange(server)
            let stranger = try await server.makeUser("stranger")
            let reader = try await F.member(server, "reader", product: chain.product, role: 5)
            let importer = try await F.member(server, "importer", product: chain.product, role: 1)
            let before = try await server.importFootprint()
            for token in [stranger.token, reader.token] {
                let response = try await server.importReport("reimport-scan", report: Self.firstTwo, fields: [("test", "\(test)")], token: token)
                #expect(response.status == .forbidden, "\(response.body)")
                #expect(response.json["detail"] == .string("You do not have permission to perform this action."))
            }
            let byNames = try await server.importReport("reimport-scan", report: Self.firstTwo,
                                                        fields: [("product_name", "App"), ("engagement_name", "App engagement")], token: stranger.token)
            #expect(byNames.status == .forbidden, "\(byNames.body)")
            #expect(try await server.importFootprint() == before)
            let allowed = try await server.importReport("reimport-scan", report: Self.firstTwo, fields: [("test", "\(test)")], token: importer.token)
            #expect(allowed.status == .created, "\(allowed.body)")
            #expect(Self.delta(allowed) == [0, 1, 0, 2])
        }
    }

    // MARK: - History and dedupe

    @Test("test_imports/ records the import and the reimport with per-finding actions N / C / R / U")
    func importHistory() async throws {
        try await withTestServer { server in
            let (_, test) = try await Self.arrange(server, fields: [("version", "1.0")])
            let ids = Self.byTitle(try await server.findings(test: test)).mapValues { $0["id"]?.intValue ?? -1 }
            let extra = R.Generic("Brand new", severity: "Critical", uid: "GEN-9")
            try await Self.reimport(server, test: test, report: R.generic(Array(R.threeFindings.prefix(2)) + [extra]), fields: [("build_id", "b2")])
            try await Self.reimport(server, test: test, report: R.generic(R.threeFindings + [extra]))
            let newID = try #require(Self.byTitle(try await server.findings(test: test))["Brand new"]?["id"]?.intValue)

            let history = try await server.request(.GET, "/api/v2/test_imports/?test=\(test)")
            #expect(history.status == .ok)
            #expect(history.json["count"] == .int(3))
            let rows = history.json["results"]?.items ?? []
            #expect(rows.map { $0["type"] } == [.string("reimport"), .string("reimport"), .string("import")])
            #expect(rows.allSatisfy { $0["test"] == .int(test) })
            func actions(_ row: JSONValue) -> [String: Set<Int>] {
                var out: [String: Set<Int>] = [:]
                for action in row["test_import_finding_action_set"]?.items ?? [] {
                    out[action["action"]?.stringValue ?? "?", default: []].insert(action["finding"]?.intValue ?? -1)
                }
                return out
            }
            let sql = ids["SQL Injection in login"] ?? -1, xss = ids["Reflected XSS in search"] ?? -1, banner = ids[Self.banner] ?? -1
            #expect(actions(rows[2]) == ["N": [sql, xss, banner]])
            #expect(actions(rows[1]) == ["N": [newID], "C": [banner], "U": [sql, xss]])
            #expect(actions(rows[0]) == ["R": [banner], "U": [sql, xss, newID]])
            #expect(rows[2]["version"] == .string("1.0"))
            #expect(rows[1]["build_id"] == .string("b2"))
            #expect(Set(rows[1]["findings_affected"]?.items.compactMap(\.intValue) ?? []) == [newID, banner, sql, xss])
            #expect(rows[1]["import_settings"]?["close_old_findings"] == .bool(true))
        }
    }

    @Test("A finding created by reimport is deduplicated against another test of the product")
    func reimportDedupe() async throws {
        try await withTestServer { server in
            let (chain, test) = try await Self.arrange(server, report: R.generic([R.threeFindings[0]]))
            let other = try await F.engagement(server, product: chain.product, name: "Other")
            let elsewhere = try await server.importReport(report: R.generic([R.threeFindings[1]]), fields: [("engagement", "\(other)")])
            let elsewhereTest = try #require(elsewhere.json["test"]?.intValue)
            let original = try #require(try await server.findings(test: elsewhereTest).first?["id"])
            let response = try await Self.reimport(server, test: test, report: R.generic(Array(R.threeFindings.prefix(2))))
            #expect(Self.delta(response) == [1, 0, 0, 1])
            let created = try #require(Self.byTitle(try await server.findings(test: test))["Reflected XSS in search"])
            #expect(created["duplicate"] == .bool(true))
            #expect(created["duplicate_finding"] == original)
        }
    }
}
