import BulwarkCore
import Foundation

/// Tenable Vulnerability Management (Tenable.io, spec §8): scans outside the trash are records
/// (keyed by schedule uuid); one vulnerability export per operation — started, polled, its chunks
/// downloaded one at a time as they become available, each decoded, mapped and dropped before the
/// next — is routed to the records by each item's scan.
public struct TenableIOConnector: Connector {
    public static let descriptor = ConnectorDescriptor(
        tool: "tenable_io", name: "Tenable.io", scanType: "Tenable.io Connector", dedupe: .uniqueIDFromTool(),
        optionalExtra: ["access_key", "page_size", "poll_seconds", "max_wait_minutes"], requestsPerSecond: 5,
        permissions: "a user role that can list the scans and export vulnerabilities (vulnerability exports need the Administrator "
            + "role, or a custom role with the export privilege)",
        help: "An API key pair: Settings → My Account → API Keys → Generate (Tenable Vulnerability Management). Enter the access "
            + "key as extra.access_key and the secret key as the secret, or paste both as accessKey=…;secretKey=… into the secret. "
            + "The user must be able to view the scans and export vulnerabilities (the Administrator role, or a custom role with "
            + "the vulnerability export privilege). Location: https://cloud.tenable.com.")

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

    /// Starts the export, polls its status and downloads each chunk once, as soon as it is available.
    func runExport() async throws(ConnectorError) -> [String: [Finding]] {
        let assets = min(5_000, max(50, configuration.pageSize(default: 500)))
        let request = TenableAPI.ExportRequest(num_assets: assets, filters: .init(state: ["OPEN", "REOPENED", "FIXED"]))
        let body = try ConnectorClient.jsonBody(request, call: "POST /vulns/export")
        let started = try await client.postJSON(TenableAPI.ExportStarted.self, "/vulns/export", json: body, call: "POST /vulns/export")
        let uuid = ConnectorClient.encode(started.export_uuid)
        let interval = max(0, configuration.extra("poll_seconds").flatMap(Double.init) ?? 10)
        let maxWait = (configuration.extra("max_wait_minutes").flatMap(Double.init) ?? 120) * 60
        var waited = 0.0
        var downloaded = Set<Int>()
        var grouped: [String: [Finding]] = [:]
        while true {
            let status = try await client.getJSON(TenableAPI.ExportStatus.self, "/vulns/export/\(uuid)/status",
                                                  call: "GET /vulns/export/{uuid}/status")
            if let failed = status.chunks_failed, !failed.isEmpty {
                throw ConnectorError(.error, call: "GET /vulns/export/{uuid}/status", "export chunks \(failed) failed; the export is incomplete")
            }
            for chunk in (status.chunks_available ?? []).sorted() where !downloaded.contains(chunk) {
                try await download(chunk: chunk, export: uuid, into: &grouped)
                downloaded.insert(chunk)
            }
            switch status.status.uppercased() {
            case "FINISHED":
                return grouped
            case "CANCELLED", "ERROR":
                throw ConnectorError(.error, call: "GET /vulns/export/{uuid}/status", "the export ended with status \(status.status)")
            default:
                guard waited < maxWait else {
                    throw ConnectorError(.error, call: "GET /vulns/export/{uuid}/status",
                                         "the export did not finish within \(Int(maxWait / 60)) minutes (status \(status.status))")
                }
                await client.pause(seconds: interval)
                waited += max(interval, 1)
            }
        }
    }

    /// Downloads one chunk, maps its items and routes them by scan; the raw body is released on return.
    func download(chunk: Int, export uuid: String, into grouped: inout [String: [Finding]]) async throws(ConnectorError) {
        let call = "GET /vulns/export/{uuid}/chunks/{chunk}"
        let response = try await client.request("GET", "/vulns/export/\(uuid)/chunks/\(chunk)", call: call, timeout: Self.chunkTimeout)
        let items = try ConnectorClient.decode([TenableAPI.Vulnerability].self, response.body, call: call)
        for item in items {
            guard let record = TenableMapping.recordID(item) else { continue }
            grouped[record, default: []].append(TenableMapping.finding(item))
        }
    }
}
