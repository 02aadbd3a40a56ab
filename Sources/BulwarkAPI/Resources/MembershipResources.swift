import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit
import Vapor

/// DefectDojo 2.x grant resources: `product_type_members/`, `product_members/`,
/// `product_type_groups/`, `product_groups/` and `dojo_group_members/`. Rows are visible with
/// their object; every write is checked by ``MembershipService``. PATCH answers 405 as in
/// DefectDojo ("Object authorization won't work if not all data is provided").
public enum MembershipResources {
    static let roleFK = FieldKind.foreignKey(table: "roles")

    static func schema(_ table: GrantTable, path: String) -> ResourceSchema {
        let objectName = String(table.objectColumn.dropLast(3))
        let principalName = String(table.principalColumn.dropLast(3))
        let objectTable = switch table.object {
        case .productType: "product_types"
        case .product: "products"
        case .group: "dojo_groups"
        }
        return ResourceSchema(
            path: path, table: table.table, modelName: table.model, nameColumn: "id",
            fields: [
                FieldSpec("id", .integer(), .readOnly),
                FieldSpec(objectName, .foreignKey(table: objectTable), required: true),
                FieldSpec(principalName, .foreignKey(table: table.grantsGroup ? "dojo_groups" : "users"), required: true),
                FieldSpec("role", roleFK, required: true),
            ],
            filters: [
                FilterSpec("id", .exact, .integer),
                FilterSpec(table.objectColumn, .exact, .integer),
                FilterSpec(table.principalColumn, .exact, .integer),
            ])
    }

    static func definition(_ table: GrantTable, path: String, component: String) -> ResourceDefinition {
        let schema = schema(table, path: path)
        let objectName = String(table.objectColumn.dropLast(3))
        let principalName = String(table.principalColumn.dropLast(3))
        return ResourceDefinition(
            schema: schema, component: component,
            policy: ResourcePolicy(
                visibility: { table.visibility($0) },
                // The membership rules run in `prepare` (they need the proposed grant); these only gate the routes.
                canCreate: { _, _ in true },
                canUpdate: { _, _ in true },
                canDelete: { context, id in
                    try await ServiceErrors.mapped { try await MembershipService(user: context.user, db: context.db).authorizeRemoval(table, id: id) }
                    return true
                }),
            hooks: ResourceHooks(prepare: { context, _, id, input in
                guard case .int(let object)? = input.values[objectName], case .int(let principal)? = input.values[principalName],
                      case .int(let roleID)? = input.values["role"], let role = Role(rawValue: roleID) else {
                    // Validation requires all three; anything else is refused rather than let through.
                    throw APIError.permissionDenied
                }
                let service = MembershipService(user: context.user, db: context.db)
                try await ServiceErrors.mapped {
                    try await requireVisible(table, object: object, principal: principal, objectName: objectName,
                                             principalName: principalName, service: service, context: context)
                    try await service.authorize(table, proposed: .init(object: object, principal: principal, role: role), existing: id)
                }
            }),
            prefetch: [objectName: table.object == .group ? "dojo_groups" : (table.object == .product ? "products" : "product_types"),
                       principalName: table.grantsGroup ? "dojo_groups" : "users", "role": "roles"],
            patchRefusal: "Patch function is not offered in this path.")
    }

    /// An object or group the actor cannot see answers as if it did not exist.
    static func requireVisible(_ table: GrantTable, object: Int, principal: Int, objectName: String, principalName: String,
                               service: MembershipService, context: ResourceContext) async throws {
        let access = AccessPolicy(user: context.user, db: context.db)
        let visible: Bool
        switch table.object {
        case .productType: visible = try await access.isProductTypeVisible(object)
        case .product: visible = try await access.isProductVisible(object)
        case .group: visible = try await access.isGroupVisible(object)
        }
        guard visible else { throw APIError.field(objectName, "Invalid pk \"\(object)\" - object does not exist.") }
        guard try await service.isPrincipalVisible(table, id: principal) else {
            throw APIError.field(principalName, "Invalid pk \"\(principal)\" - object does not exist.")
        }
    }

    public static let productTypeMembers = definition(.productTypeMembers, path: "product_type_members", component: "ProductTypeMember")
    public static let productMembers = definition(.productMembers, path: "product_members", component: "ProductMember")
    public static let productTypeGroups = definition(.productTypeGroups, path: "product_type_groups", component: "ProductTypeGroup")
    public static let productGroups = definition(.productGroups, path: "product_groups", component: "ProductGroup")
    public static let groupMembers = definition(.groupMembers, path: "dojo_group_members", component: "DojoGroupMember")
}
