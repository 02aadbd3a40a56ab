import BulwarkCore
import Foundation

/// Dependency-Track (spec §2): projects are records (`X-Total-Count` paging); each project's
/// findings, suppressed ones included, are findings keyed by their `matrix`.
public struct DependencyTrackConnector: Connector {
    public static let descriptor = ConnectorDescriptor(
        tool: "dependency_track", name: "Dependency-Track", scanType: "Dependency-Track Connector", dedupe: .uniqueIDFromTool(),
        optionalExtra: ["ui_url", "page_size"], requestsPerSecond: 10, permissions: "VIEW_PORTFOLIO and VIEW_VULNERABILITY")

    let configuration: ConnectorConfiguration
    let client: ConnectorClient

    public init(configuration: ConnectorConfiguration, client: ConnectorClient) {
        self.configuration = configuration
        self.client = client
    }

    public static func authentication(_ configuration: ConnectorConfiguration) -> (primary: [HTTPHeader], fallback: [HTTPHeader]?) {
        ([HTTPHeader("X-Api-Key", configuration.secret)], nil)
    }

    var uiLocation: String { configuration.extra("ui_url").map(ConnectorConfiguration.normalise) ?? configuration.location }

    public func validate() async throws(ConnectorError) {
        _ = try await client.getJSON([DependencyTrackAPI.Project].self, "/api/v1/project", query: [("pageNumber", "1"), ("pageSize", "1")])
    }

    public func discover() async throws(ConnectorError) -> [DiscoveredRecord] {
        let size = configuration.pageSize(default: 100)
        var records: [DiscoveredRecord] = []
        var page = 1
        let call = "GET /api/v1/project"
        while true {
            let response = try await client.get("/api/v1/project", query: [("pageNumber", "\(page)"), ("pageSize", "\(size)"), ("excludeInactive", "true")],
                                                call: call)
            let projects = try ConnectorClient.decode([DependencyTrackAPI.Project].self, response.body, call: call)
            records += projects.map { project in
                let name = project.name ?? project.uuid
                let version = project.version ?? ""
                var metadata = ["url": "\(uiLocation)/projects/\(project.uuid)"]
                let tags = (project.tags ?? []).compactMap(\.name)
                if !tags.isEmpty { metadata["tags"] = tags.joined(separator: ",") }
                return DiscoveredRecord(externalID: project.uuid, name: version.isEmpty ? name : "\(name) \(version)", metadata: metadata)
            }
            let total = response.header("X-Total-Count").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !projects.isEmpty else { break }
            if let total { guard page * size < total else { break } } else if projects.count < size { break }
            page += 1
        }
        return records
    }

    public func findings(for record: DiscoveredRecord) async throws(ConnectorError) -> [Finding] {
        let path = "/api/v1/finding/project/\(ConnectorClient.encode(record.externalID))"
        let items = try await client.getJSON([DependencyTrackAPI.Finding].self, path, query: [("suppressed", "true")],
                                             call: "GET /api/v1/finding/project/{uuid}")
        let location = uiLocation
        return items.map { DependencyTrackMapping.finding($0, location: location) }
    }
}
