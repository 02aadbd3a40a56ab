import BulwarkCore
import BulwarkStorage
import BulwarkTesting
import Foundation
import SQLKit
import Testing

extension ImportScanTests {
    // MARK: - auto_create_context

    @Test("auto_create_context creates product type, product and CI/CD engagement with the caller as owner")
    func autoCreateContext() async throws {
        try await withTestServer { server in
            // When importing into names that do not exist yet
            let response = try await server.importReport(report: Self.generic, fields: [
                ("product_type_name", "Web Apps"), ("product_name", "Storefront"), ("engagement_name", "CI pipeline"),
                ("auto_create_context", "true"), ("deduplication_on_engagement", "true"),
                ("source_code_management_uri", "https://git.example.com/storefront"),
            ])

            // Then everything is created and linked
            #expect(response.status == .created, "\(response.body)")
            let typeID = try #require(response.json["product_type_id"]?.intValue)
            let productID = try #require(response.json["product_id"]?.intValue)
            let engagementID = try #require(response.json["engagement_id"]?.intValue)
            #expect(response.json["auto_create_context"] == .bool(true))
            #expect(response.json["product_name"] == .string("Storefront"))
            let productType = try await server.request(.GET, "/api/v2/product_types/\(typeID)/")
            #expect(productType.json["name"] == .string("Web Apps"))
            let product = try await server.request(.GET, "/api/v2/products/\(productID)/")
            #expect(product.json["name"] == .string("Storefront"))
            #expect(product.json["description"] == .string("Storefront"))
            #expect(product.json["prod_type"] == .int(typeID))
            let engagement = try await server.request(.GET, "/api/v2/engagements/\(engagementID)/")
            #expect(engagement.json["name"] == .string("CI pipeline"))
            #expect(engagement.json["product"] == .int(productID))
            #expect(engagement.json["engagement_type"] == .string("CI/CD"))
            #expect(engagement.json["status"] == .string("In Progress"))
            #expect(engagement.json["lead"] == .int(1))
            #expect(engagement.json["deduplication_on_engagement"] == .bool(true))
            #expect(engagement.json["source_code_management_uri"] == .string("https://git.example.com/storefront"))
            #expect(engagement.json["target_start"] == .string(Self.today()))
            let yearOn = DateFormatting.day(DateFormatting.adding(days: 365, to: try #require(DateFormatting.parseDay(Self.today()))))
            #expect(engagement.json["target_end"] == .string(yearOn))
            // The caller owns what was created.
            #expect(try await server.count("product_members", where: "product_id = \(productID) AND user_id = 1 AND role_id = 4") == 1)
            #expect(try await server.count("product_type_members", where: "product_type_id = \(typeID) AND user_id = 1 AND role_id = 4") == 1)

            // And a second import with the same names reuses them
            let again = try await server.importReport(report: Self.generic, fields: [
                ("product_type_name", "Web Apps"), ("product_name", "Storefront"), ("engagement_name", "CI pipeline"), ("auto_create_context", "true"),
            ])
            #expect(again.status == .created, "\(again.body)")
            #expect(again.json["engagement_id"] == .int(engagementID))
            #expect(again.json["product_id"] == .int(productID))
            #expect(try await server.count("products", where: "name = 'Storefront'") == 1)
            #expect(try await server.count("engagements", where: "name = 'CI pipeline'") == 1)
            #expect(try await server.count("tests", where: "engagement_id = \(engagementID)") == 2)
        }
    }

    @Test("engagement_end_date sets the auto-created engagement's end; a past one becomes today + 365 days")
    func engagementEndDate() async throws {
        try await withTestServer { server in
            let future = DateFormatting.day(Date().addingTimeInterval(40 * 86_400))
            let first = try await server.importReport(report: Self.generic, fields: [
                ("product_type_name", "T"), ("product_name", "P"), ("engagement_name", "E1"), ("auto_create_context", "true"),
                ("engagement_end_date", future),
            ])
            #expect(first.status == .created, "\(first.body)")
            let e1 = try #require(first.json["engagement_id"]?.intValue)
            #expect(try await server.request(.GET, "/api/v2/engagements/\(e1)/").json["target_end"] == .string(future))

            let second = try await server.importReport(report: Self.generic, fields: [
                ("product_type_name", "T"), ("product_name", "P"), ("engagement_name", "E2"), ("auto_create_context", "true"),
                ("engagement_end_date", "2020-01-01"),
            ])
            let e2 = try #require(second.json["engagement_id"]?.intValue)
            let yearOn = DateFormatting.day(DateFormatting.adding(days: 365, to: try #require(DateFormatting.parseDay(Self.today()))))
            #expect(try await server.request(.GET, "/api/v2/engagements/\(e2)/").json["target_end"] == .string(yearOn))
        }
    }

    @Test("Names without auto_create_context: unknown product or engagement is a 400 naming what is missing")
    func namesWithoutAutoCreate() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain(name: "Shop")
            let before = try await server.importFootprint()
            let noProduct = try await server.importReport(report: Self.generic, fields: [("product_name", "Nope"), ("engagement_name", "E")])
            #expect(noProduct.status == .badRequest)
            #expect(noProduct.json["message"]?.stringValue?.contains("auto_create_context not True, unable to create non-existing product") == true,
                    "\(noProduct.body)")
            let noEngagement = try await server.importReport(report: Self.generic, fields: [("product_name", "Shop"), ("engagement_name", "Nope")])
            #expect(noEngagement.status == .badRequest)
            #expect(noEngagement.json["message"]?.stringValue?.contains("auto_create_context not True, unable to create non-existing engagement") == true,
                    "\(noEngagement.body)")
            #expect(try await server.importFootprint() == before)

            // Existing names resolve without auto_create_context
            let ok = try await server.importReport(report: Self.generic, fields: [("product_name", "Shop"), ("engagement_name", "Shop engagement")])
            #expect(ok.status == .created, "\(ok.body)")
            #expect(ok.json["engagement_id"] == .int(chain.engagement))
        }
    }

    @Test("Names resolve to the newest engagement of that name in the product")
    func newestEngagementByName() async throws {
        try await withTestServer { server in
            let tree = try await F.engagementTree(server, name: "Shop")
            let older = try await F.engagement(server, product: tree.product, name: "Nightly")
            let newer = try await F.engagement(server, product: tree.product, name: "Nightly")
            #expect(newer > older)
            let response = try await server.importReport(report: Self.generic, fields: [("product_name", "Shop"), ("engagement_name", "Nightly")])
            #expect(response.status == .created, "\(response.body)")
            #expect(response.json["engagement_id"] == .int(newer))
        }
    }

    @Test("auto_create_context as a non-superuser: a product type owner may create a product in it; a new product type needs global rights")
    func autoCreatePermissions() async throws {
        try await withTestServer { server in
            let type = try await F.productType(server, "Team type")
            let owner = try await server.makeUser("team-owner")
            try await server.sql.raw("INSERT INTO product_type_members (product_type_id, user_id, role_id) VALUES (\(bind: type), \(bind: owner.id), 4)").run()

            let ok = try await server.importReport(report: Self.generic, fields: [
                ("product_type_name", "Team type"), ("product_name", "Team product"), ("engagement_name", "E"), ("auto_create_context", "true"),
            ], token: owner.token)
            #expect(ok.status == .created, "\(ok.body)")
            let product = try #require(ok.json["product_id"]?.intValue)
            #expect(try await server.count("product_members", where: "product_id = \(product) AND user_id = \(owner.id) AND role_id = 4") == 1)
            let engagementID = try #require(ok.json["engagement_id"]?.intValue)
            #expect(try await server.request(.GET, "/api/v2/engagements/\(engagementID)/").json["lead"] == .int(owner.id))

            let before = try await server.importFootprint()
            let denied = try await server.importReport(report: Self.generic, fields: [
                ("product_type_name", "Brand new type"), ("product_name", "X"), ("engagement_name", "E"), ("auto_create_context", "true"),
            ], token: owner.token)
            #expect(denied.status == .forbidden, "\(denied.body)")
            #expect(try await server.importFootprint() == before)
        }
    }

    // MARK: - close_old_findings

    @Test("close_old_findings closes findings of earlier tests of the same type in the engagement that the report no longer has")
    func closeOldFindings() async throws {
        try await withTestServer { server in
            // Given an earlier import of three findings
            let chain = try await server.makeChain()
            let first = try await Self.importGeneric(server, engagement: chain.engagement)
            let old = try await server.findings(test: first)
            let gone = try #require(old.first { $0["title"] == .string("Verbose server banner") }?["id"]?.intValue)

            // When importing only the first two with close_old_findings
            let report = R.generic(Array(R.threeFindings.prefix(2)))
            let response = try await server.importReport(report: report, fields: [("engagement", "\(chain.engagement)"), ("close_old_findings", "true")])
            #expect(response.status == .created, "\(response.body)")
            #expect(response.json["close_old_findings"] == .bool(true))
            let second = try #require(response.json["test"]?.intValue)

            // Then the missing one is mitigated by the importer; the others stay open
            let after = try await server.findings(test: first)
            for finding in after {
                let id = finding["id"]?.intValue
                if id == gone {
                    #expect(finding["active"] == .bool(false))
                    #expect(finding["is_mitigated"] == .bool(true))
                    #expect(finding["mitigated"] != .null)
                    #expect(finding["mitigated_by"] == .int(1))
                } else {
                    #expect(finding["active"] == .bool(true), "\(finding)")
                    #expect(finding["is_mitigated"] == .bool(false))
                }
            }
            #expect(try await server.noteEntries(finding: gone).count == 1)
            // The import's history records the closed finding.
            let history = try await server.request(.GET, "/api/v2/test_imports/?test=\(second)")
            let actions = history.json["results"]?.items.first?["test_import_finding_action_set"]?.items ?? []
            #expect(actions.filter { $0["action"] == .string("C") }.compactMap { $0["finding"]?.intValue } == [gone])
            #expect(actions.filter { $0["action"] == .string("N") }.count == 2)
        }
    }

    @Test("close_old_findings defaults to false on import")
    func closeOldFindingsDefault() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let first = try await Self.importGeneric(server, engagement: chain.engagement)
            let response = try await server.importReport(report: R.generic([R.threeFindings[0]]), fields: [("engagement", "\(chain.engagement)")])
            #expect(response.status == .created)
            #expect(response.json["close_old_findings"] == .bool(false))
            #expect(try await server.findings(test: first).allSatisfy { $0["is_mitigated"] == .bool(false) && $0["active"] == .bool(true) })
        }
    }

    @Test("close_old_findings stays in the engagement unless close_old_findings_product_scope widens it to the product")
    func closeOldFindingsProductScope() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let otherEngagement = try await F.engagement(server, product: chain.product, name: "Other")
            let first = try await Self.importGeneric(server, engagement: chain.engagement)
            let report = R.generic([R.threeFindings[0]])

            let narrow = try await server.importReport(report: report, fields: [("engagement", "\(otherEngagement)"), ("close_old_findings", "true")])
            #expect(narrow.status == .created, "\(narrow.body)")
            #expect(try await server.findings(test: first).filter { $0["is_mitigated"] == .bool(true) }.isEmpty)

            let wide = try await server.importReport(report: report, fields: [
                ("engagement", "\(otherEngagement)"), ("close_old_findings", "true"), ("close_old_findings_product_scope", "true"),
            ])
            #expect(wide.status == .created, "\(wide.body)")
            #expect(wide.json["close_old_findings_product_scope"] == .bool(true))
            let closed = try await server.findings(test: first).filter { $0["is_mitigated"] == .bool(true) }.compactMap { $0["title"]?.stringValue }
            #expect(Set(closed) == ["Reflected XSS in search", "Verbose server banner"])
        }
    }

    @Test("close_old_findings only closes findings of the same service and the same test type")
    func closeOldFindingsScope() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let withService = try await Self.importGeneric(server, engagement: chain.engagement, fields: [("service", "api")])
            let zap = try await server.importReport(scanType: "ZAP Scan", report: R.zap, filename: "zap.xml", fields: [("engagement", "\(chain.engagement)")])
            let zapTest = try #require(zap.json["test"]?.intValue)
            let noService = try await Self.importGeneric(server, engagement: chain.engagement)

            // An import of one finding without service closes the service-less Generic findings only
            let response = try await server.importReport(report: R.generic([R.threeFindings[0]]),
                                                         fields: [("engagement", "\(chain.engagement)"), ("close_old_findings", "true")])
            #expect(response.status == .created, "\(response.body)")
            #expect(try await server.findings(test: withService).allSatisfy { $0["is_mitigated"] == .bool(false) })
            #expect(try await server.findings(test: zapTest).allSatisfy { $0["is_mitigated"] == .bool(false) })
            #expect(try await server.findings(test: noService).filter { $0["is_mitigated"] == .bool(true) }.count == 2)

            // And one with service=api closes only the api findings
            let api = try await server.importReport(report: R.generic([R.threeFindings[0]]),
                                                    fields: [("engagement", "\(chain.engagement)"), ("close_old_findings", "true"), ("service", "api")])
            #expect(api.status == .created, "\(api.body)")
            #expect(try await server.findings(test: withService).filter { $0["is_mitigated"] == .bool(true) }.count == 2)
        }
    }

    @Test("close_old_findings also closes risk-accepted findings and removes their risk acceptance")
    func closeOldRiskAccepted() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let first = try await Self.importGeneric(server, engagement: chain.engagement)
            let accepted = try #require(try await server.findings(test: first).first { $0["title"] == .string("Verbose server banner") }?["id"]?.intValue)
            try await server.sql.raw("UPDATE findings SET risk_accepted = \(bind: true), active = \(bind: false) WHERE id = \(bind: accepted)").run()
            let response = try await server.importReport(report: R.generic(Array(R.threeFindings.prefix(2))),
                                                         fields: [("engagement", "\(chain.engagement)"), ("close_old_findings", "true")])
            #expect(response.status == .created, "\(response.body)")
            let finding = try #require(try await server.findings(test: first).first { $0["id"] == .int(accepted) })
            #expect(finding["is_mitigated"] == .bool(true))
            #expect(finding["risk_accepted"] == .bool(false))
        }
    }

    @Test("close_old_findings: a finding the new report marks mitigated does not keep the old one open")
    func closeOldMitigatedInReport() async throws {
        try await withTestServer { server in
            let chain = try await server.makeChain()
            let first = try await Self.importGeneric(server, engagement: chain.engagement)
            var findings = R.threeFindings
            findings[0].extra = #", "is_mitigated": true"#
            let response = try await server.importReport(report: R.generic(findings), fields: [("engagement", "\(chain.engagement)"), ("close_old_findings", "true")])
            #expect(response.status == .created, "\(response.body)")
            #expect(response.json["statistics"]?["after"]?["total"]?["is_mitigated"] == .int(1))
            let closed = try await server.findings(test: first).filter { $0["is_mitigated"] == .bool(true) }.compactMap { $0["title"]?.stringValue }
            #expect(closed == ["SQL Injection in login"])
        }
    }
}
