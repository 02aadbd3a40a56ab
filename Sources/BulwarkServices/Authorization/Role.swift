/// DefectDojo's fixed role ids (`dojo/authorization/roles_permissions.py`).
public enum Role: Int, Sendable, CaseIterable {
    case apiImporter = 1
    case writer = 2
    case maintainer = 3
    case owner = 4
    case reader = 5

    /// May change findings, engagements and tests (Writer and up; API importers only import).
    public var canWrite: Bool { self == .writer || self == .maintainer || self == .owner }
    /// May edit the product type or product it is granted on.
    public var canEdit: Bool { self == .maintainer || self == .owner }
    /// May delete it.
    public var canDelete: Bool { self == .owner }
    /// May add products to a product type.
    public var canAddChildren: Bool { self == .maintainer || self == .owner }
}
