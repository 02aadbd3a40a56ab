import BulwarkCore
import Foundation

/// Wiz (spec §6): a service account's client id and secret are exchanged at the auth URL for a
/// bearer token (cached, refreshed once on a 401); projects are records; each project's issues and
/// vulnerability findings are findings, read through GraphQL cursor pages. Keys `issue:<id>` / `vuln:<id>`.
public struct WizConnector: GuidedConnector {
    public static let descriptor = ConnectorDescriptor(
        tool: "wiz", name: "Wiz", scanType: "Wiz Connector", dedupe: .uniqueIDFromTool(), requiredExtra: ["client_id"],
        optionalExtra: ["auth_url", "audience", "project_ids", "page_size"], requestsPerSecond: 3,
        permissions: "the API scopes read:projects, read:issues and read:vulnerabilities")

    public static let guide = ConnectorGuide(
        secret: "A service account's client secret: in Wiz, Settings → Access Management → Service Accounts → Add Service Account, "
            + "type Custom Integration (GraphQL API), with the API scopes read:projects, read:issues and read:vulnerabilities "
            + "(optionally limited to some projects). The client id and secret are shown once.",
        location: "The tenant's GraphQL endpoint from User menu → Tenant Info → API Endpoint URL, e.g. https://api.us17.app.wiz.io/graphql.",
        fields: [
            "client_id": "The service account's client id (required).",
            "auth_url": "The token URL (default https://auth.app.wiz.io/oauth/token; FedRAMP https://auth.gov.wiz.io/oauth/token).",
            "audience": "The token audience (default wiz-api; beyond-api for legacy auth.wiz.io accounts).",
            "project_ids": "Comma-separated project ids to import (default: every project the account sees).",
        ])

    static let defaultAuthURL = "https://auth.app.wiz.io/oauth/token"
    /// The record standing for a tenant without projects: queries without a project filter.
    static let allResourcesID = "*"
    static let maxPages = 10_000

    let configuration: ConnectorConfiguration
    let graphQL: GraphQLClient

    public init(configuration: ConnectorConfiguration, client: ConnectorClient) {
        self.configuration = configuration
        graphQL = GraphQLClient(client: client)
    }

    public static func tokenSource(_ configuration: ConnectorConfiguration, transport: any HTTPTransport, policy: RetryPolicy,
                                   sleeper: any Sleeper) -> (any AccessTokenSource)? {
        OAuthTokenProvider(
            tokenURL: configuration.extra("auth_url") ?? defaultAuthURL,
            grant: .clientCredentials(clientID: configuration.extra("client_id") ?? "", clientSecret: configuration.secret, audience: audience(configuration)),
            transport: transport, policy: policy, sleeper: sleeper, userAgent: "Bulwark connector/\(descriptor.tool)")
    }

    /// `extra.audience`, else `beyond-api` for the legacy Auth0 URL (`auth.wiz.io`) and `wiz-api` otherwise.
    public static func audience(_ configuration: ConnectorConfiguration) -> String {
        if let audience = configuration.extra("audience") { return audience }
        return URLComponents(string: configuration.extra("auth_url") ?? defaultAuthURL)?.host == "auth.wiz.io" ? "beyond-api" : "wiz-api"
    }

    var pageSize: Int { min(500, configuration.pageSize(default: 500)) }

    /// Reads every page of a Relay connection, stopping at a repeated cursor.
    func pages<Data: Decodable & Sendable, Node: Decodable & Sendable, Variables: Encodable & Sendable>(
        _ type: Data.Type, operation: String, query: String, variables: (String?) -> Variables, connection: (Data) -> WizAPI.Connection<Node>
    ) async throws(ConnectorError) -> [Node] {
        var nodes: [Node] = []
        var after: String?
        var seen = Set<String>()
        for _ in 0..<Self.maxPages {
            let page = connection(try await graphQL.query(type, operation: operation, query: query, variables: variables(after)))
            nodes += page.nodes ?? []
            guard page.pageInfo?.hasNextPage == true, let cursor = page.pageInfo?.endCursor, seen.insert(cursor).inserted else { break }
            after = cursor
        }
        return nodes
    }

    public func validate() async throws(ConnectorError) {
        _ = try await graphQL.query(WizAPI.ProjectsData.self, operation: "Projects", query: WizAPI.projectsQuery,
                                    variables: WizAPI.PageVariables(first: 1, after: nil))
    }

    public func discover() async throws(ConnectorError) -> [DiscoveredRecord] {
        let size = pageSize
        let projects = try await pages(WizAPI.ProjectsData.self, operation: "Projects", query: WizAPI.projectsQuery,
                                       variables: { WizAPI.PageVariables(first: size, after: $0) }, connection: \.projects)
        let wanted = configuration.extra("project_ids").map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
        let records = projects.filter { $0.isFolder != true && (wanted?.contains($0.id) ?? true) }.map { project in
            var metadata = ["url": "https://app.wiz.io/projects#~(project~'\(project.id))"]
            if let slug = project.slug { metadata["slug"] = slug }
            if let unit = project.businessUnit, !unit.isEmpty { metadata["business_unit"] = unit }
            return DiscoveredRecord(externalID: project.id, name: project.name ?? project.id, metadata: metadata)
        }
        if projects.isEmpty && wanted == nil {
            return [DiscoveredRecord(externalID: Self.allResourcesID, name: "All resources")]
        }
        return records
    }

    public func findings(for record: DiscoveredRecord) async throws(ConnectorError) -> [Finding] {
        let size = pageSize
        let project = record.externalID == Self.allResourcesID ? nil : [record.externalID]
        let issues = try await pages(WizAPI.IssuesData.self, operation: "IssuesTable", query: WizAPI.issuesQuery,
                                     variables: { WizAPI.IssueVariables(first: size, after: $0, filterBy: .init(project: project)) },
                                     connection: \.issues)
        let vulnerabilities = try await pages(
            WizAPI.VulnerabilitiesData.self, operation: "VulnerabilityFindings", query: WizAPI.vulnerabilitiesQuery,
            variables: { WizAPI.VulnerabilityVariables(first: size, after: $0, filterBy: .init(projectId: project)) },
            connection: \.vulnerabilityFindings)
        return issues.map(WizMapping.issue) + vulnerabilities.map(WizMapping.vulnerability)
    }
}
