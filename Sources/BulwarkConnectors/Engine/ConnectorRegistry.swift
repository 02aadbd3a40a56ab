import Foundation
import BulwarkCore

/// Every connector the server ships, listed explicitly (no reflection). Adding a tool means one
/// folder under `Tools/` and one line in ``all``; tool names must be unique (checked by tests).
public enum ConnectorRegistry {
    public static let all: [any Connector.Type] = [
        SonarQubeConnector.self,
        DependencyTrackConnector.self,
        SemgrepConnector.self,
        SnykConnector.self,
        CheckmarxOneConnector.self,
        WizConnector.self,
        BurpDASTConnector.self,
        ProbelyConnector.self,
        AWSSecurityHubConnector.self,
        TenableIOConnector.self,
        AnchoreConnector.self,
    ]

    /// Every descriptor, sorted by tool.
    public static let descriptors: [ConnectorDescriptor] = all.map { $0.descriptor }.sorted { $0.tool < $1.tool }

    /// The tool names registered more than once; always empty in a correct build.
    public static func duplicateTools() -> [String] {
        var counts: [String: Int] = [:]
        for connector in all { counts[connector.descriptor.tool, default: 0] += 1 }
        return counts.filter { $0.value > 1 }.map(\.key).sorted()
    }

    /// The connector type of a tool, or `nil`.
    public static func connectorType(for tool: String) -> (any Connector.Type)? {
        all.first { $0.descriptor.tool == tool }
    }

    /// The descriptor of a tool, or `nil`.
    public static func descriptor(for tool: String) -> ConnectorDescriptor? {
        connectorType(for: tool)?.descriptor
    }

    /// The required `extra` fields a configuration of `tool` lacks (empty for an unknown tool).
    public static func missingExtra(tool: String, location: String, extra: [String: String]) -> [String] {
        connectorType(for: tool)?.missingExtra(location: location, extra: extra) ?? []
    }

    /// Builds a connector with its shared client over `transport`.
    public static func make(
        _ configuration: ConnectorConfiguration, transport: any HTTPTransport, policy: RetryPolicy = RetryPolicy(),
        sleeper: any Sleeper = TaskSleeper()
    ) throws(ConnectorError) -> (connector: any Connector, client: ConnectorClient) {
        guard let type = connectorType(for: configuration.tool) else {
            throw ConnectorError(.configuration, call: "configure", "unknown tool \"\(configuration.tool)\"")
        }
        let client = type.makeClient(configuration, transport: transport, policy: policy, sleeper: sleeper)
        return (type.init(configuration: configuration, client: client), client)
    }
}

extension Connector {
    /// The client with this tool's authentication, headers and rate limit.
    static func makeClient(_ configuration: ConnectorConfiguration, transport: any HTTPTransport, policy: RetryPolicy,
                           sleeper: any Sleeper) -> ConnectorClient {
        let auth = authentication(configuration)
        return ConnectorClient(
            baseURL: configuration.location, transport: transport, authHeaders: auth.primary, fallbackAuthHeaders: auth.fallback,
            extraHeaders: [HTTPHeader("User-Agent", "Bulwark connector/\(descriptor.tool)"), HTTPHeader("Accept", acceptHeader)],
            requestsPerSecond: descriptor.requestsPerSecond, policy: policy, sleeper: sleeper, forbiddenHint: descriptor.permissions,
            tokenSource: tokenSource(configuration, transport: transport, policy: policy, sleeper: sleeper),
            adapter: requestAdapter(configuration))
    }
}

/// Defaults: `Authorization: Bearer <secret>` and JSON.
extension Connector {
    public static func authentication(_ configuration: ConnectorConfiguration) -> (primary: [HTTPHeader], fallback: [HTTPHeader]?) {
        ([HTTPHeader("Authorization", "Bearer \(configuration.secret)")], nil)
    }
    public static var acceptHeader: String { "application/json" }
    public static func tokenSource(_ configuration: ConnectorConfiguration, transport: any HTTPTransport, policy: RetryPolicy,
                                   sleeper: any Sleeper) -> (any AccessTokenSource)? { nil }
    public static func requestAdapter(_ configuration: ConnectorConfiguration) -> (any RequestAdapter)? { nil }
    public static func missingExtra(location: String, extra: [String: String]) -> [String] {
        descriptor.requiredExtra.filter { (extra[$0] ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
    }
}
