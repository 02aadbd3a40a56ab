import BulwarkStorage
import BulwarkTesting
import Foundation
import SQLKit
import Testing

/// `roles/`, `dojo_groups/`, `dojo_group_members/`, `global_roles/` and the member and group
/// grants on product types and products, with DefectDojo 2.x fields and rules.
@Suite("Membership resources: roles, groups, members, grants and global roles")
struct MembershipResourcesTests {
    static func grant(_ server: TestServer, _ path: String, _ json: String, token: String?? = .none) async throws -> TestResponse {
        try await server.request(.POST, "/api/v2/\(path)/", token: token, json: json)
    }

    @Test("roles/ lists DefectDojo's five fixed roles by name and is read-only")
    func roles() async throws {
        try await withTestServer { server in
            // Given
            let user = try await server.makeUser("someone")
            // When
            let list = try await server.request(.GET, "/api/v2/roles/", token: .some(user.token))
            let create = try await server.request(.POST, "/api/v2/roles/", json: #"{"name":"Boss"}"#)
            let owner = try await server.request(.GET, "/api/v2/roles/4/", token: .some(user.token))
            // Then
            #expect(list.status == .ok)
            let results = list.json["results"]?.items ?? []
            #expect(results.compactMap { $0["name"]?.stringValue } == ["API_Importer", "Maintainer", "Owner", "Reader", "Writer"])
            #expect(results.compactMap { $0["id"]?.intValue } == [1, 3, 4, 5, 2])
            #expect(owner.json.keys == ["id", "name", "is_owner"])
            #expect(owner.json["is_owner"] == .bool(true))
            #expect(create.status == .methodNotAllowed)
        }
    }

    @Test("Member rows have DefectDojo's fields; PATCH is refused with 405 as in DefectDojo")
    func memberShape() async throws {
        try await withTestServer { server in
            // Given
            let chain = try await server.makeChain()
            let user = try await server.makeUser("reader")
            // When
            let created = try await Self.grant(server, "product_members", #"{"product":\#(chain.product),"user":\#(user.id),"role":5}"#)
            let id = try #require(created.json["id"]?.intValue)
            let patch = try await server.request(.PATCH, "/api/v2/product_members/\(id)/", json: #"{"role":2}"#)
            let put = try await server.request(.PUT, "/api/v2/product_members/\(id)/", json: #"{"product":\#(chain.product),"user":\#(user.id),"role":2}"#)
            let filtered = try await server.request(.GET, "/api/v2/product_members/?user_id=\(user.id)&prefetch=role")
            let product = try await server.request(.GET, "/api/v2/products/\(chain.product)/")
            // Then
            #expect(created.status == .created, "\(created.body)")
            #expect(created.json.keys == ["id", "product", "user", "role", "prefetch"])
            #expect(patch.status == .methodNotAllowed)
            #expect(patch.json["message"] == .string("Patch function is not offered in this path."))
            #expect(put.status == .ok, "\(put.body)")
            #expect(put.json["role"] == .int(2))
            #expect(filtered.json["count"] == .int(1))
            #expect(filtered.json["prefetch"]?["role"]?["2"]?["name"] == .string("Writer"))
            #expect(product.json["members"]?.items.contains(.int(user.id)) == true)
        }
    }

    @Test("Only Maintainers and Owners manage members; only Owners add Owners; duplicates and hidden products are refused")
    func managingMembers() async throws {
        try await withTestServer { server in
            // Given
            let chain = try await server.makeChain()
            let hidden = try await server.makeChain(name: "Hidden")
            let maintainer = try await server.makeUser("maintainer")
            let writer = try await server.makeUser("writer")
            let newcomer = try await server.makeUser("newcomer")
            _ = try await Self.grant(server, "product_members", #"{"product":\#(chain.product),"user":\#(maintainer.id),"role":3}"#)
            _ = try await Self.grant(server, "product_members", #"{"product":\#(chain.product),"user":\#(writer.id),"role":2}"#)
            // When
            let byWriter = try await Self.grant(server, "product_members", #"{"product":\#(chain.product),"user":\#(newcomer.id),"role":5}"#, token: .some(writer.token))
            let ownerByMaintainer = try await Self.grant(server, "product_members", #"{"product":\#(chain.product),"user":\#(newcomer.id),"role":4}"#, token: .some(maintainer.token))
            let readerByMaintainer = try await Self.grant(server, "product_members", #"{"product":\#(chain.product),"user":\#(newcomer.id),"role":5}"#, token: .some(maintainer.token))
            let duplicate = try await Self.grant(server, "product_members", #"{"product":\#(chain.product),"user":\#(newcomer.id),"role":2}"#, token: .some(maintainer.token))
            let hiddenProduct = try await Self.grant(server, "product_members", #"{"product":\#(hidden.product),"user":\#(newcomer.id),"role":5}"#, token: .some(maintainer.token))
            let listedByWriter = try await server.request(.GET, "/api/v2/product_members/", token: .some(writer.token))
            // Then
            #expect(byWriter.status == .forbidden)
            #expect(byWriter.json["detail"] == .string("You do not have permission to perform this action."))
            #expect(ownerByMaintainer.status == .forbidden)
            #expect(ownerByMaintainer.json["detail"] == .string("You are not permitted to add a member as Owner to this product"))
            #expect(readerByMaintainer.status == .created, "\(readerByMaintainer.body)")
            #expect(duplicate.status == .badRequest)
            #expect(duplicate.json["non_field_errors"] == .array([.string("Product_Member already exists")]))
            #expect(hiddenProduct.status == .badRequest)
            #expect(hiddenProduct.json["product"] == .array([.string("Invalid pk \"\(hidden.product)\" - object does not exist.")]))
            #expect(listedByWriter.json["count"] == .int(3), "members of the writer's product only: \(listedByWriter.body)")
        }
    }

    @Test("The last owner of a product type can be neither removed nor demoted; a second owner makes it possible")
    func lastOwner() async throws {
        try await withTestServer { server in
            // Given: the admin created the type, so it is its only owner
            let type = try await EngagementFixtures.productType(server, "Solo")
            let admin = try await server.request(.GET, "/api/v2/product_type_members/?product_type_id=\(type)")
            let adminGrant = try #require(admin.json["results"]?.items.first?["id"]?.intValue)
            // When
            let remove = try await server.request(.DELETE, "/api/v2/product_type_members/\(adminGrant)/")
            let demote = try await server.request(.PUT, "/api/v2/product_type_members/\(adminGrant)/", json: #"{"product_type":\#(type),"user":1,"role":5}"#)
            let other = try await server.makeUser("second")
            _ = try await Self.grant(server, "product_type_members", #"{"product_type":\#(type),"user":\#(other.id),"role":4}"#)
            let removeNow = try await server.request(.DELETE, "/api/v2/product_type_members/\(adminGrant)/")
            // Then
            #expect(remove.status == .badRequest)
            #expect(remove.body == #""There must be at least one owner""#)
            #expect(demote.status == .badRequest)
            #expect(demote.json["non_field_errors"] == .array([.string("There must be at least one owner")]))
            #expect(removeNow.status == .noContent)
        }
    }

    @Test("A Maintainer cannot remove or change an Owner's grant; a member may leave")
    func notAboveOwnRole() async throws {
        try await withTestServer { server in
            // Given
            let chain = try await server.makeChain()
            let maintainer = try await server.makeUser("maintainer")
            let owner = try await server.makeUser("owner")
            let mine = try await Self.grant(server, "product_members", #"{"product":\#(chain.product),"user":\#(maintainer.id),"role":3}"#)
            let theirs = try await Self.grant(server, "product_members", #"{"product":\#(chain.product),"user":\#(owner.id),"role":4}"#)
            let ownerGrant = try #require(theirs.json["id"]?.intValue)
            let maintainerGrant = try #require(mine.json["id"]?.intValue)
            // When
            let demote = try await server.request(.PUT, "/api/v2/product_members/\(ownerGrant)/", token: .some(maintainer.token),
                                                  json: #"{"product":\#(chain.product),"user":\#(owner.id),"role":5}"#)
            let remove = try await server.request(.DELETE, "/api/v2/product_members/\(ownerGrant)/", token: .some(maintainer.token))
            let leave = try await server.request(.DELETE, "/api/v2/product_members/\(maintainerGrant)/", token: .some(maintainer.token))
            let afterLeaving = try await server.request(.GET, "/api/v2/products/\(chain.product)/", token: .some(maintainer.token))
            // Then
            #expect(demote.status == .forbidden)
            #expect(remove.status == .forbidden)
            #expect(leave.status == .noContent)
            #expect(afterLeaving.status == .notFound)
        }
    }

    @Test("Groups: the creator owns it, members see it, others get 404; a group grant reaches every member until they leave")
    func groups() async throws {
        try await withTestServer { server in
            // Given
            let chain = try await server.makeChain()
            let member = try await server.makeUser("member")
            let outsider = try await server.makeUser("outsider")
            let group = try await Self.grant(server, "dojo_groups", #"{"name":"AppSec","description":"the team"}"#)
            let groupID = try #require(group.json["id"]?.intValue)
            let membership = try await Self.grant(server, "dojo_group_members", #"{"group":\#(groupID),"user":\#(member.id),"role":5}"#)
            let productGrant = try await Self.grant(server, "product_groups", #"{"product":\#(chain.product),"group":\#(groupID),"role":2}"#)
            // When
            let seen = try await server.request(.GET, "/api/v2/dojo_groups/\(groupID)/", token: .some(member.token))
            let hidden = try await server.request(.GET, "/api/v2/dojo_groups/\(groupID)/", token: .some(outsider.token))
            let product = try await server.request(.GET, "/api/v2/products/\(chain.product)/", token: .some(member.token))
            let edit = try await server.request(.PATCH, "/api/v2/engagements/\(chain.engagement)/", token: .some(member.token), json: #"{"version":"9"}"#)
            let membershipID = try #require(membership.json["id"]?.intValue)
            let left = try await server.request(.DELETE, "/api/v2/dojo_group_members/\(membershipID)/", token: .some(member.token))
            let afterLeaving = try await server.request(.GET, "/api/v2/products/\(chain.product)/", token: .some(member.token))
            // Then
            #expect(group.status == .created)
            #expect(group.json.keys == ["id", "configuration_permissions", "name", "description", "social_provider", "users", "prefetch"])
            #expect(group.json["users"] == .array([.int(1)]))
            #expect(productGrant.status == .created, "\(productGrant.body)")
            #expect(productGrant.json.keys == ["id", "product", "group", "role", "prefetch"])
            #expect(seen.status == .ok)
            #expect(hidden.status == .notFound)
            #expect(product.status == .ok)
            #expect(product.json["authorization_groups"] == .array([.int(groupID)]))
            #expect(edit.status == .ok, "\(edit.body)")
            #expect(left.status == .noContent)
            #expect(afterLeaving.status == .notFound)
        }
    }

    @Test("global_roles/ is for superusers; a row names a user or a group, never both nor neither")
    func globalRoles() async throws {
        try await withTestServer { server in
            // Given
            let user = try await server.makeUser("auditor")
            let group = try await Self.grant(server, "dojo_groups", #"{"name":"Auditors"}"#)
            let groupID = try #require(group.json["id"]?.intValue)
            // When
            let byUser = try await Self.grant(server, "global_roles", #"{"user":\#(user.id),"role":5}"#, token: .some(user.token))
            let both = try await Self.grant(server, "global_roles", #"{"user":\#(user.id),"group":\#(groupID),"role":5}"#)
            let neither = try await Self.grant(server, "global_roles", #"{"role":5}"#)
            let created = try await Self.grant(server, "global_roles", #"{"user":\#(user.id),"role":5}"#)
            let again = try await Self.grant(server, "global_roles", #"{"user":\#(user.id),"role":2}"#)
            // Then
            #expect(byUser.status == .forbidden)
            #expect(both.json["non_field_errors"] == .array([.string("Global_Role cannot have both user and group")]))
            #expect(neither.json["non_field_errors"] == .array([.string("Global_Role must have either user or group")]))
            #expect(created.status == .created, "\(created.body)")
            #expect(created.json.keys == ["id", "user", "group", "role", "prefetch"])
            #expect(again.status == .badRequest)
            #expect(again.json["user"] == .array([.string("global_ role with this user already exists.")]))
        }
    }

    @Test("Deleting a group removes its members and grants; user_profile lists group memberships and the global role")
    func groupDeletionAndProfile() async throws {
        try await withTestServer { server in
            // Given
            let chain = try await server.makeChain()
            let user = try await server.makeUser("member")
            let group = try #require(try await Self.grant(server, "dojo_groups", #"{"name":"Ops"}"#).json["id"]?.intValue)
            _ = try await Self.grant(server, "dojo_group_members", #"{"group":\#(group),"user":\#(user.id),"role":5}"#)
            _ = try await Self.grant(server, "product_type_groups", #"{"product_type":\#(chain.productType),"group":\#(group),"role":5}"#)
            let global = try await Self.grant(server, "global_roles", #"{"user":\#(user.id),"role":1}"#)
            // When
            let profile = try await server.request(.GET, "/api/v2/user_profile/", token: .some(user.token))
            let preview = try await server.request(.GET, "/api/v2/dojo_groups/\(group)/delete_preview/")
            let deleted = try await server.request(.DELETE, "/api/v2/dojo_groups/\(group)/")
            // Then
            #expect(profile.json["dojo_group_member"]?.items.first?["group"] == .int(group))
            #expect(profile.json["dojo_group_member"]?.items.first?.keys == ["id", "group", "user", "role"])
            #expect(profile.json["global_role"]?["role"] == .int(1))
            #expect(profile.json["global_role"]?["id"] == global.json["id"])
            #expect(preview.json["results"]?.items.compactMap { $0["model"]?.stringValue }.contains("Product_Type_Group") == true)
            #expect(deleted.status == .noContent)
            #expect(try await server.count("dojo_group_members", where: "group_id = \(group)") == 0)
            #expect(try await server.count("product_type_groups", where: "group_id = \(group)") == 0)
        }
    }

    @Test("A global role reaches product types too: a global Maintainer edits any product type and adds products to it")
    func globalRoleOnProductTypes() async throws {
        try await withTestServer { server in
            // Given
            let type = try await EngagementFixtures.productType(server, "Any")
            let user = try await server.makeUser("global")
            _ = try await Self.grant(server, "global_roles", #"{"user":\#(user.id),"role":3}"#)
            // When
            let types = try await server.request(.GET, "/api/v2/product_types/", token: .some(user.token))
            let edit = try await server.request(.PATCH, "/api/v2/product_types/\(type)/", token: .some(user.token), json: #"{"description":"x"}"#)
            let delete = try await server.request(.DELETE, "/api/v2/product_types/\(type)/", token: .some(user.token))
            let product = try await server.request(.POST, "/api/v2/products/", token: .some(user.token),
                                                   json: #"{"name":"P","description":"d","prod_type":\#(type)}"#)
            // Then
            #expect(types.json["count"] == .int(1))
            #expect(edit.status == .ok)
            #expect(delete.status == .forbidden)
            #expect(product.status == .created, "\(product.body)")
        }
    }
}
