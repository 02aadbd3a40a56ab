import BulwarkCore
import Foundation

/// Semgrep AppSec Platform (spec §3): the deployment's projects are records; SAST and SCA
/// findings of every status are findings keyed by `match_based_id`. Pages count from 0 and end
/// at the first empty page.
public struct SemgrepConnector: Connector {
    public static let descriptor = ConnectorDescriptor(
        tool: "semgrep", name: "Semgrep", scanType: "Semgrep Connector", dedupe: .uniqueIDFromTool(),
        optionalExtra: ["deployment_slug", "page_size"], requestsPerSecond: 5, permissions: "an API token with the Web API scope")

    static let statuses = ["open", "fixed", "ignored", "reviewing", "fixing", "provisionally_ignored"]
    /// A hard stop for a server that never returns an empty page.
    static let maxPages = 10_000

    let configuration: ConnectorConfiguration
    let client: ConnectorClient

    public init(configuration: ConnectorConfiguration, client: ConnectorClient) {
        self.configuration = configuration
        self.client = client
    }

    public func validate() async throws(ConnectorError) {
        _ = try await deployment()
    }

    /// The configured deployment slug, else the first deployment the token sees.
    func deployment() async throws(ConnectorError) -> String {
        let call = "GET /deployments"
        let answer = try await client.getJSON(SemgrepAPI.Deployments.self, "/deployments", call: call)
        if let slug = configuration.extra("deployment_slug") {
            guard answer.deployments.contains(where: { $0.slug == slug }) else {
                throw ConnectorError(.forbidden, call: call, "the token cannot see deployment \"\(slug)\"")
            }
            return slug
        }
        guard let first = answer.deployments.first else { throw ConnectorError(.forbidden, call: call, "the token sees no deployment") }
        return first.slug
    }

    public func discover() async throws(ConnectorError) -> [DiscoveredRecord] {
        let slug = try await deployment()
        let size = configuration.pageSize(default: 100)
        var records: [DiscoveredRecord] = []
        for page in 0..<Self.maxPages {
            let answer = try await client.getJSON(SemgrepAPI.Projects.self, "/deployments/\(ConnectorClient.encode(slug))/projects",
                                                  query: [("page", "\(page)"), ("page_size", "\(size)")], call: "GET /deployments/{slug}/projects")
            guard !answer.projects.isEmpty else { break }
            records += answer.projects.map { project in
                var metadata = ["deployment": slug]
                if let id = project.id { metadata["id"] = String(id) }
                if let url = project.url { metadata["url"] = url }
                if let tags = project.tags, !tags.isEmpty { metadata["tags"] = tags.joined(separator: ",") }
                return DiscoveredRecord(externalID: project.name, name: project.name, metadata: metadata)
            }
        }
        return records
    }

    public func findings(for record: DiscoveredRecord) async throws(ConnectorError) -> [Finding] {
        let slug: String
        if let known = record.metadata["deployment"] { slug = known } else { slug = try await deployment() }
        let size = configuration.pageSize(default: 500)
        var findings: [Finding] = []
        for issueType in ["sast", "sca"] {
            for page in 0..<Self.maxPages {
                let query = [("repos", record.externalID), ("issue_type", issueType), ("page", "\(page)"), ("page_size", "\(size)"),
                             ("dedup", "true")] + Self.statuses.map { ("status", $0) }
                let answer = try await client.getJSON(SemgrepAPI.Findings.self, "/deployments/\(ConnectorClient.encode(slug))/findings",
                                                      query: query, call: "GET /deployments/{slug}/findings")
                guard !answer.findings.isEmpty else { break }
                findings += answer.findings.map { SemgrepMapping.finding($0, deployment: slug) }
            }
        }
        return findings
    }
}
