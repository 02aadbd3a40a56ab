import BulwarkCore
import Foundation

/// Burp Suite DAST (spec §9), GraphQL at `<location>/graphql/v1` with the raw API key as
/// `Authorization`: sites are records; the latest succeeded scan's issues are findings, paged with
/// `start`/`count`. A site without a succeeded scan has nothing to import.
public struct BurpDASTConnector: GuidedConnector {
    public static let descriptor = ConnectorDescriptor(
        tool: "burp_dast", name: "Burp Suite DAST", scanType: "Burp Suite DAST Connector", dedupe: .uniqueIDFromTool(),
        optionalExtra: ["tentative_as_info", "page_size"], requestsPerSecond: 5,
        permissions: "a role with permission to view sites and scan results")

    public static let guide = ConnectorGuide(
        secret: "An API user's API key: in Burp Suite DAST, Team → Users → Add a new user, choose API key as the login type, "
            + "and give the user a role (through a group) that can view the sites to import and their scan results; the key is shown once.",
        location: "The Burp Suite DAST server's web URL, e.g. https://burp.example.com (the GraphQL API is its /graphql/v1).",
        fields: ["tentative_as_info": "`true` imports issues of tentative confidence as Info (default: their own severity, unverified)."])

    static let graphQLPath = "/graphql/v1"
    static let maxPages = 10_000

    let configuration: ConnectorConfiguration
    let graphQL: GraphQLClient

    public init(configuration: ConnectorConfiguration, client: ConnectorClient) {
        self.configuration = configuration
        graphQL = GraphQLClient(client: client, path: Self.graphQLPath)
    }

    public static func authentication(_ configuration: ConnectorConfiguration) -> (primary: [HTTPHeader], fallback: [HTTPHeader]?) {
        ([HTTPHeader("Authorization", configuration.secret)], nil)
    }

    public func validate() async throws(ConnectorError) {
        _ = try await graphQL.query(BurpDASTAPI.SiteTreeData.self, operation: "Validate", query: BurpDASTAPI.validateQuery,
                                    variables: BurpDASTAPI.NoVariables())
    }

    public func discover() async throws(ConnectorError) -> [DiscoveredRecord] {
        let tree = try await graphQL.query(BurpDASTAPI.SiteTreeData.self, operation: "SiteTree", query: BurpDASTAPI.siteTreeQuery,
                                           variables: BurpDASTAPI.NoVariables()).site_tree
        let folders = Dictionary((tree.folders ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func folderPath(_ id: String?) -> [String] {
            var names: [String] = []
            var current = id
            var seen = Set<String>()
            while let key = current, let folder = folders[key], seen.insert(key).inserted {
                if folder.parent_id != nil, let name = folder.name { names.insert(name, at: 0) }
                current = folder.parent_id
            }
            return names
        }
        let sites = tree.sites ?? []
        let nameCounts = Dictionary(sites.map { ($0.name ?? $0.id, 1) }, uniquingKeysWith: +)
        return sites.map { site in
            let name = site.name ?? site.id
            let path = folderPath(site.parent_id)
            var metadata = ["url": "\(configuration.location)/sites/\(site.id)"]
            if !path.isEmpty { metadata["folder"] = path.joined(separator: " / ") }
            if let urls = site.scope_v2?.start_urls, !urls.isEmpty { metadata["start_urls"] = urls.joined(separator: " ") }
            // Sites of the same name in different folders are told apart by their folder path.
            let display = (nameCounts[name] ?? 0) > 1 && !path.isEmpty ? (path + [name]).joined(separator: " / ") : name
            return DiscoveredRecord(externalID: site.id, name: display, metadata: metadata)
        }
    }

    public func findings(for record: DiscoveredRecord) async throws(ConnectorError) -> [Finding] {
        let scans = try await graphQL.query(BurpDASTAPI.ScansData.self, operation: "LatestScan", query: BurpDASTAPI.latestScanQuery,
                                            variables: BurpDASTAPI.SiteVariables(site_id: record.externalID))
        guard let scan = scans.scans?.first else {
            throw ConnectorError(.nothingToImport, call: "GraphQL LatestScan", "the site has no succeeded scan yet")
        }
        let count = min(500, configuration.pageSize(default: 200))
        var issues: [BurpDASTAPI.Issue] = []
        var start = 0
        for _ in 0..<Self.maxPages {
            let page = try await graphQL.query(BurpDASTAPI.ScanData.self, operation: "ScanIssues", query: BurpDASTAPI.scanIssuesQuery,
                                               variables: BurpDASTAPI.IssueVariables(id: scan.id, start: start, count: count))
            guard let scanIssues = page.scan else { throw ConnectorError(.notFound, call: "GraphQL ScanIssues", "the scan no longer exists") }
            let items = scanIssues.issues ?? []
            issues += items
            start += items.count
            if items.count < count || scan.issue_counts?.total.map({ start >= $0 }) == true { break }
        }
        let tentativeAsInfo = configuration.extra("tentative_as_info") == "true"
        return issues.map { BurpDASTMapping.finding($0, scan: scan, tentativeAsInfo: tentativeAsInfo) }
    }
}
