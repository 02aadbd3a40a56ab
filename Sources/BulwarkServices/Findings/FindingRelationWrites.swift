import BulwarkStorage
import Foundation
import SQLKit

/// Writes of a finding's related rows that the API's finding writes and reimport share.
public enum FindingRelationWrites {
    /// Replaces the finding's vulnerability ids (blank and repeated ids dropped) and mirrors the first into `cve`.
    public static func replaceVulnerabilityIDs(finding id: Int, with ids: [String], db: any SQLDatabase) async throws {
        var seen = Set<String>()
        let unique = ids.filter { !$0.isEmpty && seen.insert($0).inserted }
        try await db.raw("DELETE FROM vulnerability_ids WHERE finding_id = \(bind: id)").run()
        try await BulkInsert(db: db).insert(into: "vulnerability_ids", columns: ["finding_id", "vulnerability_id"],
                                            rows: unique.map { [.int(id), .string($0)] }, returningIDs: false)
        try await db.raw("UPDATE findings SET cve = \(FindingWriter.text(unique.first).sql) WHERE id = \(bind: id)").run()
    }

    /// Endpoint links just made through a finding's `endpoints` field carry the placeholder date; they get today's, as new
    /// Endpoint_Status rows do.
    public static func dateNewEndpointLinks(finding id: Int, now: Date, db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE endpoint_status SET date = \(bind: DateFormatting.day(now)), last_modified = \(bind: now)
            WHERE finding_id = \(bind: id) AND date = '2000-01-01'
            """).run()
    }

    /// Adds a custom field (`dojo_meta`) to a finding. - Throws: ``FindingMetadataError/exists``.
    public static func addMetadata(finding id: Int, name: String, value: String, db: any SQLDatabase) async throws {
        if try await hasMetadata(finding: id, name: name, db: db) { throw FindingMetadataError.exists }
        try await db.raw("INSERT INTO dojo_meta (finding_id, name, value) VALUES (\(bind: id), \(bind: name), \(bind: value))").run()
    }

    /// Changes a custom field's value. - Throws: ``FindingMetadataError/missing``.
    public static func updateMetadata(finding id: Int, name: String, value: String, db: any SQLDatabase) async throws {
        guard try await hasMetadata(finding: id, name: name, db: db) else { throw FindingMetadataError.missing }
        try await db.raw("UPDATE dojo_meta SET value = \(bind: value) WHERE finding_id = \(bind: id) AND name = \(bind: name)").run()
    }

    /// Removes a custom field. - Throws: ``FindingMetadataError/missing``.
    public static func deleteMetadata(finding id: Int, name: String, db: any SQLDatabase) async throws {
        guard try await hasMetadata(finding: id, name: name, db: db) else { throw FindingMetadataError.missing }
        try await db.raw("DELETE FROM dojo_meta WHERE finding_id = \(bind: id) AND name = \(bind: name)").run()
    }

    static func hasMetadata(finding id: Int, name: String, db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT id FROM dojo_meta WHERE finding_id = \(bind: id) AND name = \(bind: name)").first() != nil
    }
}

/// Why a finding's custom field could not be written.
public enum FindingMetadataError: Error, Equatable, Sendable {
    /// A field with this name already exists on the finding.
    case exists
    /// The finding has no field with this name.
    case missing
}
