import BulwarkStorage
import SQLKit

/// One of DefectDojo's grant tables: a principal (user or group) holds a role on an object
/// (product type, product or group).
public struct GrantTable: Sendable, Hashable {
    /// What a grant is on.
    public enum Object: String, Sendable, Hashable {
        case productType = "product type"
        case product = "product"
        case group = "group"
    }

    public var table: String
    /// DefectDojo's model name, for "… already exists".
    public var model: String
    public var object: Object
    /// The column holding the object id (`product_id`).
    public var objectColumn: String
    /// The column holding the principal id (`user_id` or `group_id`).
    public var principalColumn: String

    /// Whether the principal is a group (`product_groups`) rather than a user.
    public var grantsGroup: Bool { principalColumn == "group_id" }

    public static let productTypeMembers = GrantTable(table: "product_type_members", model: "Product_Type_Member", object: .productType,
                                                      objectColumn: "product_type_id", principalColumn: "user_id")
    public static let productMembers = GrantTable(table: "product_members", model: "Product_Member", object: .product,
                                                  objectColumn: "product_id", principalColumn: "user_id")
    public static let productTypeGroups = GrantTable(table: "product_type_groups", model: "Product_Type_Group", object: .productType,
                                                     objectColumn: "product_type_id", principalColumn: "group_id")
    public static let productGroups = GrantTable(table: "product_groups", model: "Product_Group", object: .product,
                                                 objectColumn: "product_id", principalColumn: "group_id")
    public static let groupMembers = GrantTable(table: "dojo_group_members", model: "Dojo_Group_Member", object: .group,
                                                objectColumn: "group_id", principalColumn: "user_id")

    /// The tables whose owners keep an object owned: its user and group grants.
    var ownerTables: [GrantTable] {
        switch object {
        case .productType: return [.productTypeMembers, .productTypeGroups]
        case .product: return [.productMembers, .productGroups]
        case .group: return [.groupMembers]
        }
    }

    /// Conditions limiting rows of this table to objects the user may see (none for superusers).
    public func visibility(_ user: UserAccount) -> [SQLQueryString] {
        guard !user.isSuperuser else { return [] }
        let column: SQLQueryString = "\(ident: table).\(ident: objectColumn)"
        switch object {
        case .productType: return [column + " IN (" + AccessPolicy.visibleProductTypeIDs(user) + ")"]
        case .product: return [column + " IN (" + AccessPolicy.visibleProductIDs(user) + ")"]
        case .group: return AccessPolicy.groupVisibility(user, column: column)
        }
    }
}
