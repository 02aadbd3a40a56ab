import BulwarkStorage
import SQLKit

/// The singleton system settings row (DefectDojo's System_Settings, the parts Bulwark uses).
public struct SystemSettings: Sendable, Equatable {
    /// Mark duplicates across tests after imports and API creates (on by default in Bulwark).
    public var enableDeduplication: Bool
    /// Compute SLA fields of findings.
    public var enableFindingSLA: Bool

    /// Reads the settings; defaults when the row is missing.
    public static func load(db: any SQLDatabase) async throws -> SystemSettings {
        guard let row = try await db.raw("""
            SELECT \(ident: "enable_deduplication"), \(ident: "enable_finding_sla") FROM \(ident: "system_settings") ORDER BY \(ident: "id") LIMIT 1
            """).first()
        else { return SystemSettings(enableDeduplication: true, enableFindingSLA: true) }
        return SystemSettings(
            enableDeduplication: try row.decode(column: "enable_deduplication", as: Bool.self),
            enableFindingSLA: try row.decode(column: "enable_finding_sla", as: Bool.self))
    }
}
