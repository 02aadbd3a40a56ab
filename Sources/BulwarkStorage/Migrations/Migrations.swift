import FluentKit

/// Every schema migration, in the order it runs. Add new steps at the end.
public enum BulwarkMigrations {
    public static let all: [any Migration] = [
        CreateUsers(),
        CreateProductTypes(),
        CreateProducts(),
        CreateTags(),
        CreateEngagementsAndTests(),
        CreateFindings(),
        CreateEndpoints(),
        CreateNotesAndRisk(),
        AddFindingListOrderIndexes(),
        CreateConnectors(),
        CreateGroupsAndRoles(),
        CreateAPITokens(),
        CreateAuditLog(),
    ]
}
