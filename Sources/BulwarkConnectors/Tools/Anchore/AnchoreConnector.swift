import BulwarkCore
import Foundation

/// Anchore Enterprise (spec §11): applications are records; the images of an application's latest
/// version are listed, and each image's vulnerabilities become findings carrying the package name,
/// version and fix version. Anchore reports only what is present, so fixed findings close by absence.
public struct AnchoreConnector: GuidedConnector {
    public static let descriptor = ConnectorDescriptor(
        tool: "anchore", name: "Anchore Enterprise", scanType: "Anchore Enterprise Connector", dedupe: .uniqueIDFromTool(),
        optionalExtra: ["username", "account", "will_not_fix"], requestsPerSecond: 10,
        permissions: "read access to applications and images in the account (e.g. the read-only role)")

    public static let guide = ConnectorGuide(
        secret: "An API key (Anchore Enterprise 5.1 or later): Enterprise UI → user menu → API Keys → Create New API Key; it has its user's roles, which must allow reading the account's applications and images (e.g. read-only). Older installations: a user's password, with the user in `username`.",
        location: "The API base URL (the API is under /v2).",
        fields: [
            "username": "A user name, when the secret is that user's password instead of an API key.",
            "account": "The account to read, sent as x-anchore-account (administrators).",
            "will_not_fix": "`risk_accepted`: findings the distribution will not fix are risk accepted.",
        ])

    let configuration: ConnectorConfiguration
    let client: ConnectorClient

    public init(configuration: ConnectorConfiguration, client: ConnectorClient) {
        self.configuration = configuration
        self.client = client
    }

    /// HTTP Basic: `_api_key:<key>`, or `<username>:<password>` when `extra.username` is set; `x-anchore-account` for admins.
    public static func authentication(_ configuration: ConnectorConfiguration) -> (primary: [HTTPHeader], fallback: [HTTPHeader]?) {
        let user = configuration.extra("username") ?? "_api_key"
        var headers = [HTTPHeader("Authorization", "Basic " + Data("\(user):\(configuration.secret)".utf8).base64EncodedString())]
        if let account = configuration.extra("account") { headers.append(HTTPHeader("x-anchore-account", account)) }
        return (headers, nil)
    }

    public func validate() async throws(ConnectorError) {
        _ = try await client.getJSON(AnchoreAPI.ListOf<AnchoreAPI.Application>.self, "/v2/applications",
                                     query: [("include_versions", "false")], call: "GET /v2/applications")
    }

    public func discover() async throws(ConnectorError) -> [DiscoveredRecord] {
        let applications = try await client.getJSON(AnchoreAPI.ListOf<AnchoreAPI.Application>.self, "/v2/applications",
                                                    query: [("include_versions", "true")], call: "GET /v2/applications").items
        return applications.map { application in
            var metadata: [String: String] = [:]
            if let latest = Self.latest(application.application_versions ?? []) {
                metadata["version_id"] = latest.application_version_id
                if let name = latest.version_name { metadata["version"] = name }
            }
            if let description = application.description, !description.isEmpty { metadata["description"] = String(description.prefix(200)) }
            return DiscoveredRecord(externalID: application.application_id, name: application.name ?? application.application_id, metadata: metadata)
        }
    }

    /// The version created last (ISO timestamps compare as instants; undated versions come first).
    static func latest(_ versions: [AnchoreAPI.Version]) -> AnchoreAPI.Version? {
        versions.max { (ToolTimestamp.instant($0.created_at) ?? .distantPast) < (ToolTimestamp.instant($1.created_at) ?? .distantPast) }
    }

    public func findings(for record: DiscoveredRecord) async throws(ConnectorError) -> [Finding] {
        guard let version = try await versionID(for: record) else { return [] }
        let application = ConnectorClient.encode(record.externalID)
        let artifacts = try await client.getJSON(AnchoreAPI.ListOf<AnchoreAPI.Artifact>.self,
                                                 "/v2/applications/\(application)/versions/\(ConnectorClient.encode(version))/artifacts",
                                                 call: "GET /v2/applications/{application_id}/versions/{version_id}/artifacts").items
        let willNotFixAsRiskAccepted = configuration.extra("will_not_fix") == "risk_accepted"
        var findings: [Finding] = []
        var seen = Set<String>()
        var images = Set<String>()
        for artifact in artifacts where (artifact.artifact_type ?? "image") == "image" {
            guard let image = artifact.image, let digest = image.image_digest, images.insert(digest).inserted else { continue }
            let report = try await client.getJSON(AnchoreAPI.ImageVulnerabilities.self, "/v2/images/\(ConnectorClient.encode(digest).replacingOccurrences(of: "%3A", with: ":"))/vuln/all",
                                                  call: "GET /v2/images/{image_digest}/vuln/all")
            for item in report.vulnerabilities ?? [] {
                let finding = AnchoreMapping.finding(item, image: image, willNotFixAsRiskAccepted: willNotFixAsRiskAccepted)
                // Two tags of one repository in the same version report the same finding once.
                if let id = finding.uniqueIDFromTool, !seen.insert(id).inserted { continue }
                findings.append(finding)
            }
        }
        return findings
    }

    /// The version discover saw as latest, else the latest one now (the record predates this field, or had no version then).
    func versionID(for record: DiscoveredRecord) async throws(ConnectorError) -> String? {
        if let version = record.metadata["version_id"] { return version }
        let applications = try await client.getJSON(AnchoreAPI.ListOf<AnchoreAPI.Application>.self, "/v2/applications",
                                                    query: [("include_versions", "true")], call: "GET /v2/applications").items
        guard let application = applications.first(where: { $0.application_id == record.externalID }) else {
            throw ConnectorError(.notFound, call: "GET /v2/applications", "the application is gone", status: 404)
        }
        return Self.latest(application.application_versions ?? []).map(\.application_version_id)
    }
}
