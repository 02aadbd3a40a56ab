import BulwarkCore
import Foundation

/// SonarQube Server and SonarCloud (spec §1): projects are records; issues (type `VULNERABILITY`
/// by default) and security hotspots are findings, with rule details cached per sync.
public struct SonarQubeConnector: Connector {
    public static let descriptor = ConnectorDescriptor(
        tool: "sonarqube", name: "SonarQube", scanType: "SonarQube Connector", dedupe: .uniqueIDFromTool(),
        optionalExtra: ["organization", "branch", "types", "page_size"], requestsPerSecond: 10, permissions: "Browse on the project")

    let configuration: ConnectorConfiguration
    let client: ConnectorClient

    public init(configuration: ConnectorConfiguration, client: ConnectorClient) {
        self.configuration = configuration
        self.client = client
    }

    /// Bearer first; older servers take the token as Basic user name with an empty password.
    public static func authentication(_ configuration: ConnectorConfiguration) -> (primary: [HTTPHeader], fallback: [HTTPHeader]?) {
        let basic = Data("\(configuration.secret):".utf8).base64EncodedString()
        return ([HTTPHeader("Authorization", "Bearer \(configuration.secret)")], [HTTPHeader("Authorization", "Basic \(basic)")])
    }

    /// SonarCloud needs `organization`; SonarQube Server ignores it.
    public static func missingExtra(location: String, extra: [String: String]) -> [String] {
        let cloud = URLComponents(string: location)?.host?.lowercased().hasSuffix("sonarcloud.io") ?? false
        return cloud && (extra["organization"] ?? "").isEmpty ? ["organization"] : []
    }

    var organization: [(String, String)] { configuration.extra("organization").map { [("organization", $0)] } ?? [] }
    var branch: [(String, String)] { configuration.extra("branch").map { [("branch", $0)] } ?? [] }

    public func validate() async throws(ConnectorError) {
        let call = "GET /api/authentication/validate"
        let answer = try await client.getJSON(SonarQubeAPI.Validation.self, "/api/authentication/validate", call: call)
        guard answer.valid == true else { throw ConnectorError(.invalidSecret, call: call, "SonarQube answered valid:false for the token") }
        _ = try await client.getJSON(SonarQubeAPI.ComponentPage.self, "/api/components/search",
                                     query: [("qualifiers", "TRK"), ("ps", "1")] + organization)
    }

    public func discover() async throws(ConnectorError) -> [DiscoveredRecord] {
        let size = configuration.pageSize(default: 100)
        var records: [DiscoveredRecord] = []
        var page = 1
        while true {
            let answer = try await client.getJSON(SonarQubeAPI.ComponentPage.self, "/api/components/search",
                                                  query: [("qualifiers", "TRK"), ("p", "\(page)"), ("ps", "\(size)")] + organization)
            records += answer.components.map {
                DiscoveredRecord(externalID: $0.key, name: $0.name ?? $0.key,
                                 metadata: ["url": "\(configuration.location)/dashboard?id=\(ConnectorClient.encode($0.key))"])
            }
            guard Self.hasMore(page: page, size: size, count: answer.components.count, total: answer.paging?.total) else { break }
            page += 1
        }
        return records
    }

    /// Page-number paging: stop at an empty page or when `page * size` reaches the total.
    static func hasMore(page: Int, size: Int, count: Int, total: Int?) -> Bool {
        guard count > 0 else { return false }
        if let total { return page * size < total }
        return count >= size
    }

    public func findings(for record: DiscoveredRecord) async throws(ConnectorError) -> [Finding] {
        let project = record.externalID
        let size = configuration.pageSize(default: 500)
        let types = configuration.extra("types") ?? "VULNERABILITY"
        var issues: [SonarQubeAPI.Issue] = []
        var page = 1
        while true {
            let answer = try await client.getJSON(
                SonarQubeAPI.IssuePage.self, "/api/issues/search",
                query: [("componentKeys", project), ("types", types), ("p", "\(page)"), ("ps", "\(size)")] + branch + organization)
            issues += answer.issues
            guard Self.hasMore(page: page, size: size, count: answer.issues.count, total: answer.paging?.total ?? answer.total) else { break }
            page += 1
        }
        var hotspots: [SonarQubeAPI.Hotspot] = []
        page = 1
        while true {
            let answer = try await client.getJSON(SonarQubeAPI.HotspotPage.self, "/api/hotspots/search",
                                                  query: [("projectKey", project), ("p", "\(page)"), ("ps", "\(size)")] + branch + organization)
            hotspots += answer.hotspots
            guard Self.hasMore(page: page, size: size, count: answer.hotspots.count, total: answer.paging?.total) else { break }
            page += 1
        }
        var rules: [String: SonarQubeMapping.RuleInfo?] = [:]
        for key in Set(issues.compactMap(\.rule)).sorted() { rules[key] = try await rule(key) }
        let location = configuration.location
        return issues.map { SonarQubeMapping.issue($0, project: project, rule: $0.rule.flatMap { rules[$0] ?? nil }, location: location) }
            + hotspots.map { SonarQubeMapping.hotspot($0, project: project, location: location) }
    }

    /// `rules/show`; a 404 or 403 (removed or external rule) is not fatal: the finding falls back to the issue message.
    func rule(_ key: String) async throws(ConnectorError) -> SonarQubeMapping.RuleInfo? {
        do {
            let answer = try await client.getJSON(SonarQubeAPI.RuleAnswer.self, "/api/rules/show", query: [("key", key)] + organization)
            return SonarQubeMapping.rule(from: answer.rule)
        } catch let error where error.code == .notFound || error.code == .forbidden || error.code == .parse {
            return nil
        }
    }
}
