/// A connector that documents its configuration.
public protocol GuidedConnector: Connector {
    static var guide: ConnectorGuide { get }
}

extension ConnectorRegistry {
    /// The guide of a tool, when its connector has one.
    public static func guide(for tool: String) -> ConnectorGuide? {
        (connectorType(for: tool) as? any GuidedConnector.Type)?.guide
    }
}
