import BulwarkCore
import Foundation

/// Tenable Vulnerability Management (Tenable.io, spec §8): scans outside the trash are records
/// (keyed by schedule uuid); one vulnerability export per operation (``runExport()``: started,
/// polled, its chunks downloaded one at a time as they become available) is routed to the records
/// by each item's scan.
public struct TenableIOConnector: GuidedConnector {
    public static let descriptor = ConnectorDescriptor(
        tool: "tenable_io", name: "Tenable.io", scanType: "Tenable.io Connector", dedupe: .uniqueIDFromTool(),
        optionalExtra: ["access_key", "page_size", "poll_seconds", "max_wait_minutes"], requestsPerSecond: 5,
        permissions: "a user role that can list the scans and export vulnerabilities (vulnerability exports need the Administrator "
            + "role, or a custom role with the export privilege)")

    public static let guide = ConnectorGuide(
        secret: "The secret key of an API key pair: Settings → My Account → API Keys → Generate (or paste accessKey=…;secretKey=…). The user must see the scans and export vulnerabilities (the Administrator role, or a custom role with the vulnerability export privilege).",
        location: "https://cloud.tenable.com.",
        fields: [
            "access_key": "The access key of the pair (unless pasted into the secret).",
            "poll_seconds": "Seconds between export status checks (default 10).",
            "max_wait_minutes": "How long an export may take before the sync fails (default 120).",
            "page_size": "Export chunk size, 50–5000 (default 500).",
        ])

    /// Chunk downloads may be large (spec §0.3: 300 s).
    static let chunkTimeout: Duration = .seconds(300)

    let configuration: ConnectorConfiguration
    let client: ConnectorClient
    let export = FetchOnce<[String: [Finding]]>()

    public init(configuration: ConnectorConfiguration, client: ConnectorClient) {
        self.configuration = configuration
        self.client = client
    }

    /// The access and secret keys: `extra.access_key` and the secret, or a pasted `accessKey=…;secretKey=…` secret.
    static func keys(_ configuration: ConnectorConfiguration) -> (access: String, secret: String)? {
        let secret = configuration.secret.trimmingCharacters(in: .whitespacesAndNewlines)
        if secret.contains("accessKey=") {
            var fields: [String: String] = [:]
            for part in secret.split(separator: ";") {
                let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pair.count == 2 { fields[pair[0]] = pair[1] }
            }
            if let access = fields["accessKey"], let key = fields["secretKey"], !access.isEmpty, !key.isEmpty { return (access, key) }
            return nil
        }
        guard let access = configuration.extra("access_key"), !secret.isEmpty else { return nil }
        return (access, secret)
    }

    public static func authentication(_ configuration: ConnectorConfiguration) -> (primary: [HTTPHeader], fallback: [HTTPHeader]?) {
        guard let keys = keys(configuration) else { return ([], nil) }
        return ([HTTPHeader("X-ApiKeys", "accessKey=\(keys.access);secretKey=\(keys.secret)")], nil)
    }

    public func validate() async throws(ConnectorError) {
        guard Self.keys(configuration) != nil else {
            throw ConnectorError(.configuration, call: "configure", "enter the access key (extra access_key) and the secret key, "
                                 + "or paste both as accessKey=…;secretKey=…")
        }
        _ = try await client.getJSON(TenableAPI.ScanList.self, "/scans", call: "GET /scans")
    }

    public func discover() async throws(ConnectorError) -> [DiscoveredRecord] {
        let list = try await client.getJSON(TenableAPI.ScanList.self, "/scans", call: "GET /scans")
        let trash = Set((list.folders ?? []).filter { $0.type?.lowercased() == "trash" }.compactMap(\.id))
        var seen = Set<String>()
        var records: [DiscoveredRecord] = []
        for scan in list.scans ?? [] {
            if let folder = scan.folder_id, trash.contains(folder) { continue }
            guard let key = scan.schedule_uuid ?? scan.uuid ?? scan.id?.description, seen.insert(key).inserted else { continue }
            var metadata: [String: String] = [:]
            if let id = scan.id?.description { metadata["scan_id"] = id }
            if let type = scan.type { metadata["type"] = type }
            if let owner = scan.owner { metadata["owner"] = owner }
            if let modified = scan.last_modification_date?.date { metadata["last_modified"] = ISO8601DateFormatter().string(from: modified) }
            records.append(DiscoveredRecord(externalID: key, name: scan.name ?? key, metadata: metadata))
        }
        return records
    }

    public func findings(for record: DiscoveredRecord) async throws(ConnectorError) -> [Finding] {
        try await exported()[record.externalID] ?? []
    }

    /// Every open, reopened and fixed vulnerability, grouped by record; one export per operation.
    func exported() async throws(ConnectorError) -> [String: [Finding]] {
        let connector = self
        return try await export.value { () async throws(ConnectorError) -> [String: [Finding]] in
            try await connector.runExport()
        }
    }
}
