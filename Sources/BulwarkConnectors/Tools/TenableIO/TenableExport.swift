import BulwarkCore
import Foundation

/// The vulnerability export of spec §8: start it, poll its status, download each chunk once as
/// soon as it is listed. Chunks are downloaded one at a time; each downloaded body is decoded and
/// mapped on a child task while the next one downloads, with at most ``maxChunksDecoding`` bodies
/// being decoded at once, so memory holds a bounded number of raw chunks besides the findings.
extension TenableIOConnector {
    /// Raw chunk bodies being decoded at the same time (the one downloading comes on top).
    static let maxChunksDecoding = 2

    /// One chunk's findings grouped by record.
    typealias Routed = [String: [Finding]]

    /// Every open, reopened and fixed vulnerability of the export, grouped by record, in chunk order.
    func runExport() async throws(ConnectorError) -> Routed {
        let assets = min(5_000, max(50, configuration.pageSize(default: 500)))
        let request = TenableAPI.ExportRequest(num_assets: assets, filters: .init(state: ["OPEN", "REOPENED", "FIXED"]))
        let body = try ConnectorClient.jsonBody(request, call: "POST /vulns/export")
        let started = try await client.postJSON(TenableAPI.ExportStarted.self, "/vulns/export", json: body, call: "POST /vulns/export")
        let uuid = ConnectorClient.encode(started.export_uuid)
        let outcome = await withTaskGroup(of: (chunk: Int, result: Result<Routed, ConnectorError>).self) { group in
            var decoded: [Int: Routed] = [:]
            var decoding = 0
            var failure: ConnectorError?
            /// Waits for one decode; keeps its findings or its failure.
            func collect() async {
                guard let next = await group.next() else { return }
                decoding -= 1
                switch next.result {
                case .success(let routed): decoded[next.chunk] = routed
                case .failure(let error): failure = failure ?? error
                }
            }
            do throws(ConnectorError) {
                try await pollAndDownload(export: uuid) { chunk, body async in
                    group.addTask { (chunk, Self.decode(chunk: body)) }
                    decoding += 1
                    while decoding >= Self.maxChunksDecoding { await collect() }
                    return failure
                }
            } catch {
                failure = failure ?? error
            }
            while decoding > 0 { await collect() }
            if let failure { return Result<Routed, ConnectorError>.failure(failure) }
            var grouped: Routed = [:]
            for chunk in decoded.keys.sorted() {
                for (record, findings) in decoded[chunk] ?? [:] { grouped[record, default: []] += findings }
            }
            return .success(grouped)
        }
        return try outcome.get()
    }

    /// Polls the export's status until it is finished, handing each newly listed chunk's body to `received`
    /// (which answers a failure to stop at), and waiting `extra.poll_seconds` between polls.
    func pollAndDownload(export uuid: String, received: (Int, [UInt8]) async -> ConnectorError?) async throws(ConnectorError) {
        let statusCall = "GET /vulns/export/{uuid}/status"
        let interval = max(0, configuration.extra("poll_seconds").flatMap(Double.init) ?? 10)
        let maxWait = (configuration.extra("max_wait_minutes").flatMap(Double.init) ?? 120) * 60
        var waited = 0.0
        var downloaded = Set<Int>()
        while true {
            let status = try await client.getJSON(TenableAPI.ExportStatus.self, "/vulns/export/\(uuid)/status", call: statusCall)
            if let failed = status.chunks_failed, !failed.isEmpty {
                throw ConnectorError(.error, call: statusCall, "export chunks \(failed) failed; the export is incomplete")
            }
            for chunk in (status.chunks_available ?? []).sorted() where !downloaded.contains(chunk) {
                let response = try await client.request("GET", "/vulns/export/\(uuid)/chunks/\(chunk)", call: Self.chunkCall,
                                                        timeout: Self.chunkTimeout)
                downloaded.insert(chunk)
                if let failure = await received(chunk, response.body) { throw failure }
            }
            switch status.status.uppercased() {
            case "FINISHED":
                return
            case "CANCELLED", "ERROR":
                throw ConnectorError(.error, call: statusCall, "the export ended with status \(status.status)")
            default:
                guard waited < maxWait else {
                    throw ConnectorError(.error, call: statusCall,
                                         "the export did not finish within \(Int(maxWait / 60)) minutes (status \(status.status))")
                }
                await client.pause(seconds: interval)
                waited += max(interval, 1)
            }
        }
    }

    static let chunkCall = "GET /vulns/export/{uuid}/chunks/{chunk}"

    /// Decodes one chunk and maps its items, grouped by the record of each item's scan; the raw body is released on return.
    static func decode(chunk body: [UInt8]) -> Result<Routed, ConnectorError> {
        do throws(ConnectorError) {
            let items = try ConnectorClient.decode([TenableAPI.Vulnerability].self, body, call: chunkCall)
            var grouped: Routed = [:]
            for item in items {
                guard let record = TenableMapping.recordID(item) else { continue }
                grouped[record, default: []].append(TenableMapping.finding(item))
            }
            return .success(grouped)
        } catch {
            return .failure(error)
        }
    }
}
