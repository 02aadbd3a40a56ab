import BulwarkStorage
import BulwarkTesting
import Foundation
import SQLKit
import Testing

/// The permission matrix (docs/permissions.md): for each way a role can reach a user (a direct
/// grant on the product type or product, a group grant on either, a global role of the user or of
/// a group) and each of DefectDojo's five roles, every CRUD action on products, engagements, tests
/// and findings, the finding actions (close, verify, tags, notes), import-scan and reimport-scan is
/// allowed or denied exactly as the table says.
/// Objects of a product outside the grant answer 404; visible ones beyond the role answer 403.
@Suite("Permission matrix: roles through direct, group and global grants")
struct PermissionMatrixTests {
    typealias Cell = PermissionMatrix.Cell

    @Test("Each role and grant kind gets exactly the matrix's answers", arguments: PermissionMatrix.Grant.allCases, PermissionMatrix.RoleID.allCases)
    func matrix(grant: PermissionMatrix.Grant, role: PermissionMatrix.RoleID) async throws {
        try await withTestServer { server in
            // Given: two product trees; the user holds `role` on the first through `grant`.
            let world = try await PermissionMatrix.World.make(server)
            let user = try await server.makeUser("member")
            try await grant.apply(role: role, user: user.id, world: world, server: server)
            let token: String?? = .some(user.token)
            let expected = PermissionMatrix.expected(role: role, grant: grant)
            var answers: [(Cell, Int, String)] = []
            func record(_ cell: Cell, _ response: TestResponse) { answers.append((cell, Int(response.status.code), response.body)) }
            let mine = world.mine, other = world.other
            // When: reads
            let productList = try await server.request(.GET, "/api/v2/products/", token: token)
            record(.init(.products, .list), productList)
            #expect(productList.json["count"] == .int(grant.isGlobal ? 2 : 1), "\(grant) \(role): \(productList.body.prefix(200))")
            for (resource, path, own, foreign) in [
                (PermissionMatrix.Resource.products, "products", mine.product, other.product),
                (.engagements, "engagements", mine.engagement, other.engagement),
                (.tests, "tests", mine.test, other.test),
                (.findings, "findings", world.myFinding, world.otherFinding),
            ] {
                record(.init(resource, .retrieve), try await server.request(.GET, "/api/v2/\(path)/\(own)/", token: token))
                record(.init(resource, .retrieveOther), try await server.request(.GET, "/api/v2/\(path)/\(foreign)/", token: token))
                record(.init(resource, .updateOther), try await server.request(.PATCH, "/api/v2/\(path)/\(foreign)/", token: token, json: "{}"))
            }
            // When: creates and updates
            record(.init(.products, .create), try await server.request(.POST, "/api/v2/products/", token: token,
                                                                        json: #"{"name":"New product","description":"d","prod_type":\#(mine.productType)}"#))
            record(.init(.products, .update), try await server.request(.PATCH, "/api/v2/products/\(mine.product)/", token: token, json: #"{"description":"changed"}"#))
            record(.init(.engagements, .create), try await server.request(.POST, "/api/v2/engagements/", token: token, json: """
                {"product":\(mine.product),"name":"New","target_start":"2024-01-01","target_end":"2024-02-01"}
                """))
            record(.init(.engagements, .update), try await server.request(.PATCH, "/api/v2/engagements/\(mine.engagement)/", token: token, json: #"{"version":"2"}"#))
            record(.init(.tests, .create), try await server.request(.POST, "/api/v2/tests/", token: token, json: """
                {"engagement":\(mine.engagement),"test_type":\(mine.testType),"title":"New","target_start":"2024-01-01T10:00:00Z","target_end":"2024-01-02T10:00:00Z"}
                """))
            record(.init(.tests, .update), try await server.request(.PATCH, "/api/v2/tests/\(mine.test)/", token: token, json: #"{"title":"Renamed"}"#))
            record(.init(.findings, .create), try await server.request(.POST, "/api/v2/findings/", token: token, json: """
                {"test":\(mine.test),"found_by":[\(mine.testType)],"title":"New","severity":"Low","description":"d","active":true,"verified":false}
                """))
            record(.init(.findings, .update), try await server.request(.PATCH, "/api/v2/findings/\(world.myFinding)/", token: token, json: #"{"title":"Renamed"}"#))
            record(.init(.imports, .importScan), try await server.importReport(
                report: ImportReports.generic(ImportReports.threeFindings), fields: [("engagement", "\(mine.engagement)")], token: token))
            record(.init(.imports, .reimportScan), try await server.importReport(
                "reimport-scan", report: ImportReports.generic(ImportReports.threeFindings), fields: [("test", "\(world.importedTest)")], token: token))
            // When: the finding actions
            record(.init(.findings, .close), try await server.request(.POST, "/api/v2/findings/\(world.spareFinding)/close/", token: token, json: "{}"))
            record(.init(.findings, .closeOther), try await server.request(.POST, "/api/v2/findings/\(world.otherFinding)/close/", token: token, json: "{}"))
            record(.init(.findings, .verify), try await server.request(.POST, "/api/v2/findings/\(world.myFinding)/verify/", token: token))
            record(.init(.findings, .addTags), try await server.request(.POST, "/api/v2/findings/\(world.myFinding)/tags/", token: token, json: #"{"tags":["triaged"]}"#))
            record(.init(.findings, .addNote), try await server.request(.POST, "/api/v2/findings/\(world.myFinding)/notes/", token: token, json: #"{"entry":"seen"}"#))
            // When: deletes, children first, on objects made for it
            record(.init(.findings, .delete), try await server.request(.DELETE, "/api/v2/findings/\(world.spareFinding)/", token: token))
            record(.init(.tests, .delete), try await server.request(.DELETE, "/api/v2/tests/\(world.spareTest)/", token: token))
            record(.init(.engagements, .delete), try await server.request(.DELETE, "/api/v2/engagements/\(world.spareEngagement)/", token: token))
            record(.init(.products, .delete), try await server.request(.DELETE, "/api/v2/products/\(mine.product)/", token: token))
            // Then
            #expect(answers.count == 32)
            for (cell, status, body) in answers {
                let want = try #require(expected[cell], "no expectation for \(cell)")
                #expect(status == want, "\(grant) \(role) \(cell): got \(status) \(body.prefix(200))")
                if status == 403, want == 403 {
                    #expect(body == #"{"detail":"You do not have permission to perform this action."}"#, "\(grant) \(role) \(cell): \(body)")
                }
            }
            if expected[.init(.products, .list)] == 200 {
                let listed = try await server.request(.GET, "/api/v2/findings/", token: token)
                let ids = Set(listed.json["results"]?.items.compactMap { $0["id"]?.intValue } ?? [])
                #expect(ids.contains(world.otherFinding) == grant.isGlobal, "\(grant) \(role): foreign findings listed \(ids)")
            }
        }
    }
}
