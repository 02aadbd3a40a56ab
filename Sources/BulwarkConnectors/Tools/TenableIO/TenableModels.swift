import Foundation

/// The parts of Tenable Vulnerability Management's answers the connector reads: `/scans` and the
/// vulnerability export (request, status, chunk items). Values Tenable sends as numbers in one
/// place and strings in another decode either way.
enum TenableAPI {
    struct ScanList: Decodable {
        var folders: [Folder]?
        var scans: [Scan]?
    }
    struct Folder: Decodable {
        var id: FlexibleID?
        var type: String?
    }
    struct Scan: Decodable {
        var id: FlexibleID?
        var uuid: String?
        var schedule_uuid: String?
        var name: String?
        var status: String?
        var type: String?
        var owner: String?
        var folder_id: FlexibleID?
        var enabled: Bool?
        var creation_date: Timestamp?
        var last_modification_date: Timestamp?
    }

    struct ExportRequest: Encodable {
        struct Filters: Encodable { var state: [String] }
        var num_assets: Int
        var filters: Filters
    }
    struct ExportStarted: Decodable { var export_uuid: String }

    struct ExportStatus: Decodable {
        var status: String
        var chunks_available: [Int]?
        var chunks_failed: [Int]?
        var chunks_cancelled: [Int]?
    }

    struct Vulnerability: Decodable {
        var asset: Asset?
        var plugin: Plugin?
        var port: Port?
        var scan: ScanReference?
        var severity: String?
        var severity_id: Int?
        var severity_modification_type: String?
        var state: String?
        var first_found: Timestamp?
        var last_found: Timestamp?
        var last_fixed: Timestamp?
        var output: String?
    }
    struct Asset: Decodable {
        var uuid: String?
        var hostname: String?
        var fqdn: String?
        var ipv4: String?
        var operating_system: [String]?
    }
    struct Plugin: Decodable {
        var id: FlexibleID?
        var name: String?
        var family: String?
        var synopsis: String?
        var description: String?
        var solution: String?
        var see_also: [String]?
        var cve: [String]?
        var cvss3_base_score: Double?
    }
    struct Port: Decodable {
        var port: Int?
        var `protocol`: String?
        var service: String?
    }
    struct ScanReference: Decodable {
        var uuid: String?
        var schedule_uuid: String?
    }

    /// An id sent as a number or a string.
    struct FlexibleID: Decodable, Hashable, CustomStringConvertible {
        var description: String
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) {
                description = String(number)
            } else {
                description = try container.decode(String.self)
            }
        }
    }

    /// A time sent as epoch seconds (`/scans`), epoch milliseconds, or ISO 8601 text (export items).
    struct Timestamp: Decodable {
        var date: Date?
        init(from decoder: any Decoder) throws {
            // Text first: export items (tens of thousands) carry ISO text, so the common case throws nothing.
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                date = ToolTimestamp.instant(text) ?? Double(text).map { Date(timeIntervalSince1970: $0) }
            } else if let number = try? container.decode(Double.self) {
                date = Date(timeIntervalSince1970: number > 100_000_000_000 ? number / 1000 : number)
            } else {
                date = nil
            }
        }
    }
}
