import BulwarkCore
import BulwarkStorage
import BulwarkTesting
import Foundation
import SQLKit
import Testing

extension ImportScanTests {
    // MARK: - Errors

    @Test("A missing scan_type is a 400 on scan_type")
    func missingScanType() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let response = try await server.upload("import-scan", MultipartForm([("engagement", "\(chain.engagement)")], file: Self.generic))
            #expect(response.status == .badRequest)
            #expect(response.json["scan_type"]?.items == [.string("This field is required.")], "\(response.body)")
        }
    }

    @Test("An unknown or wrongly-cased scan_type is DefectDojo's choice error", arguments: ["Nessus Pro", "zap scan", "ZAP Scan "])
    func unknownScanType(scanType: String) async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let response = try await server.importReport(scanType: scanType, report: R.zap, filename: "zap.xml", fields: [("engagement", "\(chain.engagement)")])
            #expect(response.status == .badRequest)
            #expect(response.json["scan_type"]?.items == [.string("\"\(scanType)\" is not a valid choice.")], "\(response.body)")
            #expect(try await server.count("findings") == 0)
        }
    }

    @Test("A missing file is a 400 saying a report is required")
    func missingFile() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let response = try await server.importReport(scanType: "ZAP Scan", report: nil, fields: [("engagement", "\(chain.engagement)")])
            #expect(response.status == .badRequest)
            #expect(response.body.contains("Uploading a Report File is required for ZAP Scan"), "\(response.body)")
            #expect(try await server.count("tests") == 1)
        }
    }

    @Test("An engagement id that does not exist is a 400 on engagement")
    func wrongEngagement() async throws {
        try await withTestServer { server in
            _ = try await server.makeChain()
            let response = try await server.importReport(report: Self.generic, fields: [("engagement", "999999")])
            #expect(response.status == .badRequest)
            #expect(response.json["engagement"]?.items == [.string("Invalid pk \"999999\" - object does not exist.")], "\(response.body)")
        }
    }

    @Test("A badly formatted scan_date is a 400 on scan_date")
    func badScanDate() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let response = try await server.importReport(report: Self.generic, fields: [("engagement", "\(chain.engagement)"), ("scan_date", "05/01/2024")])
            #expect(response.status == .badRequest)
            #expect(response.json["scan_date"]?.items == [.string("Date has wrong format. Use one of these formats instead: YYYY-MM-DD.")], "\(response.body)")
        }
    }

    @Test("An engagement id of another product than the named one is a 400")
    func engagementOfAnotherProduct() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain(name: "Shop")
            _ = try await server.makeChain(name: "Blog")
            let response = try await server.importReport(report: Self.generic, fields: [("engagement", "\(chain.engagement)"), ("product_name", "Blog")])
            #expect(response.status == .badRequest, "\(response.body)")
            #expect(try await server.count("findings") == 0)
        }
    }

    @Test("A product_type_name that is not the named product's type is a 400 conflict")
    func productTypeConflict() async throws {
        try await withTestServer { server in
            _ = try await server.makeChain(name: "Shop")
            _ = try await server.makeChain(name: "Blog")
            let before = try await server.importFootprint()
            let response = try await server.importReport(report: Self.generic, fields: [
                ("product_type_name", "Blog type"), ("product_name", "Shop"), ("engagement_name", "Shop engagement"), ("auto_create_context", "true"),
            ])
            #expect(response.status == .badRequest, "\(response.body)")
            #expect(response.json["message"]?.stringValue?.contains("The fetched product has a conflict with the supplied product type name") == true,
                    "\(response.body)")
            #expect(try await server.importFootprint() == before)
        }
    }

    @Test("A non-numeric engagement id is a 400 'engagement must be an integer'")
    func nonNumericEngagement() async throws {
        try await withTestServer { server in
            let response = try await server.importReport(report: Self.generic, fields: [("engagement", "abc")])
            #expect(response.status == .badRequest)
            #expect(response.body.contains("engagement must be an integer"), "\(response.body)")
        }
    }

    @Test("Neither engagement nor names is a 400")
    func noTarget() async throws {
        try await withTestServer { server in
            let response = try await server.importReport(report: Self.generic, fields: [])
            #expect(response.status == .badRequest, "\(response.body)")
            #expect(try await server.count("tests") == 0)
        }
    }

    struct BadReport: Sendable, CustomTestStringConvertible {
        var name: String
        var scanType: String
        var filename: String
        var content: String
        /// Text the error message must contain (the position, or the kind of problem).
        var mentions: [String]
        var testDescription: String { name }
    }

    @Test("Malformed reports are 400s whose message names the problem and where it is", arguments: [
        BadReport(name: "truncated Generic JSON", scanType: "Generic Findings Import", filename: "r.json",
                  content: "{\"findings\": [\n  {\"title\": \"A\", \"severity\": \"High\",\n   \"description\": \"d\"", mentions: ["line"]),
        BadReport(name: "truncated ZAP XML", scanType: "ZAP Scan", filename: "zap.xml",
                  content: String(R.zap.prefix(R.zap.count / 2)), mentions: ["line"]),
        BadReport(name: "truncated SARIF", scanType: "SARIF", filename: "r.sarif", content: String(R.sarif().prefix(300)), mentions: ["line"]),
        BadReport(name: "Generic with a bad severity", scanType: "Generic Findings Import", filename: "r.json",
                  content: R.generic([R.Generic("A"), R.Generic("B", severity: "Severe")]), mentions: ["Severe", "$.findings[1]"]),
        BadReport(name: "SARIF uploaded as ZAP Scan", scanType: "ZAP Scan", filename: "r.sarif", content: R.sarif(), mentions: []),
        BadReport(name: "ZAP XML uploaded as SARIF", scanType: "SARIF", filename: "zap.xml", content: R.zap, mentions: []),
        BadReport(name: "SARIF uploaded as Generic JSON", scanType: "Generic Findings Import", filename: "r.json", content: R.sarif(),
                  mentions: ["Generic Findings Import"]),
        BadReport(name: "Generic JSON uploaded as SARIF", scanType: "SARIF", filename: "r.json", content: Self.generic, mentions: ["SARIF"]),
        BadReport(name: "XML uploaded as Generic .json", scanType: "Generic Findings Import", filename: "r.json", content: R.zap, mentions: []),
    ])
    func malformedReport(_ bad: BadReport) async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let before = try await server.importFootprint()
            let response = try await server.importReport(scanType: bad.scanType, report: bad.content, filename: bad.filename,
                                                         fields: [("engagement", "\(chain.engagement)")])
            #expect(response.status == .badRequest, "\(response.body)")
            let message = try #require(response.json["message"]?.stringValue, "\(response.body)")
            #expect(!message.isEmpty)
            for text in bad.mentions { #expect(message.contains(text), "\(message)") }
            #expect(try await server.importFootprint() == before)
        }
    }

    @Test("Binary garbage is a 400 with a message, for every scan type", arguments: ["ZAP Scan", "SARIF", "Generic Findings Import"])
    func binaryGarbage(scanType: String) async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            var form = MultipartForm([("scan_type", scanType), ("engagement", "\(chain.engagement)")])
            let garbage: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0xFF, 0xFE, 0xC3, 0x28, 0xA0, 0xA1, 0x7B, 0x00, 0xE2, 0x82]
            form.addFile(Array(repeating: garbage, count: 50).flatMap { $0 }, filename: "report.bin")
            let before = try await server.importFootprint()
            let response = try await server.upload("import-scan", form)
            #expect(response.status == .badRequest, "\(response.body)")
            #expect(response.json["message"]?.stringValue?.isEmpty == false, "\(response.body)")
            #expect(try await server.importFootprint() == before)
        }
    }

    @Test("Only multipart is accepted: JSON and urlencoded bodies are 415")
    func unsupportedMediaType() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let json = try await server.request(.POST, "/api/v2/import-scan/", json: #"{"scan_type": "ZAP Scan", "engagement": \#(chain.engagement)}"#)
            #expect(json.status == .unsupportedMediaType)
            #expect(json.json["detail"] == .string("Unsupported media type \"application/json\" in request."), "\(json.body)")
            let form = try await server.request(.POST, "/api/v2/import-scan/", form: [("scan_type", "ZAP Scan"), ("engagement", "\(chain.engagement)")])
            #expect(form.status == .unsupportedMediaType, "\(form.body)")
            #expect(try await server.count("tests") == 1)
        }
    }

    @Test("Other methods are 405 naming the method", arguments: [HTTPMethodValue.GET, .PUT, .PATCH, .DELETE])
    func wrongMethod(method: HTTPMethodValue) async throws {
        try await withTestServer { server in
            let response = try await server.request(method, "/api/v2/import-scan/")
            #expect(response.status == .methodNotAllowed)
            #expect(response.json["detail"] == .string("Method \"\(method.rawValue)\" not allowed."), "\(response.body)")
        }
    }

    @Test("Permissions: anonymous and non-members are refused with 403; readers too; API importers and writers may import")
    func permissions() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let stranger = try await server.makeUser("stranger")
            let reader = try await F.member(server, "reader", product: chain.product, role: 5)
            let importer = try await F.member(server, "importer", product: chain.product, role: 1)
            let writer = try await F.member(server, "writer", product: chain.product, role: 2)
            let fields = [("engagement", "\(chain.engagement)")]
            let before = try await server.importFootprint()

            let anonymous = try await server.importReport(report: Self.generic, fields: fields, token: .some(nil))
            #expect(anonymous.status == .forbidden)
            #expect(anonymous.json["detail"] == .string("Authentication credentials were not provided."))
            let outsider = try await server.importReport(report: Self.generic, fields: fields, token: stranger.token)
            #expect(outsider.status == .forbidden, "\(outsider.body)")
            #expect(outsider.json["detail"] == .string("You do not have permission to perform this action."))
            let read = try await server.importReport(report: Self.generic, fields: fields, token: reader.token)
            #expect(read.status == .forbidden, "\(read.body)")
            #expect(try await server.importFootprint() == before)

            let imported = try await server.importReport(report: Self.generic, fields: fields, token: importer.token)
            #expect(imported.status == .created, "\(imported.body)")
            let test = try #require(imported.json["test"]?.intValue)
            #expect(try await server.findings(test: test).allSatisfy { $0["reporter"] == .int(importer.id) })
            let written = try await server.importReport(report: Self.generic, fields: fields, token: writer.token)
            #expect(written.status == .created, "\(written.body)")
        }
    }

    @Test("A non-member naming another team's product and engagement is refused, not served")
    func nonMemberByNames() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain(name: "Secret")
            let stranger = try await server.makeUser("stranger")
            let response = try await server.importReport(report: Self.generic, fields: [("product_name", "Secret"), ("engagement_name", "Secret engagement")],
                                                         token: stranger.token)
            #expect(response.status == .forbidden, "\(response.body)")
            #expect(try await server.count("tests", where: "engagement_id = \(chain.engagement)") == 1)
        }
    }

    @Test("A report over the size cap is a 413 on file and stores nothing; one under it imports")
    func fileTooLarge() async throws {
        try await withTestServer(configure: { $0.maxUploadMegabytes = 1 }) { server in
            let chain = try await server.makeChain()
            let padding = String(repeating: "x", count: 1_200_000)
            let big = R.generic([R.Generic("Huge", description: padding)])
            let before = try await server.importFootprint()
            let response = try await server.importReport(report: big, fields: [("engagement", "\(chain.engagement)")])
            #expect(response.status == .payloadTooLarge)
            #expect(response.json["file"]?.items.isEmpty == false, "\(response.body)")
            #expect(try await server.importFootprint() == before)

            let fits = R.generic([R.Generic("Large", description: String(repeating: "y", count: 900_000))])
            let ok = try await server.importReport(report: fits, fields: [("engagement", "\(chain.engagement)")])
            #expect(ok.status == .created, "\(ok.body.prefix(300))")
        }
    }

    // MARK: - Atomicity

    @Test("auto_create_context with a malformed report creates no product type, product, engagement, test, finding or tag")
    func failedParseLeavesNothing() async throws {
        try await withTestServer { server in
            let before = try await server.importFootprint()
            let response = try await server.importReport(report: "{\"findings\": [ {\"title\": ", fields: [
                ("product_type_name", "New type"), ("product_name", "New product"), ("engagement_name", "New engagement"),
                ("auto_create_context", "true"), ("tags", "ci"), ("environment", "Brand-new-env"),
            ])
            #expect(response.status == .badRequest, "\(response.body)")
            #expect(try await server.importFootprint() == before)
        }
    }

    struct LateFailure: Sendable, CustomTestStringConvertible {
        var name: String
        var field: (String, String)
        var testDescription: String { name }
    }

    @Test("A valid report that fails after parsing (auto_create_context) rolls back everything", arguments: [
        LateFailure(name: "unknown lead", field: ("lead", "424242")),
        LateFailure(name: "unknown endpoint_to_add", field: ("endpoint_to_add", "424242")),
        LateFailure(name: "unknown api_scan_configuration", field: ("api_scan_configuration", "424242")),
    ])
    func failureAfterParseLeavesNothing(_ failure: LateFailure) async throws {
        try await withTestServer { server in
            let before = try await server.importFootprint()
            let response = try await server.importReport(report: Self.generic, fields: [
                ("product_type_name", "New type"), ("product_name", "New product"), ("engagement_name", "New engagement"),
                ("auto_create_context", "true"), ("tags", "ci"), ("apply_tags_to_findings", "true"), ("environment", "Brand-new-env"),
                failure.field,
            ])
            #expect(response.status == .badRequest, "\(response.body)")
            #expect(response.json[failure.field.0] != nil, "\(response.body)")
            let after = try await server.importFootprint()
            for (table, count) in before.sorted(by: { $0.key < $1.key }) {
                #expect(after[table] == count, "\(table): \(count) → \(after[table] ?? -1)")
            }
        }
    }

    @Test("An unknown environment on an existing engagement stores no test, finding or tag")
    func environmentFailureLeavesNothing() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let before = try await server.importFootprint()
            let response = try await server.importReport(report: Self.generic, fields: [
                ("engagement", "\(chain.engagement)"), ("environment", "Nowhere"), ("tags", "x"),
            ])
            #expect(response.status == .badRequest)
            #expect(try await server.importFootprint() == before)
        }
    }
}
