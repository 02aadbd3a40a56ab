import BulwarkStorage
import BulwarkTesting
import Foundation
import SQLKit
import Testing

/// The web pages ask the same authorization service as the API: a group grant or a global role
/// shows a product's pages exactly as a direct membership does.
@Suite("Web pages honour group grants and global roles")
struct PageAccessTests {
    @Test("A group member and a global reader see the product's pages; leaving the group hides them again")
    func groupAndGlobalGrants() async throws {
        try await withTestServer { server in
            // Given
            let chain = try await server.makeChain(name: "Shop")
            let member = try await server.makeUser("member", password: "Us3r-Passw0rd!")
            let auditor = try await server.makeUser("auditor", password: "Us3r-Passw0rd!")
            let sql = try server.sql
            try await sql.raw("INSERT INTO dojo_groups (name) VALUES ('Team')").run()
            try await sql.raw("INSERT INTO dojo_group_members (group_id, user_id, role_id) VALUES (1, \(bind: member.id), 5)").run()
            try await sql.raw("INSERT INTO product_groups (product_id, group_id, role_id) VALUES (\(bind: chain.product), 1, 5)").run()
            try await sql.raw("INSERT INTO global_roles (user_id, role_id) VALUES (\(bind: auditor.id), 5)").run()
            let memberSession = try #require(try await WebSession.login(server, username: "member", password: "Us3r-Passw0rd!"))
            let auditorSession = try #require(try await WebSession.login(server, username: "auditor", password: "Us3r-Passw0rd!"))
            // When
            let memberProduct = try await memberSession.get("/product/\(chain.product)")
            let memberTest = try await memberSession.get("/test/\(chain.test)")
            let auditorList = try await auditorSession.get("/product")
            try await sql.raw("DELETE FROM dojo_group_members WHERE user_id = \(bind: member.id)").run()
            let afterLeaving = try await memberSession.get("/product/\(chain.product)")
            // Then
            #expect(memberProduct.status == .ok)
            #expect(memberTest.status == .ok)
            #expect(auditorList.body.contains("Shop"))
            #expect(afterLeaving.status == .notFound)
        }
    }
}
