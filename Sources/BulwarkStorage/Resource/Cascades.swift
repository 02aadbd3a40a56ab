/// What deleting a product, engagement, test or finding takes with it, shared by every resource
/// so the tree is declared once. Rows with real foreign keys (endpoint statuses, vulnerability
/// ids, import actions, metadata) also go by `ON DELETE CASCADE`; tags and notes go explicitly.
public enum Cascades {
    /// Children of a finding that `delete_preview` lists.
    public static let finding: [CascadeRule] = [
        CascadeRule(table: "endpoint_status", model: "Endpoint_Status", foreignKey: "finding_id", nameColumn: nil),
    ]

    /// Children of a test.
    public static let test: [CascadeRule] = [
        CascadeRule(table: "findings", model: "Finding", foreignKey: "test_id", nameColumn: "title", tagObjectType: "finding", children: finding),
        CascadeRule(table: "test_imports", model: "Test_Import", foreignKey: "test_id", nameColumn: nil),
    ]

    /// Children of an engagement.
    public static let engagement: [CascadeRule] = [
        CascadeRule(table: "tests", model: "Test", foreignKey: "engagement_id", nameColumn: "title", tagObjectType: "test", children: test),
        CascadeRule(table: "risk_acceptances", model: "Risk_Acceptance", foreignKey: "engagement_id", nameColumn: "name",
                    tagObjectType: "risk_acceptance"),
    ]

    /// Children of a product.
    public static let product: [CascadeRule] = [
        CascadeRule(table: "engagements", model: "Engagement", foreignKey: "product_id", nameColumn: "name", tagObjectType: "engagement",
                    children: engagement),
        CascadeRule(table: "endpoints", model: "Endpoint", foreignKey: "product_id", nameColumn: "host", tagObjectType: "endpoint"),
        CascadeRule(table: "product_members", model: "Product_Member", foreignKey: "product_id", nameColumn: nil),
        CascadeRule(table: "product_groups", model: "Product_Group", foreignKey: "product_id", nameColumn: nil),
    ]
}
