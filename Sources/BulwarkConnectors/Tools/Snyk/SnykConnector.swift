import BulwarkCore
import Foundation

/// Snyk REST API (spec §4): every project of every organisation the token sees (or of
/// `extra.org_ids`) is a record; its `package_vulnerability` and `code` issues are findings keyed
/// by issue id. Cursor paging follows `links.next`.
public struct SnykConnector: Connector {
    public static let descriptor = ConnectorDescriptor(
        tool: "snyk", name: "Snyk", scanType: "Snyk Connector", dedupe: .uniqueIDFromTool(),
        optionalExtra: ["org_ids", "api_version", "ignored_as", "include_inactive", "issue_types", "page_size"], requestsPerSecond: 20,
        permissions: "View Organization, View Project and View issues")

    static let maxPages = 10_000

    let configuration: ConnectorConfiguration
    let client: ConnectorClient

    public init(configuration: ConnectorConfiguration, client: ConnectorClient) {
        self.configuration = configuration
        self.client = client
    }

    public static func authentication(_ configuration: ConnectorConfiguration) -> (primary: [HTTPHeader], fallback: [HTTPHeader]?) {
        ([HTTPHeader("Authorization", "token \(configuration.secret)")], nil)
    }

    public static var acceptHeader: String { "application/vnd.api+json" }

    var version: (String, String) { ("version", configuration.extra("api_version") ?? "2024-10-15") }
    var limit: (String, String) { ("limit", "\(min(100, max(1, configuration.pageSize(default: 100))))") }

    public func validate() async throws(ConnectorError) {
        _ = try await client.get("/self", query: [version])
    }

    /// Follows `links.next` (relative to the REST base) from a first page.
    func pages<Page: Decodable & Sendable>(_ type: Page.Type, first path: String, query: [(String, String)], call: String,
                                next: (Page) -> String?) async throws(ConnectorError) -> [Page] {
        var pages: [Page] = []
        var page = try await client.getJSON(type, path, query: query, call: call)
        pages.append(page)
        var seen = Set<String>()
        // A cursor that repeats would loop forever: stop at the first link already followed.
        while let link = next(page), pages.count < Self.maxPages, seen.insert(link).inserted {
            page = try await client.getJSON(type, relative(link), call: call)
            pages.append(page)
        }
        return pages
    }

    /// A `links.next` value made relative to the configured location (it may repeat the `/rest` prefix or be absolute).
    func relative(_ link: String) -> String {
        var path = link
        if path.hasPrefix(configuration.location) { path.removeFirst(configuration.location.count) }
        if let prefix = URLComponents(string: configuration.location)?.path, !prefix.isEmpty, path.hasPrefix(prefix + "/") {
            path.removeFirst(prefix.count)
        }
        return path
    }

    func organizations() async throws(ConnectorError) -> [(id: String, slug: String?)] {
        let orgs = try await pages(SnykAPI.Orgs.self, first: "/orgs", query: [version, ("limit", "100")], call: "GET /orgs") { $0.links?.next }
            .flatMap(\.data).map { (id: $0.id, slug: $0.attributes?.slug) }
        guard let wanted = configuration.extra("org_ids") else { return orgs }
        let ids = wanted.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return ids.map { id in (id: id, slug: orgs.first { $0.id == id }?.slug) }
    }

    public func discover() async throws(ConnectorError) -> [DiscoveredRecord] {
        var records: [DiscoveredRecord] = []
        let includeInactive = configuration.extra("include_inactive") == "true"
        for org in try await organizations() {
            let projects = try await pages(SnykAPI.Projects.self, first: "/orgs/\(ConnectorClient.encode(org.id))/projects",
                                           query: [version, limit], call: "GET /orgs/{org_id}/projects") { $0.links?.next }
                .flatMap(\.data)
            for project in projects where includeInactive || project.attributes?.status != "inactive" {
                var metadata = ["org_id": org.id]
                if let slug = org.slug {
                    metadata["org_slug"] = slug
                    metadata["url"] = "https://app.snyk.io/org/\(slug)/project/\(project.id)"
                }
                if let type = project.attributes?.type { metadata["type"] = type }
                if let target = project.relationships?.target?.data?.id { metadata["target_id"] = target }
                records.append(DiscoveredRecord(externalID: project.id, name: project.attributes?.name ?? project.id, metadata: metadata))
            }
        }
        return records
    }

    public func findings(for record: DiscoveredRecord) async throws(ConnectorError) -> [Finding] {
        let call = "GET /orgs/{org_id}/issues"
        guard let org = record.metadata["org_id"] else {
            throw ConnectorError(.configuration, call: call, "the record has no organisation; run discover again")
        }
        let types = Set((configuration.extra("issue_types") ?? "package_vulnerability,code").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) })
        let issues = try await pages(SnykAPI.Issues.self, first: "/orgs/\(ConnectorClient.encode(org))/issues",
                                     query: [version, ("scan_item.id", record.externalID), ("scan_item.type", "project"), limit], call: call) {
            $0.links?.next
        }.flatMap(\.data)
        let asFalsePositive = configuration.extra("ignored_as") == "false_positive"
        return issues.filter { types.contains($0.attributes.type ?? "") }.map {
            SnykMapping.finding($0, orgSlug: record.metadata["org_slug"], project: record.externalID, ignoredAsFalsePositive: asFalsePositive)
        }
    }
}
