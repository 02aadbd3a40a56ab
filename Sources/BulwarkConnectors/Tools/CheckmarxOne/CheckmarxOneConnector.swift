import BulwarkCore
import Foundation

/// Checkmarx ONE (spec §5): the API key (an offline refresh token) is exchanged at the tenant's IAM
/// realm for a short-lived bearer token; projects are records; each project's latest completed scan
/// (optionally on one branch) gives the findings, read with `offset`/`limit` paging. Results are
/// keyed by `type:similarityId`, stable across scans.
public struct CheckmarxOneConnector: GuidedConnector {
    public static let descriptor = ConnectorDescriptor(
        tool: "checkmarx_one", name: "Checkmarx ONE", scanType: "Checkmarx ONE Connector", dedupe: .uniqueIDFromTool(),
        requiredExtra: ["tenant"], optionalExtra: ["iam_url", "branch", "client_id", "page_size"], requestsPerSecond: 10,
        permissions: "the ast-scanner role (view projects, scans and results) or IAM roles view-projects, view-scans and view-results")

    public static let guide = ConnectorGuide(
        secret: "An API key: in Checkmarx ONE, open the user menu → Identity and Access Management → API Keys → Generate API Key "
            + "(or the user's API Keys tab); assign it the ast-scanner composite role, or at least view-projects, view-scans and view-results. "
            + "With an OAuth client (Settings → Identity and Access Management → OAuth Clients) enter its secret here and its client id in `client_id`.",
        location: "The region's API URL, e.g. https://ast.checkmarx.net (US) or https://eu.ast.checkmarx.net (EU).",
        locationChoices: [
            .init("US", "https://ast.checkmarx.net"), .init("US2", "https://us.ast.checkmarx.net"),
            .init("EU", "https://eu.ast.checkmarx.net"), .init("EU2", "https://eu-2.ast.checkmarx.net"),
            .init("Germany", "https://deu.ast.checkmarx.net"), .init("Australia & NZ", "https://anz.ast.checkmarx.net"),
            .init("India", "https://ind.ast.checkmarx.net"), .init("Singapore", "https://sng.ast.checkmarx.net"),
            .init("UAE", "https://mea.ast.checkmarx.net"),
        ],
        fields: [
            "tenant": "The tenant (account) name shown in the login URL (required).",
            "iam_url": "The IAM host, when not the location with `ast` replaced by `iam` (e.g. https://eu.iam.checkmarx.net).",
            "branch": "Import the latest completed scan of this branch only (default: the latest completed scan of any branch).",
            "client_id": "An OAuth client's id; the secret is then that client's secret (client_credentials grant).",
        ])

    static let maxPages = 10_000

    let configuration: ConnectorConfiguration
    let client: ConnectorClient

    public init(configuration: ConnectorConfiguration, client: ConnectorClient) {
        self.configuration = configuration
        self.client = client
    }

    public static var acceptHeader: String { "application/json; version=1.0" }

    /// The IAM base: `extra.iam_url`, else the location's host with `ast.checkmarx.net` → `iam.checkmarx.net`
    /// (region prefix kept); any other host (on-premises, a mock) is used as is.
    public static func iamURL(_ configuration: ConnectorConfiguration) -> String {
        if let override = configuration.extra("iam_url") { return ConnectorConfiguration.normalise(override) }
        guard var components = URLComponents(string: configuration.location), let host = components.host else { return configuration.location }
        if host == "ast.checkmarx.net" {
            components.host = "iam.checkmarx.net"
        } else if host.hasSuffix(".ast.checkmarx.net") {
            components.host = String(host.dropLast("ast.checkmarx.net".count)) + "iam.checkmarx.net"
        }
        components.path = ""
        components.query = nil
        return components.string ?? configuration.location
    }

    public static func tokenSource(_ configuration: ConnectorConfiguration, transport: any HTTPTransport, policy: RetryPolicy,
                                   sleeper: any Sleeper) -> (any AccessTokenSource)? {
        let tenant = ConnectorClient.encode(configuration.extra("tenant") ?? "")
        let grant: OAuthGrant = configuration.extra("client_id").map {
            .clientCredentials(clientID: $0, clientSecret: configuration.secret, audience: nil)
        } ?? .refreshToken(clientID: "ast-app", refreshToken: configuration.secret)
        return OAuthTokenProvider(tokenURL: "\(iamURL(configuration))/auth/realms/\(tenant)/protocol/openid-connect/token", grant: grant,
                                  transport: transport, policy: policy, sleeper: sleeper, userAgent: "Bulwark connector/\(descriptor.tool)")
    }

    public func validate() async throws(ConnectorError) {
        _ = try await client.getJSON(CheckmarxOneAPI.Projects.self, "/api/projects/", query: [("offset", "0"), ("limit", "1")],
                                     call: "GET /api/projects/")
    }

    public func discover() async throws(ConnectorError) -> [DiscoveredRecord] {
        let size = min(100, configuration.pageSize(default: 100))
        var records: [DiscoveredRecord] = []
        var offset = 0
        for _ in 0..<Self.maxPages {
            let page = try await client.getJSON(CheckmarxOneAPI.Projects.self, "/api/projects/", query: [("offset", "\(offset)"), ("limit", "\(size)")],
                                                call: "GET /api/projects/")
            let projects = page.projects ?? []
            records += projects.map { project in
                var metadata = ["url": "\(configuration.location)/projects/\(project.id)/overview"]
                if let repo = project.repoUrl, !repo.isEmpty { metadata["repo_url"] = repo }
                if let branch = project.mainBranch, !branch.isEmpty { metadata["main_branch"] = branch }
                return DiscoveredRecord(externalID: project.id, name: project.name ?? project.id, metadata: metadata)
            }
            offset += projects.count
            let total = page.filteredTotalCount ?? page.totalCount
            if projects.isEmpty || projects.count < size || total.map({ offset >= $0 }) == true { break }
        }
        return records
    }

    public func findings(for record: DiscoveredRecord) async throws(ConnectorError) -> [Finding] {
        var query = [("project-id", record.externalID), ("statuses", "Completed"), ("sort", "-created_at"), ("offset", "0"), ("limit", "1")]
        if let branch = configuration.extra("branch") { query.append(("branch", branch)) }
        let scans = try await client.getJSON(CheckmarxOneAPI.Scans.self, "/api/scans/", query: query, call: "GET /api/scans/")
        guard let scan = scans.scans?.first else {
            throw ConnectorError(.nothingToImport, call: "GET /api/scans/", "the project has no completed scan yet")
        }
        let size = min(10_000, configuration.pageSize(default: 500))
        var results: [CheckmarxOneAPI.Result] = []
        var offset = 0
        for _ in 0..<Self.maxPages {
            let page = try await client.getJSON(
                CheckmarxOneAPI.Results.self, "/api/results/", query: [("scan-id", scan.id), ("offset", "\(offset)"), ("limit", "\(size)")],
                call: "GET /api/results/")
            let items = page.results ?? []
            results += items
            offset += items.count
            if items.isEmpty || page.totalCount.map({ offset >= $0 }) ?? (items.count < size) { break }
        }
        let location = configuration.location
        return results.map { CheckmarxOneMapping.finding($0, projectID: record.externalID, scanID: scan.id, location: location) }
    }
}
