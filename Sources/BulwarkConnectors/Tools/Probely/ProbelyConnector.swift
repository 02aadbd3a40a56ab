import BulwarkCore
import Foundation

/// Probely (spec §10), in the US or EU region the user picks as location: targets are records;
/// each target's findings are findings, read with `page`/`length` paging and keyed
/// `<target id>:<finding id>`.
public struct ProbelyConnector: GuidedConnector {
    public static let descriptor = ConnectorDescriptor(
        tool: "probely", name: "Probely", scanType: "Probely Connector", dedupe: .uniqueIDFromTool(), optionalExtra: ["page_size"],
        requestsPerSecond: 5, permissions: "an API key role that can view targets and findings (e.g. a global read-only role)")

    public static let guide = ConnectorGuide(
        secret: "An API key: in Probely, the user menu (top right) → API Keys → Add API Key; give it a role and scope that can read "
            + "the targets to import and their findings (e.g. a read-only role with the global account scope). The key is shown once.",
        location: "The API of your account's region: https://api.us.probely.com (US) or https://api.eu.probely.com (EU).",
        locationChoices: [.init("US", "https://api.us.probely.com"), .init("EU", "https://api.eu.probely.com")])

    static let maxPages = 10_000

    let configuration: ConnectorConfiguration
    let client: ConnectorClient

    public init(configuration: ConnectorConfiguration, client: ConnectorClient) {
        self.configuration = configuration
        self.client = client
    }

    public static func authentication(_ configuration: ConnectorConfiguration) -> (primary: [HTTPHeader], fallback: [HTTPHeader]?) {
        ([HTTPHeader("Authorization", "JWT \(configuration.secret)")], nil)
    }

    /// Every page of a list (`page` from 1 while below `page_total`).
    func all<Item: Decodable & Sendable>(_ type: Item.Type, _ path: String, call: String) async throws(ConnectorError) -> [Item] {
        let length = min(100, configuration.pageSize(default: 100))
        var items: [Item] = []
        var page = 1
        while page <= Self.maxPages {
            let answer = try await client.getJSON(ProbelyAPI.Page<Item>.self, path, query: [("page", "\(page)"), ("length", "\(length)")], call: call)
            let results = answer.results ?? []
            items += results
            guard !results.isEmpty, let total = answer.page_total, page < total else { break }
            page += 1
        }
        return items
    }

    public func validate() async throws(ConnectorError) {
        _ = try await client.getJSON(ProbelyAPI.Profile.self, "/profile/", call: "GET /profile/")
    }

    public func discover() async throws(ConnectorError) -> [DiscoveredRecord] {
        try await all(ProbelyAPI.Target.self, "/targets/", call: "GET /targets/").map { target in
            var metadata = ["url": "https://plus.probely.app/targets/\(target.id)"]
            if let site = target.site?.url { metadata["site_url"] = site }
            if let environment = target.environment { metadata["environment"] = environment }
            let labels = (target.labels ?? []).compactMap(\.name)
            if !labels.isEmpty { metadata["tags"] = labels.joined(separator: ",") }
            return DiscoveredRecord(externalID: target.id, name: target.site?.name ?? target.name ?? target.id, metadata: metadata)
        }
    }

    public func findings(for record: DiscoveredRecord) async throws(ConnectorError) -> [Finding] {
        let items = try await all(ProbelyAPI.Finding.self, "/targets/\(ConnectorClient.encode(record.externalID))/findings/",
                                  call: "GET /targets/{id}/findings/")
        return items.map { ProbelyMapping.finding($0, targetID: record.externalID) }
    }
}
