import BulwarkStorage
import BulwarkTesting
import Foundation
import SQLKit
import Testing

/// The expectations of ``PermissionMatrixTests`` and the objects it acts on. The rules written
/// here are the table in docs/permissions.md.
enum PermissionMatrix {
    /// DefectDojo's role ids.
    enum RoleID: Int, CaseIterable, CustomTestStringConvertible, Sendable {
        case apiImporter = 1, writer = 2, maintainer = 3, owner = 4, reader = 5
        var testDescription: String { "\(self)" }
        var atLeastWriter: Bool { [.writer, .maintainer, .owner].contains(self) }
        var atLeastMaintainer: Bool { [.maintainer, .owner].contains(self) }
    }

    /// How the role reaches the user.
    enum Grant: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case productTypeMember, productMember, productTypeGroup, productGroup, globalRole, groupGlobalRole
        var testDescription: String { rawValue }
        var isGlobal: Bool { self == .globalRole || self == .groupGlobalRole }
        /// Whether the grant covers the product type (products may be added to it).
        var coversProductType: Bool { self != .productMember && self != .productGroup }

        /// Grants the role through the API as the admin.
        func apply(role: RoleID, user: Int, world: World, server: TestServer) async throws {
            func post(_ path: String, _ json: String) async throws -> Int {
                let response = try await server.request(.POST, "/api/v2/\(path)/", json: json)
                #expect(response.status == .created, "\(path): \(response.body)")
                return try #require(response.json["id"]?.intValue)
            }
            func group() async throws -> Int {
                let group = try await post("dojo_groups", #"{"name":"Team"}"#)
                try await post("dojo_group_members", #"{"group":\#(group),"user":\#(user),"role":5}"#)
                return group
            }
            switch self {
            case .productTypeMember: _ = try await post("product_type_members", #"{"product_type":\#(world.mine.productType),"user":\#(user),"role":\#(role.rawValue)}"#)
            case .productMember: _ = try await post("product_members", #"{"product":\#(world.mine.product),"user":\#(user),"role":\#(role.rawValue)}"#)
            case .productTypeGroup:
                _ = try await post("product_type_groups", #"{"product_type":\#(world.mine.productType),"group":\#(try await group()),"role":\#(role.rawValue)}"#)
            case .productGroup: _ = try await post("product_groups", #"{"product":\#(world.mine.product),"group":\#(try await group()),"role":\#(role.rawValue)}"#)
            case .globalRole: _ = try await post("global_roles", #"{"user":\#(user),"role":\#(role.rawValue)}"#)
            case .groupGlobalRole: _ = try await post("global_roles", #"{"group":\#(try await group()),"role":\#(role.rawValue)}"#)
            }
        }
    }

    enum Resource: String, Sendable { case products, engagements, tests, findings, imports }
    enum Action: String, Sendable {
        case list, retrieve, create, update, delete, retrieveOther, updateOther, importScan, reimportScan
        case close, closeOther, verify, addTags, addNote
    }

    struct Cell: Hashable, CustomStringConvertible {
        var resource: Resource
        var action: Action
        init(_ resource: Resource, _ action: Action) {
            self.resource = resource
            self.action = action
        }
        var description: String { "\(resource.rawValue).\(action.rawValue)" }
    }

    /// The status each cell must answer.
    static func expected(role: RoleID, grant: Grant) -> [Cell: Int] {
        func allow(_ allowed: Bool, _ success: Int) -> Int { allowed ? success : 403 }
        var table: [Cell: Int] = [.init(.products, .list): 200]
        for resource in [Resource.products, .engagements, .tests, .findings] {
            table[.init(resource, .retrieve)] = 200
            // Another product's objects are invisible (404) unless the role is global.
            table[.init(resource, .retrieveOther)] = grant.isGlobal ? 200 : 404
            let canChangeOther = switch resource {
            case .products: role.atLeastMaintainer
            case .findings: role.atLeastWriter
            default: role.atLeastWriter || role == .apiImporter
            }
            table[.init(resource, .updateOther)] = grant.isGlobal ? allow(canChangeOther, 200) : 404
        }
        table[.init(.products, .create)] = allow(grant.coversProductType && role.atLeastMaintainer, 201)
        table[.init(.products, .update)] = allow(role.atLeastMaintainer, 200)
        table[.init(.products, .delete)] = allow(role == .owner, 204)
        for resource in [Resource.engagements, .tests, .findings] {
            // API_Importer adds and edits engagements and edits tests (DefectDojo's Engagement_Add/Edit, Test_Edit).
            let importerAdds = resource == .engagements
            let importerEdits = resource != .findings
            table[.init(resource, .create)] = allow(role.atLeastWriter || (importerAdds && role == .apiImporter), 201)
            table[.init(resource, .update)] = allow(role.atLeastWriter || (importerEdits && role == .apiImporter), 200)
            table[.init(resource, .delete)] = allow(role.atLeastMaintainer, 204)
        }
        // The finding actions change the finding: Writer and up (DefectDojo's Finding_Edit).
        table[.init(.findings, .close)] = allow(role.atLeastWriter, 200)
        table[.init(.findings, .closeOther)] = grant.isGlobal ? allow(role.atLeastWriter, 200) : 404
        table[.init(.findings, .verify)] = allow(role.atLeastWriter, 200)
        table[.init(.findings, .addTags)] = allow(role.atLeastWriter, 200)
        table[.init(.findings, .addNote)] = allow(role.atLeastWriter, 201)
        table[.init(.imports, .importScan)] = allow(role != .reader, 201)
        table[.init(.imports, .reimportScan)] = allow(role != .reader, 201)
        return table
    }

    /// Two product trees made by the admin: the user's (`mine`) and one outside their grant.
    struct World {
        var mine: TestChain
        var other: TestChain
        var myFinding: Int
        var otherFinding: Int
        var importedTest: Int
        var spareEngagement: Int
        var spareTest: Int
        var spareFinding: Int

        static func make(_ server: TestServer) async throws -> World {
            let mine = try await server.makeChain(name: "Mine")
            let other = try await server.makeChain(name: "Other")
            let imported = try await server.importReport(report: ImportReports.generic(ImportReports.threeFindings),
                                                         fields: [("engagement", "\(mine.engagement)")])
            let spareEngagement = try await EngagementFixtures.engagement(server, product: mine.product, name: "Spare")
            let spareTest = try await EngagementFixtures.test(server, engagement: mine.engagement, type: mine.testType, title: "Spare")
            return World(mine: mine, other: other,
                         myFinding: try await server.makeFinding(mine), otherFinding: try await server.makeFinding(other),
                         importedTest: try #require(imported.json["test"]?.intValue, "\(imported.body)"),
                         spareEngagement: spareEngagement, spareTest: spareTest,
                         spareFinding: try await server.makeFinding(mine, title: "Spare"))
        }
    }
}
