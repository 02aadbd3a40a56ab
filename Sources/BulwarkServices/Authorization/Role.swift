/// DefectDojo's fixed role ids (`dojo/authorization/roles_permissions.py`).
public enum Role: Int, Sendable, CaseIterable {
    case apiImporter = 1
    case writer = 2
    case maintainer = 3
    case owner = 4
    case reader = 5

    /// DefectDojo's role name (`roles/`).
    public var name: String {
        switch self {
        case .apiImporter: return "API_Importer"
        case .writer: return "Writer"
        case .maintainer: return "Maintainer"
        case .owner: return "Owner"
        case .reader: return "Reader"
        }
    }

    /// Strength for comparing roles: API_Importer < Reader < Writer < Maintainer < Owner.
    public var rank: Int {
        switch self {
        case .apiImporter: return 0
        case .reader: return 1
        case .writer: return 2
        case .maintainer: return 3
        case .owner: return 4
        }
    }

    /// May change findings, engagements and tests (Writer and up; API importers only import).
    public var canWrite: Bool { self == .writer || self == .maintainer || self == .owner }
    /// May edit the product type or product it is granted on.
    public var canEdit: Bool { self == .maintainer || self == .owner }
    /// May delete it.
    public var canDelete: Bool { self == .owner }
    /// May add products to a product type.
    public var canAddChildren: Bool { self == .maintainer || self == .owner }
    /// May add, change and remove members and group grants (DefectDojo's `*_Manage_Members`, `*_Group_Add`).
    public var canManageMembers: Bool { self == .maintainer || self == .owner }
    /// May import and reimport scans (every role but Reader).
    public var canImport: Bool { self != .reader }
}
