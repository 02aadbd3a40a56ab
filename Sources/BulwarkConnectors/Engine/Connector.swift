import Foundation
import BulwarkCore

/// Static facts about one tool, declared next to its connector.
public struct ConnectorDescriptor: Sendable {
    /// The `tool` value of the API, e.g. `"sonarqube"`.
    public var tool: String
    /// Display name, used in test titles (`"<name> - <label>"`).
    public var name: String
    /// The test type (scan type) synced findings are stored under.
    public var scanType: ScanType
    /// Dedupe configuration of that test type.
    public var dedupe: DedupeConfiguration
    /// `extra` fields that must be present.
    public var requiredExtra: [String]
    /// `extra` fields understood besides the required ones.
    public var optionalExtra: [String]
    /// The client-side rate limit.
    public var requestsPerSecond: Double
    /// The permission(s) a 403 names.
    public var permissions: String

    public init(tool: String, name: String, scanType: ScanType, dedupe: DedupeConfiguration, requiredExtra: [String] = [],
                optionalExtra: [String] = [], requestsPerSecond: Double, permissions: String) {
        self.tool = tool
        self.name = name
        self.scanType = scanType
        self.dedupe = dedupe
        self.requiredExtra = requiredExtra
        self.optionalExtra = optionalExtra
        self.requestsPerSecond = requestsPerSecond
        self.permissions = permissions
    }
}

/// One configured connection to a tool, as a connector needs it (the secret in clear).
public struct ConnectorConfiguration: Sendable {
    public var tool: String
    public var label: String
    /// API base URL, normalised: no trailing `/`.
    public var location: String
    public var secret: String
    public var extra: [String: String]
    public var verifyTLS: Bool

    public init(tool: String, label: String, location: String, secret: String, extra: [String: String] = [:], verifyTLS: Bool = true) {
        self.tool = tool
        self.label = label
        self.location = ConnectorConfiguration.normalise(location)
        self.secret = secret
        self.extra = extra
        self.verifyTLS = verifyTLS
    }

    /// Strips trailing slashes, keeping any path prefix.
    public static func normalise(_ location: String) -> String {
        var text = location.trimmingCharacters(in: .whitespaces)
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// An `extra` value, `nil` when absent or blank.
    public func extra(_ name: String) -> String? {
        guard let value = extra[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// The page size to request: `extra.page_size` when set (tests use the fixtures' tiny pages), else `defaultSize`.
    public func pageSize(default defaultSize: Int) -> Int {
        guard let raw = extra("page_size"), let size = Int(raw), size > 0 else { return defaultSize }
        return size
    }
}

/// An asset a discover found: the future record.
public struct DiscoveredRecord: Sendable, Hashable {
    /// Stable tool id (project key, uuid …).
    public var externalID: String
    public var name: String
    /// Small facts for the UI: link back to the tool, org, tags.
    public var metadata: [String: String]

    public init(externalID: String, name: String, metadata: [String: String] = [:]) {
        self.externalID = externalID
        self.name = name
        self.metadata = metadata
    }
}

/// A tool connector: validates the secret, lists the tool's assets and fetches one asset's
/// findings. Connectors are pure with respect to storage: HTTP in, Core findings out.
public protocol Connector: Sendable {
    /// The tool this connector talks to.
    static var descriptor: ConnectorDescriptor { get }

    /// The headers carrying the secret, and optional ones to try once after a 401.
    static func authentication(_ configuration: ConnectorConfiguration) -> (primary: [HTTPHeader], fallback: [HTTPHeader]?)

    /// Where short-lived access tokens come from (OAuth tools); `nil` uses ``authentication(_:)``.
    static func tokenSource(_ configuration: ConnectorConfiguration, transport: any HTTPTransport, policy: RetryPolicy,
                            sleeper: any Sleeper) -> (any AccessTokenSource)?

    /// Signs requests or reads tool-specific failures (AWS SigV4); `nil` for most tools.
    static func requestAdapter(_ configuration: ConnectorConfiguration) -> (any RequestAdapter)?

    /// The `Accept` header the tool's API wants.
    static var acceptHeader: String { get }

    /// The required `extra` fields missing from a configuration (some depend on the location).
    static func missingExtra(location: String, extra: [String: String]) -> [String]

    /// Creates a connector for one configuration over a prepared client.
    init(configuration: ConnectorConfiguration, client: ConnectorClient)

    /// The cheap authenticated call(s) of the tool's "Validate"; throws on failure.
    func validate() async throws(ConnectorError)

    /// Every asset the secret can see, reading every page.
    func discover() async throws(ConnectorError) -> [DiscoveredRecord]

    /// Every finding of one asset, reading every page. A thrown error means the fetch was not complete.
    func findings(for record: DiscoveredRecord) async throws(ConnectorError) -> [Finding]
}
